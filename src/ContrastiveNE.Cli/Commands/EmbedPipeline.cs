using System.Globalization;
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
            if (options.Dimensions > data.Columns)
                throw new CliUsageException($"--dim: a PCA initialisation of {options.Dimensions} dimensions needs at least as many data columns; the data has {data.Columns}. Pass --init FILE.");
            return progress.Time("init", () => PcaInitializer.Initialize(data, options.Dimensions, options.Threads));
        }
        var start = progress.Time("init", () => DataFiles.ReadMatrix(initFile));
        if (start.Rows != data.Rows || start.Columns != options.Dimensions)
            throw new InvalidDataException($"{initFile}: the initialisation is {start.Rows} × {start.Columns}; --init needs {data.Rows} × {options.Dimensions} (one row per data point, --dim columns).");
        DataChecks.EnsureFinite(start, initFile);
        return start;
    }

    /// <summary>Trains a non-parametric embedding (the caller disposes it); Ctrl-C throws <see cref="OperationCanceledException"/> from the library.</summary>
    public static CneEmbedding Fit(NeighborGraph graph, Matrix start, CneOptions options, ProgressReporter progress, string phaseName, CancellationToken token)
    {
        // Above 100,000 rows the library adapts the defaults left unset (learning rate, epochs): say so, and count
        // the epochs it will run.
        if (options.LargeDataNote(graph.NodeCount) is { } note) progress.Note(note);
        options = options.ForRows(graph.NodeCount);
        var estimator = new Cne(options);
        var result = progress.Run(phaseName, phase =>
            estimator.Fit(graph, start, phase.As<EpochReport>(report => EpochLine(report, options.Epochs)), null, token));
        return result;
    }

    /// <summary>The fraction done and the detail line of an epoch report.</summary>
    public static (double, string?) EpochLine(EpochReport report, int epochs)
    {
        int done = report.Epoch + 1;
        string detail = string.Create(CultureInfo.InvariantCulture, $"epoch {done}/{epochs}  loss {report.MeanLoss:G5}  lr {report.LearningRate:G4}");
        return (epochs == 0 ? 1.0 : (double)done / epochs, detail);
    }
}
