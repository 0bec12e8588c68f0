using System.CommandLine;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Plotting;

namespace ContrastiveNE.Cli.Commands;

/// <summary><c>cne plot EMBEDDING -o PNG</c>: a scatter picture of an embedding, coloured by label.</summary>
internal static class PlotCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var embedding = CliOptions.InputArgument("EMBEDDING", "Embedding, n × 2 (wider: the first two columns are drawn)", DataFiles.MatrixInputExtensions);
        var output = CliOptions.Output("Picture", MapOutput.FigureExtensions);
        var labels = new LabelOptions(withColumn: true, withNames: true);
        var dataInput = new DataInputOptions();
        var title = new Option<string?>("--title") { Description = "Title above the picture (default: the embedding's file name)." };
        var size = CliOptions.Int("--size", 800, "Width and height of the scatter panel in pixels.", min: 100, max: 8000);
        var quiet = CliOptions.Quiet();
        var command = new Command("plot", "Draw an embedding as a scatter picture coloured by label, with a legend.") { embedding, output, title, size, quiet };
        labels.AddTo(command);
        dataInput.AddTo(command);
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            var progress = context.CreateProgress(parsed.GetValue(quiet));
            string path = parsed.GetValue(embedding)!;
            var read = progress.Time("read", () => DataFiles.Read(path, dataInput.Selection(parsed, labels.Column(parsed))));
            var (points, fromData) = (read.Data, read.Labels);
            var labelSet = labels.Resolve(parsed, fromData, points.Rows, path);
            string heading = parsed.GetValue(title) ?? Path.GetFileNameWithoutExtension(path);
            string outputPath = parsed.GetValue(output)!;
            progress.Time("plot", () => MapOutput.WriteFigure(outputPath, [new FigurePanel(heading, points)], labelSet, parsed.GetValue(size)));
            progress.Note($"wrote {outputPath}");
            progress.PrintSummary();
            return ExitCodes.Success;
        }));
        return command;
    }
}
