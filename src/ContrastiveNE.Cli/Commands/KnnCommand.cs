using System.CommandLine;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Cli.Commands;

/// <summary><c>cne knn INPUT -o OUT</c>: the k nearest neighbours of every row, written as an n × k index table.</summary>
internal static class KnnCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var input = CliOptions.InputArgument("INPUT", "Data matrix, one point per row", DataFiles.MatrixInputExtensions);
        var output = CliOptions.Output("Neighbour indices, n × k, 0-based", DataFiles.IntegerOutputExtensions);
        var k = CliOptions.Int("--k", 15, "Neighbours per point.", min: 1);
        var method = Choices.KnnOption();
        var metric = Choices.KnnMetricOption();
        var seed = CliOptions.Seed();
        var threads = CliOptions.Threads();
        var quiet = CliOptions.Quiet();
        var labelColumn = new Option<string?>("--label-column") { Description = "Column of a .csv/.tsv/.parquet input that holds labels (left out of the distances), by header name or 0-based index.", HelpName = "NAME|INDEX" };
        var dataInput = new DataInputOptions();
        var command = new Command("knn", "Find the k nearest neighbours of every row (the point itself excluded) and write their indices.")
        {
            input, output, k, method.Option, metric.Option, seed, threads, labelColumn, quiet,
        };
        dataInput.AddTo(command);
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            var progress = context.CreateProgress(parsed.GetValue(quiet));
            string inputPath = parsed.GetValue(input)!;
            var data = progress.Time("read", () => DataFiles.Read(inputPath, dataInput.Selection(parsed, parsed.GetValue(labelColumn))).Data);
            int kValue = parsed.GetValue(k);
            DataChecksCli.EnsureNeighbours(kValue, data.Rows, inputPath);
            var result = progress.Run("knn", phase => NearestNeighbors.Search(data, kValue, method.Get(parsed), metric.Get(parsed),
                parsed.GetValue(seed), parsed.GetValue(threads), phase.AsFraction(), context.CancellationToken));
            string outputPath = parsed.GetValue(output)!;
            context.CancellationToken.ThrowIfCancellationRequested();
            progress.Time("write", () => DataFiles.WriteIntegers(outputPath, result.Count, result.K, result.Indices));
            progress.Note($"wrote {result.Count} × {result.K} neighbour indices to {outputPath}");
            progress.PrintSummary();
            return ExitCodes.Success;
        }));
        return command;
    }
}
