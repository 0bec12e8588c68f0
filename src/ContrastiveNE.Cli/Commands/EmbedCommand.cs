using System.CommandLine;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Cli.Plotting;
using ContrastiveNE.Data;
using ContrastiveNE.Metrics;

namespace ContrastiveNE.Cli.Commands;

/// <summary><c>cne embed INPUT -o OUT</c>: a contrastive neighbour embedding with every option of the library.</summary>
internal static class EmbedCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var input = CliOptions.InputArgument("INPUT", "Data matrix, one point per row", DataFiles.MatrixInputExtensions);
        var output = CliOptions.Output("The embedding, n × dim", DataFiles.MatrixOutputExtensions);
        var embed = new EmbedOptions();
        var init = new Option<string>("--init")
        {
            Description = "Initial positions: pca (first principal components, scaled) or an n × dim .npy/.csv file (non-parametric only).",
            DefaultValueFactory = _ => "pca",
            HelpName = "pca|FILE",
        };
        var labels = new LabelOptions(withColumn: true, withNames: true);
        var plot = CliOptions.OutputFile("--plot", "Also draw the embedding coloured by label", ".png");
        var evaluate = CliOptions.Flag("--evaluate", "Print the quality figures (recall_at_15, knn_accuracy, spearman) as JSON at the end.");
        var saveModel = CliOptions.File("--save-model", "Save the trained network (with --parametric) for cne transform, e.g. model.cnemodel.");
        var quiet = CliOptions.Quiet();
        var command = new Command("embed", "Embed the rows of INPUT into a few dimensions (2 by default), t-SNE-like to UMAP-like along --s.") { input, output };
        embed.AddTo(command);
        command.Options.Add(init);
        labels.AddTo(command);
        command.Options.Add(plot);
        command.Options.Add(evaluate);
        command.Options.Add(saveModel);
        command.Options.Add(quiet);
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            var options = embed.Build(parsed);
            string? initValue = parsed.GetValue(init);
            string? initFile = initValue is null or "pca" ? null : initValue;
            if (initFile is not null && !DataFiles.MatrixInputExtensions.Contains(Path.GetExtension(initFile).ToLowerInvariant()))
                throw new CliUsageException($"--init: expected pca or a .npy/.csv/.tsv file, got '{initFile}'.");
            string? modelPath = parsed.GetValue(saveModel);
            if (modelPath is not null && !options.Parametric)
                throw new CliUsageException("--save-model: only a parametric embedding has a model to save; add --parametric.");
            if (options.Parametric && initFile is not null)
                throw new CliUsageException("--init: a parametric embedding starts from its network's initialisation; drop --init or --parametric.");

            var progress = context.CreateProgress(parsed.GetValue(quiet));
            string inputPath = parsed.GetValue(input)!;
            var (data, fromData) = progress.Time("read", () => DataFiles.ReadData(inputPath, labels.Column(parsed)));
            var labelSet = labels.Resolve(parsed, fromData, data.Rows, inputPath);
            DataChecks.EnsureFinite(data, inputPath);

            var run = options.Parametric
                ? FitNetwork(data, options, inputPath, progress, context)
                : FitTable(data, options, inputPath, initFile, progress, context);
            var embedding = run.Embedding;

            string outputPath = parsed.GetValue(output)!;
            progress.Time("write", () => DataFiles.WriteMatrix(outputPath, embedding));
            if (modelPath is not null) progress.Time("save-model", () => run.SaveModel!(modelPath));
            if (parsed.GetValue(plot) is { } png)
                progress.Time("plot", () => DataFiles.WriteBytes(png,
                    EmbeddingFigure.RenderPng([new FigurePanel(Title(inputPath, options), embedding)], labelSet)));
            if (parsed.GetValue(evaluate))
            {
                var report = progress.Time("evaluate", () => EmbeddingQuality.Evaluate(data, embedding, labelSet?.Codes,
                    new QualityOptions { Seed = options.Seed, Threads = options.Threads }));
                context.Out.WriteLine(QualityOutput.Json(report));
            }
            progress.Note($"wrote {embedding.Rows} × {embedding.Columns} embedding to {outputPath}");
            progress.PrintSummary();
            return ExitCodes.Success;
        }));
        return command;
    }

    private static EmbedRun FitTable(Matrix data, Embedding.CneOptions options, string inputPath, string? initFile,
        Progress.ProgressReporter progress, CliContext context)
    {
        if (options.Repulsion == Embedding.RepulsionMode.Fft) return FitTsne(data, options, inputPath, initFile, progress, context);
        // The start first: a bad --init file should fail before the kNN search, not after.
        var start = EmbedPipeline.Initialize(data, options, initFile, progress);
        var graph = EmbedPipeline.BuildGraph(data, options, inputPath, progress, context.CancellationToken);
        var result = EmbedPipeline.Fit(graph, start, options, progress, "epochs", context.CancellationToken);
        return new EmbedRun(result.Embedding, null);
    }

    /// <summary>
    /// --repulsion fft: the library's one call (kNN, perplexity or uniform affinities, t-SNE's small PCA start unless
    /// --init is given, the two phases), so the kNN search shares the training phase's timing.
    /// </summary>
    private static EmbedRun FitTsne(Matrix data, Embedding.CneOptions options, string inputPath, string? initFile,
        Progress.ProgressReporter progress, CliContext context)
    {
        var start = initFile is null ? null : EmbedPipeline.Initialize(data, options, initFile, progress);
        DataChecksCli.EnsureNeighbours(options.K, data.Rows, inputPath);
        var estimator = new Embedding.Cne(options);
        var result = progress.Run("knn+epochs", phase => estimator.Fit(data, start,
            phase.As<Embedding.EpochReport>(report => EmbedPipeline.EpochLine(report, options.Epochs)), null, context.CancellationToken));
        if (result.Cancelled) throw new OperationCanceledException(context.CancellationToken);
        return new EmbedRun(result.Embedding, null);
    }

    private static EmbedRun FitNetwork(Matrix data, Embedding.CneOptions options, string inputPath,
        Progress.ProgressReporter progress, CliContext context)
    {
        // The parametric estimator builds its kNN graph itself, so the kNN search shares the training phase's timing.
        DataChecksCli.EnsureNeighbours(options.K, data.Rows, inputPath);
        var estimator = new Embedding.Cne(options);
        var result = progress.Run("knn+epochs", phase => estimator.Fit(data, null,
            phase.As<Embedding.EpochReport>(report => EmbedPipeline.EpochLine(report, options.Epochs)), null, context.CancellationToken));
        if (result.Cancelled) throw new OperationCanceledException(context.CancellationToken);
        var embedding = progress.Time("transform", () => result.Embedding);
        return new EmbedRun(embedding, result.Save);
    }

    /// <summary>The picture title: the input's name and the loss / spectrum settings that shape the map.</summary>
    internal static string Title(string inputPath, Embedding.CneOptions options)
    {
        string name = Path.GetFileNameWithoutExtension(inputPath);
        string loss = Choices.Word(Choices.Losses, options.Loss);
        string s = options.S is { } v ? $", s = {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "";
        return $"{name} ({loss}{s}{(options.Parametric ? ", parametric" : "")})";
    }
}

/// <summary>A finished embedding run: the positions and, for parametric runs, how to save the network.</summary>
internal sealed record EmbedRun(Matrix Embedding, Action<string>? SaveModel);
