using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Metrics;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Issue 17's benchmark: every preset (--presets, default reference,umap,tsne) run end to end on the first --n
/// rows (default all) of --set fashion-mnist|digits, one JSON line per preset with <c>knn_accuracy</c>,
/// <c>recall_at_15</c>, <c>spearman</c> (10,000-point sample, seed 0, as every benchmark) and <c>seconds</c>, the
/// whole run (kNN graph with any PCA projection before it, initialisation, epochs) with its <c>phases</c>. With
/// <c>--umap-learn 1</c> umap-learn is timed first in the same run (bench/peers/umap_learn_timer.py, Debian's
/// python3 with umap-learn), scored with the same metrics, and each preset line carries
/// <c>ratio_to_umap_learn</c>. --out DIR writes each embedding as DIR/preset-NAME.npy.
/// </summary>
public sealed class PresetsScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "presets";

    /// <inheritdoc/>
    public string Description => "each preset end to end on Fashion-MNIST (--presets a,b --set digits --umap-learn 1): one JSON line per preset";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        string set = args.Extra.GetValueOrDefault("set", "fashion-mnist");
        string imagesPath = BenchData.File(args, set + "-images.npy");
        var all = NpyFile.ReadMatrix(imagesPath);
        var allLabels = NpyFile.ReadLabels(BenchData.File(args, set + "-labels.npy"));
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = n == all.Rows ? all : all.Slice(0, n);
        var labels = allLabels.AsSpan(0, n).ToArray();
        result.N = n;
        var quality = new QualityOptions { SampleSize = Math.Min(10_000, n), Seed = 0, Threads = args.Threads };
        var presets = args.Extra.GetValueOrDefault("presets", "reference,umap,tsne").Split(',')
            .Select(p => Enum.TryParse<CnePreset>(p, ignoreCase: true, out var v) ? v : throw new ArgumentException($"--presets: unknown preset '{p}'.")).ToArray();

        double? peerSeconds = null;
        if (args.GetInt("umap-learn", 0) != 0)
        {
            string embeddingPath = Path.Combine(Path.GetTempPath(), $"cne-umap-learn-{Environment.ProcessId}.npy");
            try
            {
                var peer = RunUmapLearn(imagesPath, n, args.Threads, embeddingPath);
                peerSeconds = peer.GetProperty("seconds").GetDouble();
                var q = EmbeddingQuality.Evaluate(data, NpyFile.ReadMatrix(embeddingPath), labels, quality);
                var line = new BenchResult { N = n };
                line.AddPhase("fit", peerSeconds.Value);
                line.Set("peer", "umap-learn " + peer.GetProperty("version").GetString());
                SetQuality(line, q);
                result.Set("umap_learn_seconds", peerSeconds.Value);
                Console.WriteLine(line.ToJson(Name, args.Threads, peerSeconds.Value));
            }
            finally
            {
                File.Delete(embeddingPath);
            }
        }

        foreach (var preset in presets)
        {
            var line = new BenchResult { N = n };
            var options = new CneOptions { Preset = preset, Seed = args.Seed, Threads = args.Threads };
            if (args.Epochs is { } epochs) options = options with { Epochs = epochs };
            var cne = new Cne(options);
            var clock = Stopwatch.StartNew();
            // The stages Cne.Fit runs (Cne.CreateGraph's projection and search timed apart), then the epochs.
            var cpuStart = Cpu();
            var knnInput = Timed(line, "knn_pca", () => cne.KnnInput(data));
            var knn = Timed(line, "knn", () => NearestNeighbors.Search(knnInput, options.K, options.KnnMethod, options.KnnMetric, options.Seed, options.Threads));
            Matrix embedding;
            if (options.Repulsion == RepulsionMode.Fft)
            {
                // The stages of Cne.Fit(data) with Repulsion = Fft: affinities on the kNN distances, t-SNE's small start
                // from the projection's first two columns (PCA's initialisation) when there is one.
                var affinities = Timed(line, "affinities", () => Tsne.AffinityMatrix.FromKnn(knn, options.Perplexity, options.Threads));
                var start = Timed(line, "init", () => Cne.TsneInitialization(ReferenceEquals(knnInput, data)
                    ? cne.CreateInitialization(data) : Cne.LeadingColumns(knnInput, options.Dimensions)));
                embedding = Timed(line, "optimize", () => cne.Fit(affinities, start).Embedding);
            }
            else
            {
                var graph = knn.ToGraph();
                var init = Timed(line, "init", () => cne.CreateInitialization(data));
                embedding = Timed(line, "optimize", () => cne.Fit(graph, init).Embedding);
            }
            double seconds = clock.Elapsed.TotalSeconds;
            line.Set("cpu_seconds", Cpu() - cpuStart);
            var q = line.Phase("quality", () => EmbeddingQuality.Evaluate(data, embedding, labels, quality));
            line.Set("preset", preset.ToString().ToLowerInvariant());
            SetQuality(line, q);
            line.Set("settings", string.Join(" ", CnePresets.Changes(preset).Select(c => $"{c.Key}={c.Value}")));
            if (peerSeconds is { } peerTime) line.Set("ratio_to_umap_learn", seconds / peerTime);
            if (args.Out is { } dir)
            {
                Directory.CreateDirectory(dir);
                NpyFile.Write(Path.Combine(dir, $"preset-{preset.ToString().ToLowerInvariant()}.npy"), embedding);
            }
            // "seconds" is the run a user waits for: graph, initialisation, epochs (not the quality evaluation).
            Console.WriteLine(line.ToJson(Name, args.Threads, seconds));
            result.Set(preset.ToString().ToLowerInvariant() + "_seconds", seconds);
        }
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>A phase with its wall seconds, and its process CPU seconds as PHASE_cpu_seconds (steadier on a shared machine).</summary>
    private static T Timed<T>(BenchResult line, string name, Func<T> action)
    {
        double cpu = Cpu();
        T value = line.Phase(name, action);
        line.Set(name + "_cpu_seconds", Cpu() - cpu);
        return value;
    }

    private static void SetQuality(BenchResult line, QualityReport q)
    {
        line.Set("knn_accuracy", q.KnnAccuracy ?? double.NaN);
        line.Set("recall_at_15", q.RecallAtK);
        line.Set("spearman", q.Spearman);
    }

    /// <summary>Runs bench/peers/umap_learn_timer.py and returns its JSON line.</summary>
    private static JsonElement RunUmapLearn(string imagesPath, int n, int threads, string outPath)
    {
        string script = Path.Combine(RepoRoot(), "bench", "peers", "umap_learn_timer.py");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { script, imagesPath, "--n", n.ToString(CultureInfo.InvariantCulture), "--threads",
                     threads.ToString(CultureInfo.InvariantCulture), "--out", outPath })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new IOException("Could not start /usr/bin/python3 for umap-learn.");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new IOException($"umap-learn timer exited with {process.ExitCode} (apt-get install -y umap-learn python3-pynndescent).");
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    private static string RepoRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "ContrastiveNE.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Could not find the repository root (ContrastiveNE.sln) above the current directory or the benchmark.");
    }
}
