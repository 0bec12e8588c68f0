using System.CommandLine;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Cli.Plotting;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;

namespace ContrastiveNE.Cli.Commands;

/// <summary>
/// <c>cne transform FILE INPUT -o OUT</c>: new data into a saved map (cne embed --save-map; the new points are placed
/// into the fixed map, docs/transform.md) or through a saved parametric model (cne embed --parametric --save-model).
/// The kind of FILE is told by its magic bytes.
/// </summary>
internal static class TransformCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("FILE") { Description = "A map saved by cne embed --save-map, or a model saved by cne embed --parametric --save-model." };
        var input = CliOptions.InputArgument("INPUT", "New data with the training data's columns", DataFiles.MatrixInputExtensions);
        var output = CliOptions.Output("The embedding of INPUT", DataFiles.MatrixOutputExtensions);
        var labels = new LabelOptions(withColumn: true, withNames: true);
        var dataInput = new DataInputOptions();
        var plot = CliOptions.OutputFile("--plot", "Also draw the embedding coloured by label", ".png");
        var defaults = new CneTransformOptions();
        var epochs = CliOptions.Int("--epochs", defaults.Epochs, "Map files: epochs of the new points' optimisation against the fixed map (0 keeps the weighted-mean start).", min: 0);
        var negatives = CliOptions.OptionalInt("--negatives", "Map files: negatives per edge drawn from the map (default: 30, or the fit's --negatives when larger).", min: 1);
        var threads = CliOptions.Threads();
        var quiet = CliOptions.Quiet();
        var command = new Command("transform", "Embed new data into a saved map (placing the new points without moving it) or with a saved parametric model.")
        {
            model, input, output, plot, epochs, negatives, threads, quiet,
        };
        labels.AddTo(command);
        dataInput.AddTo(command);
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            var progress = context.CreateProgress(parsed.GetValue(quiet));
            string modelPath = parsed.GetValue(model)!, inputPath = parsed.GetValue(input)!;
            DataFiles.EnsureExists(modelPath);
            int? threadCount = parsed.GetValue(threads);
            Func<Matrix, Matrix> transform;
            int inputDimension;
            string kind;
            if (CneMap.IsMapFile(modelPath))
            {
                var map = progress.Time("load", () => CneMap.Load(modelPath, threadCount));
                var settings = new CneTransformOptions { Epochs = parsed.GetValue(epochs), NegativeSamples = parsed.GetValue(negatives) };
                transform = data => map.Transform(data, settings, context.CancellationToken);
                (inputDimension, kind) = (map.InputDimension, "map");
            }
            else
            {
                var network = progress.Time("load", () => CneModel.Load(modelPath, threadCount));
                transform = network.Transform;
                (inputDimension, kind) = (network.InputDimension, "model");
            }
            var read = progress.Time("read", () => DataFiles.Read(inputPath, dataInput.Selection(parsed, labels.Column(parsed))));
            var (data, fromData) = (read.Data, read.Labels);
            var labelSet = labels.Resolve(parsed, fromData, data.Rows, inputPath);
            DataChecks.EnsureFinite(data, inputPath);
            if (data.Columns != inputDimension)
                throw new InvalidDataException($"{inputPath}: {data.Columns} columns, but the {kind} {modelPath} was trained on {inputDimension}.");
            var embedding = progress.Time("transform", () => transform(data));
            string outputPath = parsed.GetValue(output)!;
            progress.Time("write", () => DataFiles.WriteMatrix(outputPath, embedding));
            if (parsed.GetValue(plot) is { } png)
                progress.Time("plot", () => DataFiles.WriteBytes(png, EmbeddingFigure.RenderPng(
                    [new FigurePanel($"{Path.GetFileNameWithoutExtension(inputPath)} (transformed)", embedding)], labelSet)));
            progress.Note($"wrote {embedding.Rows} × {embedding.Columns} embedding to {outputPath}");
            progress.PrintSummary();
            return ExitCodes.Success;
        }));
        return command;
    }
}
