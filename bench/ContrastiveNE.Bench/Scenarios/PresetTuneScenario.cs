using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Initialization;
using ContrastiveNE.Metrics;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// A sweep for tuning presets: one kNN graph (optionally searched on the first --pca principal components) and one
/// initialisation, then one run per line of --configs FILE (space-separated Property=value pairs of
/// <see cref="CneOptions"/>), each printed to standard error as one JSON-ish line with its quality and seconds.
/// --set fashion|digits.
/// </summary>
public sealed class PresetTuneScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "preset-tune";

    /// <inheritdoc/>
    public string Description => "tuning sweep: one graph, one run per line of --configs FILE (Property=value pairs)";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        string set = args.Extra.GetValueOrDefault("set", "fashion-mnist");
        var all = NpyFile.ReadMatrix(BenchData.File(args, set + "-images.npy"));
        var allLabels = NpyFile.ReadLabels(BenchData.File(args, set + "-labels.npy"));
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = all.Slice(0, n);
        var labels = allLabels.AsSpan(0, n).ToArray();
        result.N = n;
        if (args.Extra.TryGetValue("embedding", out var embeddingPath))
        {
            var q0 = EmbeddingQuality.Evaluate(data, NpyFile.ReadMatrix(embeddingPath), labels,
                new QualityOptions { SampleSize = Math.Min(10_000, n), Seed = 0, Threads = args.Threads });
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"config\":\"{embeddingPath}\",\"acc\":{q0.KnnAccuracy:F4},\"recall\":{q0.RecallAtK:F4},\"spearman\":{q0.Spearman:F4}}}"));
            return;
        }
        int k = args.GetInt("k", 15);
        int pcaDims = args.GetInt("pca", 0);
        var knnData = data;
        if (pcaDims > 0)
            knnData = result.Phase("pca", () => Pca.Fit(data, pcaDims, args.Threads).Transform(data, args.Threads));
        var knn = result.Phase("knn", () => NearestNeighbors.Search(knnData, k, KnnMethod.Auto, DistanceMetric.Euclidean, args.Seed, args.Threads));
        var graph = knn.ToGraph();
        var init = result.Phase("init", () => PcaInitializer.Initialize(data, 2, args.Threads));
        var props = typeof(CneOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToDictionary(p => p.Name);
        foreach (string raw in File.ReadAllLines(args.Extra["configs"]))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var options = new CneOptions { Seed = args.Seed, Threads = args.Threads, K = k };
            foreach (string pair in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
                var p = props[key];
                var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                object v = type.IsEnum ? Enum.Parse(type, value) : Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
                options = options with { };
                p.SetValue(options, v);
            }
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var embedding = new Cne(options).Fit(graph, init.Clone());
            double seconds = sw.Elapsed.TotalSeconds;
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var q = EmbeddingQuality.Evaluate(data, embedding.Embedding, labels,
                new QualityOptions { SampleSize = Math.Min(10_000, n), Seed = 0, Threads = args.Threads });
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"config\":\"{line}\",\"acc\":{q.KnnAccuracy:F4},\"recall\":{q.RecallAtK:F4},\"spearman\":{q.Spearman:F4},\"optimize_s\":{seconds:F2},\"optimize_cpu_s\":{cpuSeconds:F2}}}"));
        }
    }
}
