using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Metrics;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Tsne;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// The t-SNE limit (<see cref="RepulsionMode.Fft"/>) on the first --n rows of Fashion-MNIST (or --set digits), with
/// every stage timed as a phase: PCA for the kNN search, kNN, affinities, initialisation, optimisation; then the
/// usual quality figures. Keys: --k (90), --perplexity (30; 0 = uniform weights), --pcs (50; 0 = search the raw
/// data), --knn exact|approximate|auto (exact), --early-epochs (250), --early (12), --exaggeration (1), --lr (auto),
/// --interp (3), --box (1.0); --epochs defaults to 750.
/// </summary>
public sealed class NonParametricTsneScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "nonparam-tsne";

    /// <inheritdoc/>
    public string Description => "t-SNE limit (--repulsion fft) on Fashion-MNIST (or --set digits): phases, quality";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        string set = args.Extra.TryGetValue("set", out var name) ? name : "fashion";
        string file = set switch
        {
            "fashion" => "fashion-mnist",
            "digits" => "digits",
            _ => throw new ArgumentException($"--data must be fashion or digits, not '{set}'."),
        };
        var all = NpyFile.ReadMatrix(BenchData.File(args, file + "-images.npy"));
        var allLabels = NpyFile.ReadLabels(BenchData.File(args, file + "-labels.npy"));
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = n == all.Rows ? all : all.Slice(0, n);
        var labels = allLabels.AsSpan(0, n).ToArray();
        result.N = n;
        double perplexity = args.GetDouble("perplexity", 30);
        int pcs = args.GetInt("pcs", 50);
        string knnMethod = args.Extra.TryGetValue("knn", out var m) ? m : "exact";
        var options = new CneOptions
        {
            Seed = args.Seed,
            Threads = args.Threads,
            Epochs = args.Epochs ?? 750,
            Repulsion = RepulsionMode.Fft,
            K = Math.Min(args.GetInt("k", 90), n - 1),
            Perplexity = perplexity > 0 ? perplexity : null,
            KnnPcaComponents = pcs,
            KnnMethod = knnMethod switch
            {
                "exact" => KnnMethod.Exact,
                "approximate" => KnnMethod.Approximate,
                "auto" => KnnMethod.Auto,
                _ => throw new ArgumentException($"--knn must be exact, approximate or auto, not '{knnMethod}'."),
            },
            EarlyExaggerationEpochs = args.GetInt("early-epochs", 250),
            EarlyExaggerationFactor = args.GetDouble("early", 12),
            Exaggeration = args.GetDouble("exaggeration", 1),
            LearningRate = args.Extra.ContainsKey("lr") ? args.GetDouble("lr", 1) : null,
        };
        var cne = new Cne(options)
        {
            FftInterpolationPoints = args.GetInt("interp", 3),
            FftMaxBoxWidth = args.GetDouble("box", 1.0),
            FftMaxGridSize = args.GetInt("max-grid", 512),
        };
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var total = Stopwatch.StartNew();
        var searched = pcs > 0 && pcs < data.Columns
            ? result.Phase("pca", () => Initialization.Pca.Fit(data, pcs, options.Threads).Transform(data, options.Threads))
            : data;
        var knn = result.Phase("knn", () => NearestNeighbors.Search(searched, options.K, options.KnnMethod, options.KnnMetric, options.Seed, options.Threads));
        var affinities = result.Phase("affinities", () => AffinityMatrix.FromKnn(knn, options.Perplexity, options.Threads));
        var init = result.Phase("init", () => ReferenceEquals(searched, data) ? cne.CreateInitialization(data) : Cne.LeadingColumns(searched, 2));
        Cne.ScaleFirstColumnToUnitStd(init);
        for (int i = 0; i < init.Data.Length; i++) init.Data[i] *= 1e-4f;
        var trace = args.GetInt("trace", 0);
        var progress = trace <= 0 ? null : new SyncProgress(r =>
        {
            if (r.Epoch % trace == 0) Console.Error.WriteLine($"epoch {r.Epoch} kl {r.MeanLoss:F4} alpha {r.Spectrum} lr {r.LearningRate:F1} t {total.Elapsed.TotalSeconds:F1}");
        });
        var embedding = result.Phase("optimize", () => cne.Fit(affinities, init, progress));
        result.Set("whole_run_seconds", total.Elapsed.TotalSeconds);
        process.Refresh();
        result.Set("whole_run_cpu_seconds", (process.TotalProcessorTime - cpu0).TotalSeconds);
        result.Set("entries", affinities.EntryCount);
        if (embedding.Trainer is TsneTrainer trainer)
        {
            result.Set("repulsion_seconds", trainer.RepulsionSeconds);
            result.Set("attraction_seconds", trainer.AttractionSeconds);
            result.Set("mean_grid", trainer.GridSizeSum / (double)Math.Max(1, trainer.EpochsCompleted));
            result.Set("final_grid", trainer.GridSize);
            result.Set("repulsion_stages", string.Join(" ", trainer.RepulsionStageSeconds.Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
        }
        result.Set("final_kl", embedding.BatchLosses.Count == 0 ? double.NaN : embedding.BatchLosses[^1][0]);
        if (args.Out is { } path) NpyFile.Write(path, embedding.Embedding);
        if (args.GetInt("quality", 1) != 0)
        {
            var report = result.Phase("quality", () => EmbeddingQuality.Evaluate(data, embedding.Embedding, labels,
                new QualityOptions { SampleSize = Math.Min(10_000, n), Seed = 0, Threads = args.Threads }));
            result.Set("recall_at_15", report.RecallAtK);
            result.Set("knn_accuracy", report.KnnAccuracy ?? double.NaN);
            result.Set("spearman", report.Spearman);
        }
    }
}

/// <summary>The epoch reports of a fit, on the calling thread (Progress posts to the thread pool).</summary>
internal sealed class SyncProgress(Action<EpochReport> report) : IProgress<FitReport>
{
    public void Report(FitReport value)
    {
        if (value.Epoch is { } epoch) report(epoch);
    }
}
