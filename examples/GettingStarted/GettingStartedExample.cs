using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Metrics;

namespace ContrastiveNE.Examples.GettingStarted;

/// <summary>The getting-started example: the four steps a user takes with the library.</summary>
public static class GettingStartedExample
{
    /// <summary>
    /// Embeds <paramref name="dataPath"/> (a 2-D <c>.npy</c> array, one point per row) in two dimensions, writes the
    /// map to <paramref name="outputPath"/> (<c>.npy</c>) and returns how faithful it is.
    /// </summary>
    /// <param name="dataPath">The data: rows are points, columns are features.</param>
    /// <param name="labelsPath">Optional class labels (a 1-D <c>.npy</c> array), for the kNN accuracy.</param>
    /// <param name="outputPath">Where the n × 2 map is written.</param>
    /// <param name="log">Where the figures are printed.</param>
    /// <param name="threads">Worker threads; 0 uses every processor.</param>
    public static QualityReport Run(string dataPath, string? labelsPath, string outputPath, TextWriter log, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(log);

        // 1. Load: any numeric dtype is read as float32; labels are integers.
        Matrix data = NpyFile.ReadMatrix(dataPath);
        int[]? labels = labelsPath == null ? null : NpyFile.ReadLabels(labelsPath);
        if (labels != null && labels.Length != data.Rows)
            throw new InvalidDataException($"'{labelsPath}' holds {labels.Length} labels for the {data.Rows} rows of '{dataPath}'.");
        log.WriteLine($"read {data.Rows} points with {data.Columns} features from {dataPath}");

        // 2. Fit: kNN graph → PCA initialisation → 200 epochs of InfoNC-t-SNE (the defaults); the seed makes it repeatable.
        var cne = new Cne(new CneOptions { Seed = 1, Threads = threads });
        //    `using`: a GPU fit (Device = Gpu or Auto) holds device memory until the result is disposed.
        using CneEmbedding run = cne.Fit(data);

        // 3. Save: the map is an n × 2 matrix, written atomically.
        NpyFile.Write(outputPath, run.Embedding);
        log.WriteLine($"wrote the {run.Embedding.Rows} × {run.Embedding.Columns} map to {outputPath}");

        // 4. Evaluate: how many data-space neighbours the map keeps, how well labels are predicted from map neighbours,
        //    and how distances are ranked.
        QualityReport quality = EmbeddingQuality.Evaluate(data, run.Embedding, labels, new QualityOptions { Threads = threads });
        log.WriteLine($"kNN recall@{quality.K}: {quality.RecallAtK:F3}");
        if (quality.KnnAccuracy is double accuracy) log.WriteLine($"kNN accuracy:  {accuracy:F3}");
        log.WriteLine($"Spearman:      {quality.Spearman:F3}");
        return quality;
    }

    /// <summary>
    /// The command line: <c>[data.npy [labels.npy] [map.npy]]</c>; without arguments, the 8 × 8 digits that the
    /// repository ships in <c>tests/data</c>. Returns 0, or 1 after one line on <paramref name="error"/> when a
    /// file is missing or unreadable, or 2 for bad arguments.
    /// </summary>
    public static int RunCommandLine(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length > 3 || args is ["-h" or "--help", ..])
        {
            error.WriteLine("usage: GettingStarted [data.npy [labels.npy] [map.npy]]   (default: the digits in tests/data, map.npy)");
            return args.Length > 3 ? 2 : 0;
        }
        try
        {
            string data, mapPath;
            string? labels;
            if (args.Length == 0)
            {
                string folder = RepositoryData();
                (data, labels, mapPath) = (Path.Combine(folder, "digits-images.npy"), Path.Combine(folder, "digits-labels.npy"), "map.npy");
            }
            else
            {
                data = args[0];
                labels = args.Length >= 2 ? args[1] : null;
                mapPath = args.Length == 3 ? args[2] : "map.npy";
            }
            Run(data, labels, mapPath, output);
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>The repository's <c>tests/data</c>, found by walking up to the folder holding <c>ContrastiveNE.sln</c>.</summary>
    private static string RepositoryData()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "ContrastiveNE.sln")))
                    return Path.Combine(dir.FullName, "tests", "data");
        throw new FileNotFoundException("Without arguments the example embeds the digits in the repository's tests/data, but no repository was found above the working directory; pass data.npy.");
    }
}
