using System.CommandLine;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Plotting;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;

namespace ContrastiveNE.Cli.Commands;

/// <summary><c>cne transform MODEL INPUT -o OUT</c>: a saved parametric model embeds new data.</summary>
internal static class TransformCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A model saved by cne embed --parametric --save-model." };
        var input = CliOptions.InputArgument("INPUT", "New data with the training data's columns", DataFiles.MatrixInputExtensions);
        var output = CliOptions.Output("The embedding of INPUT", DataFiles.MatrixOutputExtensions);
        var labels = new LabelOptions(withColumn: true, withNames: true);
        var dataInput = new DataInputOptions();
        var plot = CliOptions.OutputFile("--plot", "Also draw the embedding coloured by label", ".png");
        var threads = CliOptions.Threads();
        var quiet = CliOptions.Quiet();
        var command = new Command("transform", "Embed new data with a saved parametric model.") { model, input, output, plot, threads, quiet };
        labels.AddTo(command);
        dataInput.AddTo(command);
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            var progress = context.CreateProgress(parsed.GetValue(quiet));
            string modelPath = parsed.GetValue(model)!, inputPath = parsed.GetValue(input)!;
            DataFiles.EnsureExists(modelPath);
            var network = progress.Time("load", () => CneModel.Load(modelPath, parsed.GetValue(threads)));
            var read = progress.Time("read", () => DataFiles.Read(inputPath, dataInput.Selection(parsed, labels.Column(parsed))));
            var (data, fromData) = (read.Data, read.Labels);
            var labelSet = labels.Resolve(parsed, fromData, data.Rows, inputPath);
            DataChecks.EnsureFinite(data, inputPath);
            if (data.Columns != network.InputDimension)
                throw new InvalidDataException($"{inputPath}: {data.Columns} columns, but the model {modelPath} was trained on {network.InputDimension}.");
            var embedding = progress.Time("transform", () => network.Transform(data));
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
