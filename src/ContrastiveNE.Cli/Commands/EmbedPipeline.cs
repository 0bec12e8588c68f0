using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Progress;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Initialization;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Cli.Commands;

/// <summary>
/// The stages of an embedding run as the CLI drives them, each its own timed phase with its own progress: kNN graph,
/// initialisation, epochs. (Running the stages here rather than inside one library call is what lets the kNN search
/// have a bar of its own.)
/// </summary>
internal static class EmbedPipeline
{
    /// <summary>The symmetric kNN graph of <paramref name="data"/>.</summary>
    public static NeighborGraph BuildGraph(Matrix data, CneOptions options, string dataPath, ProgressReporter progress, CancellationToken token)
    {
        DataChecksCli.EnsureNeighbours(options.K, data.Rows, dataPath);
        // The library builds the graph as Cne.Fit would (including a preset's PCA projection before the search).
        return progress.Run("knn", phase => new Cne(options).CreateGraph(data, phase.AsFraction(), token));
    }

    /// <summary>The starting positions: PCA of the data (docs/method.md §1.3), or an n × d matrix read from a file.</summary>
    public static Matrix Initialize(Matrix data, CneOptions options, string? initFile, ProgressReporter progress)
    {
        if (initFile is null)
        {
            CheckPcaDimensions(data, options);
            return progress.Time("init", () => PcaInitializer.Initialize(data, options.Dimensions, options.Threads));
        }
        return ReadInitialization(data, options, initFile, progress);
    }

    /// <summary>Fails early, naming --dim, when a PCA initialisation cannot have the asked dimensions.</summary>
    public static void CheckPcaDimensions(Matrix data, CneOptions options)
    {
        if (options.Dimensions > data.Columns)
            throw new CliUsageException($"--dim: a PCA initialisation of {options.Dimensions} dimensions needs at least as many data columns; the data has {data.Columns}. Pass --init FILE.");
    }

    /// <summary>An n × d initialisation read from <paramref name="initFile"/> (phase "read-init"), checked against the data.</summary>
    public static Matrix ReadInitialization(Matrix data, CneOptions options, string initFile, ProgressReporter progress)
    {
        var start = progress.Time("read-init", () => DataFiles.ReadMatrix(initFile));
        if (start.Rows != data.Rows || start.Columns != options.Dimensions)
            throw new InvalidDataException($"{initFile}: the initialisation is {start.Rows} × {start.Columns}; --init needs {data.Rows} × {options.Dimensions} (one row per data point, --dim columns).");
        DataChecks.EnsureFinite(start, initFile);
        return start;
    }

    /// <summary>
    /// The CLI's name of each phase of a library fit: "knn", "init" (hidden when the start is given, as copying it is
    /// no work) and <paramref name="epochs"/>.
    /// </summary>
    public static Func<FitPhase, string?> PhaseNames(bool startGiven, string epochs = "epochs") => phase => phase switch
    {
        FitPhase.Neighbors => "knn",
        FitPhase.Initialization => startGiven ? null : "init",
        _ => epochs,
    };

    /// <summary>Trains a non-parametric embedding (the caller disposes it); Ctrl-C throws <see cref="OperationCanceledException"/> from the library.</summary>
    public static CneEmbedding Fit(NeighborGraph graph, Matrix start, CneOptions options, ProgressReporter progress, string phaseName, CancellationToken token)
    {
        // Above 100,000 rows the library adapts the defaults left unset (learning rate, epochs): say so, and count
        // the epochs it will run.
        options = options with { Repulsion = options.Repulsion }; // a graph and a start: sampled negatives (docs/scaling.md)
        if (options.LargeDataNote(graph.NodeCount) is { } note) progress.Note(note);
        options = options.ForRows(graph.NodeCount);
        var estimator = new Cne(options);
        return progress.RunFit(PhaseNames(startGiven: true, phaseName), options.Epochs, reports => estimator.Fit(graph, start, reports, null, token));
    }
}
