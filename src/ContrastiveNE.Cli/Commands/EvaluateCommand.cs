using System.CommandLine;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Metrics;

namespace ContrastiveNE.Cli.Commands;

/// <summary><c>cne evaluate DATA EMBEDDING</c>: kNN recall@15, kNN accuracy and Spearman correlation as JSON.</summary>
internal static class EvaluateCommand
{
    private static readonly QualityOptions Defaults = new();

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var data = CliOptions.InputArgument("DATA", "The high-dimensional data", DataFiles.MatrixInputExtensions);
        var embedding = CliOptions.InputArgument("EMBEDDING", "Its embedding, same rows in the same order", DataFiles.MatrixInputExtensions);
        var labels = new LabelOptions(withColumn: true, withNames: false);
        var dataInput = new DataInputOptions();
        var embeddingKey = new Option<string?>("--embedding-key")
        {
            Description = $"The embedding inside a .h5ad (its obsm key, default {Formats.AnnDataFile.DefaultKey}) or a .npz (its array) EMBEDDING file.",
            HelpName = "NAME",
        };
        var sample = CliOptions.Int("--sample", Defaults.SampleSize, "Points sampled for recall and accuracy.", min: 1);
        var seed = CliOptions.Seed();
        var threads = CliOptions.Threads();
        var quiet = CliOptions.Quiet();
        var command = new Command("evaluate", "Print the quality of an embedding as JSON: kNN recall@15, kNN classification accuracy (with labels), Spearman distance correlation.")
        {
            data, embedding, sample, seed, threads, quiet,
        };
        labels.AddTo(command);
        dataInput.AddTo(command);
        command.Options.Add(embeddingKey);
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            var progress = context.CreateProgress(parsed.GetValue(quiet));
            string dataPath = parsed.GetValue(data)!, embeddingPath = parsed.GetValue(embedding)!;
            // --key, --obsm and --layer choose the data's matrix; the embedding file is read whole.
            var read = progress.Time("read", () => DataFiles.Read(dataPath, dataInput.Selection(parsed, labels.Column(parsed))));
            var (x, fromData) = (read.Data, read.Labels);
            string? key = parsed.GetValue(embeddingKey);
            bool annData = CliOptions.HasSuffix(embeddingPath, [".h5ad"]);
            if (key is not null && !annData && !CliOptions.HasSuffix(embeddingPath, [".npz"]))
                throw new CliUsageException($"--embedding-key: names the embedding inside a .h5ad or .npz file; '{embeddingPath}' is neither.");
            var selection = annData ? new DataSelection(null, key ?? Formats.AnnDataFile.DefaultKey, null, null) : new DataSelection(key, null, null, null);
            var y = progress.Time("read", () => DataFiles.Read(embeddingPath, selection).Data);
            if (x.Rows != y.Rows)
                throw new InvalidDataException($"{embeddingPath}: {y.Rows} rows, but {dataPath} has {x.Rows}; the embedding needs one row per data point.");
            var labelSet = labels.Resolve(parsed, fromData, x.Rows, dataPath);
            var options = new QualityOptions { SampleSize = parsed.GetValue(sample), Seed = parsed.GetValue(seed), Threads = parsed.GetValue(threads) };
            var report = progress.Time("evaluate", () => EmbeddingQuality.Evaluate(x, y, labelSet?.Codes, options));
            context.Out.WriteLine(QualityOutput.Json(report));
            progress.PrintSummary();
            return ExitCodes.Success;
        }));
        return command;
    }
}
