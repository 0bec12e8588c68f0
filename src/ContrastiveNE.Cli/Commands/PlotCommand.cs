using System.CommandLine;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Plotting;

namespace ContrastiveNE.Cli.Commands;

/// <summary><c>cne plot EMBEDDING -o PNG|SVG|HTML</c>: a scatter picture or an interactive page of an embedding, coloured by label.</summary>
internal static class PlotCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var embedding = CliOptions.InputArgument("EMBEDDING", "Embedding, n × 2 (wider: the first two columns are drawn)", DataFiles.MatrixInputExtensions);
        var output = CliOptions.Output("Picture, or with .html a self-contained interactive map", MapOutput.MapExtensions);
        var labels = new LabelOptions(withColumn: true, withNames: true);
        var dataInput = new DataInputOptions();
        var data = CliOptions.File("--data", "With an .html map: the data the embedding was made from (one row per point), for image thumbnails and --hover-columns in the tooltip.");
        var map = new MapOptions();
        var title = new Option<string?>("--title") { Description = "Title above the picture (default: the embedding's file name)." };
        var size = CliOptions.Int("--size", 800, "Width and height of the scatter panel in pixels.", min: 100, max: 8000);
        var quiet = CliOptions.Quiet();
        var command = new Command("plot", "Draw an embedding as a scatter picture coloured by label, with a legend, or as an interactive HTML map.") { embedding, output, title, size, data, quiet };
        labels.AddTo(command);
        dataInput.AddTo(command);
        map.AddTo(command);
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            string outputPath = parsed.GetValue(output)!;
            string? dataPath = parsed.GetValue(data);
            bool html = MapOutput.IsHtml(outputPath);
            if ((dataPath is not null || map.AnyGiven(parsed)) && !html)
                throw new CliUsageException("--data, --image-shape and --hover-columns add to an interactive map; write it with -o FILE.html.");
            if (map.AnyGiven(parsed) && dataPath is null)
                throw new CliUsageException("--image-shape and --hover-columns read the data the embedding was made from; add --data FILE.");

            var progress = context.CreateProgress(parsed.GetValue(quiet));
            string path = parsed.GetValue(embedding)!;
            var read = progress.Time("read", () => DataFiles.Read(path, dataInput.Selection(parsed, labels.Column(parsed))));
            var (points, fromData) = (read.Data, read.Labels);
            var labelSet = labels.Resolve(parsed, fromData, points.Rows, path);
            var source = dataPath is null ? null : progress.Time("read-data", () => DataFiles.Read(dataPath, new DataSelection(null, null, null, null)));
            if (source is not null && source.Data.Rows != points.Rows)
                throw new InvalidDataException($"{dataPath}: {source.Data.Rows} data rows for {points.Rows} embedded points; --data needs the rows the embedding was made from.");
            string heading = parsed.GetValue(title) ?? Path.GetFileNameWithoutExtension(path);
            progress.Time("plot", () => MapOutput.WriteMap(outputPath, new FigurePanel(heading, points), labelSet, parsed.GetValue(size),
                () => source is null ? new InteractiveMapOptions() : new InteractiveMapOptions
                {
                    Thumbnails = map.Thumbnails(parsed, source.Loaded, dataPath!),
                    HoverColumns = map.Columns(parsed, source.Loaded, dataPath!),
                }));
            progress.Note($"wrote {outputPath}");
            progress.PrintSummary();
            return ExitCodes.Success;
        }));
        return command;
    }
}
