using System.CommandLine;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Plotting;
using ContrastiveNE.Data;
using ContrastiveNE.Metrics;
using ContrastiveNE.Neighbors;

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
        var graphFile = new Option<string?>("--graph")
        {
            Description = "Train on your own neighbour graph over the rows of INPUT instead of a kNN graph: a scipy.sparse.save_npz file (CSR or COO) or an edge list 'i j [weight]' per line (.txt/.tsv/.csv/.edges). Used as given: not symmetrised, self-loops kept; weights ignored.",
            HelpName = "FILE",
        };
        graphFile.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            string path = result.Tokens[^1].Value;
            if (!GraphFile.Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
                result.AddError($"--graph: '{path}' has an unsupported extension; expected a file ending in {string.Join(" or ", GraphFile.Extensions)}.");
        });
        var graphSymmetrize = CliOptions.Flag("--graph-symmetrize", "With --graph: make the graph symmetric, A = max(A, Aᵀ), as the kNN graph is.");
        var labels = new LabelOptions(withColumn: true, withNames: true);
        var dataInput = new DataInputOptions();
        var outputKey = new Option<string?>("--output-key")
        {
            Description = $"Name the embedding is stored under: the obsm key of a .h5ad output (default {Formats.AnnDataFile.DefaultKey}) or the array of a .npz output (default {NpzFile.DefaultKey}).",
            HelpName = "NAME",
        };
        var plot = CliOptions.OutputFile("--plot", "Also draw the embedding coloured by label, as a picture or (.html) an interactive map", MapOutput.MapExtensions);
        var map = new MapOptions();
        var evaluate = CliOptions.Flag("--evaluate", "Print the quality figures (recall_at_15, knn_accuracy, spearman) as JSON at the end.");
        var saveModel = CliOptions.File("--save-model", "Save the trained network (with --parametric) for cne transform, e.g. model.cnem.");
        var saveMap = CliOptions.File("--save-map", "Save the fitted map (non-parametric; training data, positions, options) for cne transform to place new points into, e.g. atlas.cnemap.");
        var quiet = CliOptions.Quiet();
        var command = new Command("embed", "Embed the rows of INPUT into a few dimensions (2 by default), t-SNE-like to UMAP-like along --s.") { input, output };
        embed.AddTo(command);
        command.Options.Add(init);
        command.Options.Add(graphFile);
        command.Options.Add(graphSymmetrize);
        labels.AddTo(command);
        dataInput.AddTo(command);
        command.Options.Add(outputKey);
        command.Options.Add(plot);
        map.AddTo(command);
        command.Options.Add(evaluate);
        command.Options.Add(saveModel);
        command.Options.Add(saveMap);
        command.Options.Add(quiet);
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            var options = embed.Build(parsed);
            string? initValue = parsed.GetValue(init);
            string? initFile = initValue is null or "pca" ? null : initValue;
            if (initFile is not null && !CliOptions.HasSuffix(initFile, DataFiles.MatrixInputExtensions))
                throw new CliUsageException($"--init: expected pca or a data file ({string.Join(", ", DataFiles.MatrixInputExtensions)}), got '{initFile}'.");
            string outputPath = parsed.GetValue(output)!;
            string? key = parsed.GetValue(outputKey);
            if (key is not null && !CliOptions.HasSuffix(outputPath, [".h5ad", ".npz"]))
                throw new CliUsageException($"--output-key: names the embedding inside a .h5ad or .npz output; '{outputPath}' is neither.");
            string? modelPath = parsed.GetValue(saveModel);
            if (modelPath is not null && !options.Parametric)
                throw new CliUsageException("--save-model: only a parametric embedding has a model to save; add --parametric.");
            string? mapPath = parsed.GetValue(saveMap);
            if (mapPath is not null && options.Parametric)
                throw new CliUsageException("--save-map: a parametric embedding places new points with its network; save it with --save-model instead.");
            if (mapPath is not null && options.Repulsion == Embedding.RepulsionMode.Fft)
                throw new CliUsageException("--save-map: a map fitted with --repulsion fft (or --preset tsne) cannot place new points; choose --repulsion sampled.");
            if (options.Parametric && initFile is not null)
                throw new CliUsageException("--init: a parametric embedding starts from its network's initialisation; drop --init or --parametric.");
            string? graphPath = parsed.GetValue(graphFile);
            bool symmetrize = parsed.GetValue(graphSymmetrize);
            if (symmetrize && graphPath is null)
                throw new CliUsageException("--graph-symmetrize: it applies to a graph given with --graph; add --graph FILE or drop it.");

            if (map.AnyGiven(parsed) && (parsed.GetValue(plot) is not { } htmlPath || !MapOutput.IsHtml(htmlPath)))
                throw new CliUsageException("--image-shape and --hover-columns add to an interactive map; add --plot FILE.html.");

            var progress = context.CreateProgress(parsed.GetValue(quiet));
            string inputPath = parsed.GetValue(input)!;
            var read = progress.Time("read", () => DataFiles.Read(inputPath, dataInput.Selection(parsed, labels.Column(parsed))));
            var (data, fromData) = (read.Data, read.Labels);
            var labelSet = labels.Resolve(parsed, fromData, data.Rows, inputPath);
            DataChecks.EnsureFinite(data, inputPath);

            NeighborGraph? graph = graphPath is null ? null
                : progress.Time("graph", () => GraphFile.Read(graphPath, data.Rows, symmetrize));
            var run = options.Parametric
                ? FitNetwork(data, graph, options, inputPath, progress, context)
                : FitTable(data, graph, options, inputPath, initFile, progress, context, mapPath);
            var embedding = run.Embedding;

            // Formats with room for them (.h5ad, .parquet, .npz) also store the row names and the labels.
            string? column = labels.Column(parsed);
            var written = new DataWriteOptions
            {
                Key = key, RowNames = read.Loaded.RowNames, Labels = labelSet?.Codes, LabelNames = labelSet?.Names,
                LabelColumnName = column is not null && !int.TryParse(column, out _) ? column : "label",
            };
            progress.Time("write", () => DataFiles.WriteMatrix(outputPath, embedding, written));
            if (modelPath is not null) progress.Time("save-model", () => run.SaveModel!(modelPath));
            if (parsed.GetValue(plot) is { } png)
                progress.Time("plot", () => MapOutput.WriteMap(png, new FigurePanel(Title(inputPath, run.Fitted ?? options), embedding), labelSet, 800,
                    () => new InteractiveMapOptions
                    {
                        Settings = Settings(options),
                        Thumbnails = map.Thumbnails(parsed, read.Loaded, inputPath),
                        HoverColumns = map.Columns(parsed, read.Loaded, inputPath),
                    }));
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

    /// <summary>
    /// A non-parametric embedding in one library call (kNN graph or the user's graph, PCA or the --init start, epochs;
    /// or the FFT engine's own affinities and start), its phases shown from the library's progress reports.
    /// </summary>
    private static EmbedRun FitTable(Matrix data, NeighborGraph? userGraph, Embedding.CneOptions options, string inputPath, string? initFile,
        Progress.ProgressReporter progress, CliContext context, string? mapPath)
    {
        bool fft = options.Repulsion == Embedding.RepulsionMode.Fft;
        if (fft && userGraph is not null)
            throw new CliUsageException("--graph cannot be combined with --repulsion fft (or --preset tsne): the t-SNE engine computes its own affinities from the data.");
        // The start first: a bad --init file or --dim should fail before the kNN search, not after.
        Matrix? start = initFile is null ? null : EmbedPipeline.ReadInitialization(data, options, initFile, progress);
        if (start is null && !fft) EmbedPipeline.CheckPcaDimensions(data, options);
        if (userGraph is null) DataChecksCli.EnsureNeighbours(options.K, data.Rows, inputPath);
        // Above 100,000 rows the library adapts the defaults left unset (learning rate, epochs; docs/scaling.md): say
        // so, and count the epochs it will run.
        // A user's graph, an --init start and a saved map keep sampled negatives (the FFT engine computes its own
        // affinities, starts from its own initialisation and cannot place new points).
        if (userGraph is not null || mapPath is not null || start is not null) options = options with { Repulsion = options.Repulsion };
        if (options.LargeDataNote(data.Rows) is { } note) progress.Note(note);
        options = options.ForRows(data.Rows);
        var estimator = new Embedding.Cne(options);
        var token = context.CancellationToken;
        using var result = progress.RunFit(EmbedPipeline.PhaseNames(start is not null), options.Epochs, reports => userGraph is null
            ? estimator.Fit(data, start, reports, null, token)
            : estimator.Fit(data, userGraph, start, reports, null, token));
        // The map is saved before the embedding is written, so that --save-map fails before any output exists.
        if (mapPath is not null) progress.Time("save-map", () => result.SaveMap(mapPath, data));
        return new EmbedRun(result.Embedding, null, options);
    }

    private static EmbedRun FitNetwork(Matrix data, NeighborGraph? graph, Embedding.CneOptions options, string inputPath,
        Progress.ProgressReporter progress, CliContext context)
    {
        var estimator = new Embedding.Cne(options);
        if (graph is null) DataChecksCli.EnsureNeighbours(options.K, data.Rows, inputPath);
        var token = context.CancellationToken;
        // The device buffers of a GPU fit are freed here; the embedding and the network stay readable.
        using var result = progress.RunFit(EmbedPipeline.PhaseNames(startGiven: false), options.Epochs, reports => graph is null
            ? estimator.Fit(data, (Matrix?)null, reports, null, token)
            : estimator.Fit(data, graph, null, reports, null, token));
        var embedding = progress.Time("transform", () => result.Embedding);
        return new EmbedRun(embedding, result.Save);
    }

    /// <summary>The settings an interactive map shows under its title: loss, s, preset, and parametric when it is.</summary>
    internal static KeyValuePair<string, string>[] Settings(Embedding.CneOptions options)
    {
        var settings = new List<KeyValuePair<string, string>>
        {
            new("loss", Choices.Word(Choices.Losses, options.Loss)),
            // Without an explicit s, InfoNCE runs at s = 0 and neg at its own default (neg_spec = 1).
            new("s", options.S is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : options.Loss == Losses.LossMode.InfoNce ? "0" : "default"),
            new("preset", EmbedOptions.Presets.First(p => p.Value == options.Preset).Key),
        };
        if (options.Parametric) settings.Add(new("parametric", "yes"));
        return [.. settings];
    }

    /// <summary>The picture title: the input's name and the loss / spectrum settings that shape the map.</summary>
    internal static string Title(string inputPath, Embedding.CneOptions options)
    {
        string name = Path.GetFileNameWithoutExtension(inputPath);
        if (options.Repulsion == Embedding.RepulsionMode.Fft) return $"{name} (t-SNE, FFT repulsion)";
        string loss = Choices.Word(Choices.Losses, options.Loss);
        string s = options.S is { } v ? $", s = {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "";
        return $"{name} ({loss}{s}{(options.Parametric ? ", parametric" : "")})";
    }
}

/// <summary>
/// A finished embedding run: the positions, for parametric runs how to save the network, and the options the fit ran
/// with when they differ from the command line's (the large-data defaults, docs/scaling.md).
/// </summary>
internal sealed record EmbedRun(Matrix Embedding, Action<string>? SaveModel, Embedding.CneOptions? Fitted = null);
