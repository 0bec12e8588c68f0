using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Plotting;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Metrics;

namespace ContrastiveNE.Cli.Commands;

/// <summary>
/// <c>cne demo</c>: embeds the built-in 8×8 digits set (1797 images) with the default settings, writes
/// <c>digits-embedding.csv</c> and <c>digits.png</c>, and prints the quality figures and the time taken.
/// </summary>
internal static class DemoCommand
{
    private static readonly CneOptions Defaults = new();

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var outputDir = new Option<string>("--output-dir")
        {
            Description = "Directory for digits-embedding.csv and digits.png.",
            DefaultValueFactory = _ => ".",
            HelpName = "DIR",
        };
        var epochs = CliOptions.Int("--epochs", Defaults.Epochs, "Training epochs.", min: 0);
        var seed = CliOptions.Seed();
        var threads = CliOptions.Threads();
        var quiet = CliOptions.Quiet();
        var command = new Command("demo", "Embed the built-in digits set (1797 8×8 images) with the defaults; write digits-embedding.csv and digits.png.")
        {
            outputDir, epochs, seed, threads, quiet,
        };
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            var clock = Stopwatch.StartNew();
            var progress = context.CreateProgress(parsed.GetValue(quiet));
            var options = new CneOptions { Epochs = parsed.GetValue(epochs), Seed = parsed.GetValue(seed), Threads = parsed.GetValue(threads) };
            EmbedOptions.Validate(options);
            var (data, labels) = progress.Time("read", ReadDigits);
            var labelSet = LabelSet.FromNumbers(labels.Select(v => (double)v).ToArray());

            var graph = EmbedPipeline.BuildGraph(data, options, "digits", progress, context.CancellationToken);
            var start = EmbedPipeline.Initialize(data, options, null, progress);
            Matrix embedding;
            using (var run = EmbedPipeline.Fit(graph, start, options, progress, "epochs", context.CancellationToken))
                embedding = run.Embedding;
            var embedSeconds = clock.Elapsed;

            string dir = parsed.GetValue(outputDir)!;
            Directory.CreateDirectory(dir);
            string csv = Path.Combine(dir, "digits-embedding.csv"), png = Path.Combine(dir, "digits.png");
            progress.Time("write", () => DataFiles.WriteMatrix(csv, embedding));
            progress.Time("plot", () => DataFiles.WriteBytes(png,
                EmbeddingFigure.RenderPng([new FigurePanel($"digits, {data.Rows} images (infonce, s = 0)", embedding)], labelSet)));
            var report = progress.Time("evaluate", () => EmbeddingQuality.Evaluate(data, embedding, labels,
                new QualityOptions { Seed = options.Seed, Threads = options.Threads }));

            var o = context.Out;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Embedded {data.Rows} digits ({data.Columns} dimensions) into 2-D in {ProgressSeconds(embedSeconds)}; total {ProgressSeconds(clock.Elapsed)}."));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  kNN recall@{report.K}:  {report.RecallAtK:0.000}   (share of each point's 15 data-space neighbours kept in the map)"));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  kNN accuracy:    {report.KnnAccuracy ?? double.NaN:0.000}   (10-NN classification of the digit in the map)"));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Spearman:        {report.Spearman:0.000}   (rank correlation of data and map distances)"));
            o.WriteLine($"Wrote {csv} and {png}.");
            progress.PrintSummary();
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The embedded digits images and labels.</summary>
    internal static (Matrix Data, int[] Labels) ReadDigits()
    {
        var assembly = typeof(DemoCommand).Assembly;
        using var images = assembly.GetManifestResourceStream("digits-images.npy")
            ?? throw new InvalidOperationException("The built-in digits-images.npy resource is missing from the cne assembly.");
        using var labels = assembly.GetManifestResourceStream("digits-labels.npy")
            ?? throw new InvalidOperationException("The built-in digits-labels.npy resource is missing from the cne assembly.");
        return (NpyFile.ReadMatrix(images, "digits-images.npy"), NpyFile.ReadLabels(labels, "digits-labels.npy"));
    }

    private static string ProgressSeconds(TimeSpan t) => Progress.ProgressReporter.Seconds(t);
}
