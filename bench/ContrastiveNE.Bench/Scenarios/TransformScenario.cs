using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Metrics;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Issue 19's benchmark: new points placed into a non-parametric map. Fits on the first 60,000 Fashion-MNIST rows
/// (<c>--n</c>), places the last 10,000 (<c>--test</c>) with <see cref="CneMap.Transform"/>, and classifies each
/// placed point by its 10 nearest training points in the map (<c>knn_accuracy_new</c>). The same rows' accuracy
/// when they are part of the fit (<c>knn_accuracy_in_fit</c>) comes from a second fit on all 70,000 rows, classified
/// by the training rows' positions in that map. <c>transform_seconds_per_10k</c> is the whole placement (kNN search +
/// optimisation) per 10,000 new points, <c>transform_knn_seconds_per_10k</c> and <c>optimise_seconds_per_10k</c> its halves. With <c>--umap-learn 1</c> (the default) umap-learn's fit and
/// <c>transform</c> run first on the same split (bench/peers/umap_learn_transform.py) and are scored the same way.
/// Options: <c>--preset</c> (reference|umap), <c>--transform-epochs</c> and <c>--transform-negatives</c> (comma
/// lists: every combination is placed into the same fitted map, one JSON line each), <c>--in-fit 0</c> skips the
/// 70,000-row fit.
/// </summary>
public sealed class TransformScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "transform";

    /// <inheritdoc/>
    public string Description => "non-parametric map of 60,000 Fashion-MNIST rows, place the last 10,000: 10-NN accuracy vs in-fit and umap-learn's transform";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        string imagesPath = BenchData.File(args, "fashion-mnist-images.npy");
        var all = NpyFile.ReadMatrix(imagesPath);
        var labels = NpyFile.ReadLabels(BenchData.File(args, "fashion-mnist-labels.npy"));
        int testRows = Math.Min(args.GetInt("test", 10_000), all.Rows - 2);
        int n = Math.Min(args.N ?? all.Rows - testRows, all.Rows - testRows);
        var train = all.Slice(0, n);
        var test = all.Slice(all.Rows - testRows, testRows);
        int[] trainLabels = labels[..n], testLabels = labels[^testRows..];
        result.N = n;
        result.Set("test_rows", testRows);

        if (args.GetInt("umap-learn", 1) != 0) RunPeer(args, imagesPath, n, testRows, trainLabels, testLabels, result);

        var preset = Enum.Parse<CnePreset>(args.Extra.GetValueOrDefault("preset", "reference"), ignoreCase: true);
        var options = new CneOptions { Preset = preset, Seed = args.Seed, Threads = args.Threads };
        if (args.Epochs is { } epochs) options = options with { Epochs = epochs };
        result.Set("preset", preset.ToString().ToLowerInvariant());

        if (args.GetInt("in-fit", 1) != 0 && n + testRows <= all.Rows)
        {
            // The same rows as part of a fit: all training rows and the new rows together, in the file's order.
            var joint = n + testRows == all.Rows ? all : Concat(train, test);
            var map = result.Phase("fit_all", () => new Cne(options).FitTransform(joint));
            result.Set("knn_accuracy_in_fit", KnnClassification.TestAccuracy(map.Slice(0, n), trainLabels, map.Slice(n, testRows), testLabels, 10, args.Threads));
        }

        using var fit = result.Phase("fit", () => new Cne(options).Fit(train));
        var cneMap = fit.ToMap();
        result.Set("knn_accuracy_train", KnnClassification.LeaveOneOutAccuracy(fit.Embedding, trainLabels, 10, 10_000, args.Seed, args.Threads));
        var transformEpochs = args.GetIntList("transform-epochs", [new CneTransformOptions().Epochs]);
        var negatives = args.GetIntList("transform-negatives", [new CneTransformOptions().NegativesFor(options)]);
        var searchClock = Stopwatch.StartNew();
        var neighbors = cneMap.SearchNeighbors(test);
        searchClock.Stop();
        result.AddPhase("transform_knn", searchClock.Elapsed.TotalSeconds);
        result.Set("transform_knn_seconds_per_10k", searchClock.Elapsed.TotalSeconds * 10_000.0 / testRows);
        foreach (int e in transformEpochs)
            foreach (int m in negatives)
            {
                var line = new BenchResult { N = n };
                var transform = new CneTransformOptions { Epochs = e, NegativeSamples = m };
                var clock = Stopwatch.StartNew();
                // The search is shared by every combination: the whole placement is the search plus this optimisation.
                var placed = cneMap.Place(neighbors, transform);
                double seconds = clock.Elapsed.TotalSeconds + searchClock.Elapsed.TotalSeconds;
                line.Set("optimise_seconds_per_10k", clock.Elapsed.TotalSeconds * 10_000.0 / testRows);
                line.Set("transform_epochs", e);
                line.Set("transform_negatives", m);
                line.Set("transform_seconds_per_10k", seconds * 10_000.0 / testRows);
                double accuracy = KnnClassification.TestAccuracy(fit.Embedding, trainLabels, placed, testLabels, 10, args.Threads);
                line.Set("knn_accuracy_new", accuracy);
                var start = new Matrix(testRows, fit.Embedding.Columns);
                Training.NewPointTrainer.Initialize(start, fit.Embedding, neighbors);
                line.Set("knn_accuracy_start", KnnClassification.TestAccuracy(fit.Embedding, trainLabels, start, testLabels, 10, args.Threads));
                Console.WriteLine(line.ToJson(Name + "-placement", args.Threads, seconds));
                result.Set($"knn_accuracy_new_e{e}_m{m}", accuracy);
                result.Set($"transform_seconds_per_10k_e{e}_m{m}", seconds * 10_000.0 / testRows);
            }
    }

    private static Matrix Concat(Matrix a, Matrix b)
    {
        var m = new Matrix(a.Rows + b.Rows, a.Columns);
        a.Data.CopyTo(m.Data, 0);
        b.Data.CopyTo(m.Data, a.Data.Length);
        return m;
    }

    /// <summary>umap-learn's fit on the training rows and transform of the new rows, scored like ours.</summary>
    private static void RunPeer(BenchArgs args, string imagesPath, int n, int testRows, int[] trainLabels, int[] testLabels, BenchResult result)
    {
        string trainPath = Path.Combine(Path.GetTempPath(), $"cne-ul-train-{Environment.ProcessId}.npy");
        string testPath = Path.Combine(Path.GetTempPath(), $"cne-ul-test-{Environment.ProcessId}.npy");
        try
        {
            string script = Path.Combine(RepoRoot(), "bench", "peers", "umap_learn_transform.py");
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in new[] { script, imagesPath, "--train", n.ToString(CultureInfo.InvariantCulture), "--test", testRows.ToString(CultureInfo.InvariantCulture),
                         "--threads", args.Threads.ToString(CultureInfo.InvariantCulture), "--out-train", trainPath, "--out-test", testPath })
                start.ArgumentList.Add(a);
            using var process = Process.Start(start) ?? throw new IOException("Could not start /usr/bin/python3 for umap-learn.");
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new IOException($"umap-learn transform timer exited with {process.ExitCode}.");
            var peer = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
            var phases = peer.GetProperty("phases");
            result.Set("umap_learn_version", peer.GetProperty("version").GetString() ?? "?");
            result.Set("umap_learn_fit_seconds", phases.GetProperty("fit").GetDouble());
            result.Set("umap_learn_transform_seconds_per_10k", phases.GetProperty("transform").GetDouble() * 10_000.0 / testRows);
            result.Set("umap_learn_knn_accuracy_new", KnnClassification.TestAccuracy(NpyFile.ReadMatrix(trainPath), trainLabels,
                NpyFile.ReadMatrix(testPath), testLabels, 10, args.Threads));
        }
        finally
        {
            File.Delete(trainPath);
            File.Delete(testPath);
        }
    }

    private static string RepoRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "ContrastiveNE.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Could not find the repository root (ContrastiveNE.sln) above the current directory or the benchmark.");
    }
}
