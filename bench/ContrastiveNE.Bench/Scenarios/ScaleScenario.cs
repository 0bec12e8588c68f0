using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Metrics;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Training;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// The whole non-parametric pipeline at large n (issue #18): load, kNN, initialisation and optimisation as phases, the
/// peak working set of the process, the kNN graph's recall@15 against exact neighbours of a 10,000-row sample, and the
/// map's quality on that sample (kNN accuracy when labels exist, recall@15).
/// </summary>
/// <remarks>
/// <c>--data FILE.npy</c> reads the rows (labels from FILE with <c>-images.npy</c> replaced by <c>-labels.npy</c> when that
/// file exists); without it a Gaussian mixture of <c>--n</c> × <c>--dims</c> is drawn (ten clusters, labelled). <c>--n</c>
/// and <c>--dims</c> cut a file to its first rows and columns. <c>--ratio-rows R</c> (e.g. 70000) first times
/// <c>--ratio-epochs</c> (default 3) single epochs of the first R rows and of all rows, interleaved, and reports the
/// ratio of the per-epoch times beside the ratio of the edge counts (1 = linear in the edges). <c>--quality 0</c> skips
/// the quality figures; <c>--knn-recall 0</c> the kNN graph's recall. <c>--sparse 0|1</c> forces the dense or sparse
/// table path in the interleaved timing (default: chosen by size); <c>--ratio-only 1</c> stops after it.
/// <c>--defaults 1</c> instead runs what <c>cne embed FILE</c> runs — one fit of the data with the defaults for its size
/// (the FFT engine above 100,000 rows) — and reports its phases, the t-SNE split of the epochs, peak memory and quality.
/// </remarks>
public sealed class ScaleScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "scale";

    /// <inheritdoc/>
    public string Description => "the pipeline at large n: --data FILE.npy (or a Gaussian mixture of --n × --dims), phases, peak memory, quality";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var (data, labels) = result.Phase("load", () => Load(args));
        result.N = data.Rows;
        result.Set("dims", data.Columns);
        var options = new CneOptions { Seed = args.Seed, Threads = args.Threads };
        if (args.Epochs is { } epochs) options = options with { Epochs = epochs };
        if (args.Extra.ContainsKey("lr")) options = options with { LearningRate = args.GetDouble("lr", 1) };
        if (args.Extra.ContainsKey("negatives")) options = options with { NegativeSamples = args.GetInt("negatives", 5) };
        if (args.Extra.ContainsKey("batch")) options = options with { BatchSize = args.GetInt("batch", 32768) };
        if (args.Extra.ContainsKey("ee-epochs")) options = options with { EarlyExaggerationEpochs = args.GetInt("ee-epochs", 250) };
        if (args.Extra.TryGetValue("ratio-engine", out var engine))
        {
            EngineRatio(data, args.GetInt("ratio-rows", 70_000), options, engine, result);
            return;
        }
        if (args.GetInt("defaults", 0) != 0)
        {
            Defaults(data, labels, options, args, result);
            return;
        }
        var cne = new Cne(options);
        result.Set("epochs", options.Epochs);
        var search = result.Phase("knn", () => NearestNeighbors.Search(cne.KnnInput(data), options.K, options.KnnMethod, options.KnnMetric, options.Seed, options.Threads));
        var process0 = Process.GetCurrentProcess();
        result.Set("peak_working_set_mb_after_knn", Math.Round(process0.PeakWorkingSet64 / 1048576.0, 1));
        var graph = search.ToGraph();
        result.Set("directed_edges", graph.EdgeCount);
        var init = result.Phase("init", () => cne.CreateInitialization(data));
        int ratioRows = args.GetInt("ratio-rows", 0);
        if (ratioRows > 0 && ratioRows < data.Rows)
        {
            int sparse = args.GetInt("sparse", -1);
            EpochRatio(data, ratioRows, graph, init, options, args.GetInt("ratio-epochs", 3), sparse < 0 ? null : sparse != 0, result);
            if (args.GetInt("ratio-only", 0) != 0) return;
        }
        var process = Process.GetCurrentProcess();
        process.Refresh();
        result.Set("working_set_mb_before_optimize", Math.Round(process.WorkingSet64 / 1048576.0, 1));
        result.Set("peak_working_set_mb_before_optimize", Math.Round(process.PeakWorkingSet64 / 1048576.0, 1));
        int sampleSize = Math.Min(10_000, data.Rows);
        if (args.GetInt("knn-recall", 1) != 0)
        {
            result.Phase("knn_recall", () =>
            {
                int[] sample = PointSample.Draw(data.Rows, sampleSize, 0);
                var exact = NearestNeighbors.Exact(data, options.K, DistanceMetric.Euclidean, options.Threads, sample);
                var found = new int[sample.Length * options.K];
                for (int q = 0; q < sample.Length; q++) search.NeighborsOf(sample[q]).CopyTo(found.AsSpan(q * options.K, options.K));
                result.Set("knn_graph_recall_at_15", KnnRecall.Compute(exact.Indices, found, sample.Length, options.K));
            });
        }
        // --variants "lr=14,epochs=60;lr=4": several fits on the same graph and start, figures suffixed _v0, _v1, …
        string[] variants = args.Extra.TryGetValue("variants", out var list) ? list.Split(';') : [""];
        for (int v = 0; v < variants.Length; v++)
        {
            string suffix = variants.Length > 1 ? "_v" + v : "";
            var vo = options;
            foreach (var setting in variants[v].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = setting.Split('=');
                double x = double.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture);
                vo = kv[0] switch
                {
                    "lr" => vo with { LearningRate = x },
                    "epochs" => vo with { Epochs = (int)x },
                    "negatives" => vo with { NegativeSamples = (int)x },
                    "ee" => vo with { EarlyExaggerationEpochs = (int)x },
                    "eef" => vo with { EarlyExaggerationFactor = x },
                    "batch" => vo with { BatchSize = (int)x },
                    _ => throw new ArgumentException($"--variants: unknown setting '{kv[0]}' (lr, epochs, negatives, ee, eef, batch)."),
                };
            }
            if (variants.Length > 1) result.Set("variant" + suffix, variants[v]);
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var embedding = new Cne(vo).Fit(graph, init);
            double seconds = sw.Elapsed.TotalSeconds;
            process.Refresh();
            result.AddPhase("optimize" + suffix, seconds);
            result.Set("optimize_cpu_seconds" + suffix, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
            result.Set("seconds_per_epoch" + suffix, vo.Epochs == 0 ? 0 : seconds / vo.Epochs);
            result.Set("peak_working_set_mb" + suffix, Math.Round(process.PeakWorkingSet64 / 1048576.0, 1));
            if (args.Out is { } path) NpyFile.Write(variants.Length > 1 ? path.Replace(".npy", suffix + ".npy", StringComparison.Ordinal) : path, embedding.Embedding);
            if (args.GetInt("quality", 1) != 0)
            {
                var report = result.Phase("quality" + suffix, () => EmbeddingQuality.Evaluate(data, embedding.Embedding, labels,
                    new QualityOptions { SampleSize = sampleSize, Seed = 0, Threads = args.Threads }));
                result.Set("recall_at_15" + suffix, report.RecallAtK);
                result.Set("knn_accuracy" + suffix, report.KnnAccuracy ?? double.NaN);
            }
        }
        process.Refresh();
        result.Set("peak_working_set_mb_with_quality", Math.Round(process.PeakWorkingSet64 / 1048576.0, 1));
    }

    /// <summary>
    /// What <c>cne embed FILE</c> runs: one library fit of the data (above 100,000 rows the large-data defaults,
    /// docs/scaling.md), its phases timed from the fit's progress reports, the t-SNE trainer's split of the epochs
    /// (repulsion, attraction, the rest = the step), peak memory, and the map's quality on the sample.
    /// </summary>
    private static void Defaults(Matrix data, int[]? labels, CneOptions options, BenchArgs args, BenchResult result)
    {
        var sized = options.ForRows(data.Rows);
        result.Set("repulsion", sized.Repulsion.ToString());
        result.Set("epochs", sized.Epochs);
        var clock = Stopwatch.StartNew();
        var phaseStart = new Dictionary<FitPhase, double>();
        var phaseEnd = new Dictionary<FitPhase, double>();
        var progress = new SyncFitProgress(r =>
        {
            double t = clock.Elapsed.TotalSeconds;
            phaseStart.TryAdd(r.Phase, t);
            phaseEnd[r.Phase] = t;
        });
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        using var embedding = new Cne(options).Fit(data, progress: progress);
        double whole = clock.Elapsed.TotalSeconds;
        process.Refresh();
        result.Set("fit_seconds", whole);
        result.Set("fit_cpu_seconds", (process.TotalProcessorTime - cpu0).TotalSeconds);
        // Each phase runs from its first report to the next phase's first report (the last one to the end of the fit).
        var phases = phaseStart.OrderBy(kv => kv.Value).ToArray();
        for (int i = 0; i < phases.Length; i++)
        {
            double end = i + 1 < phases.Length ? phases[i + 1].Value : whole;
            result.AddPhase(phases[i].Key.ToString().ToLowerInvariant(), end - phases[i].Value);
        }
        if (embedding.Trainer is Tsne.TsneTrainer tsne)
        {
            result.Set("repulsion_seconds", tsne.RepulsionSeconds);
            result.Set("attraction_seconds", tsne.AttractionSeconds);
            result.Set("repulsion_stages", string.Join(" ", tsne.RepulsionStageSeconds.Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
            result.Set("final_grid", tsne.GridSize);
        }
        result.Set("peak_working_set_mb", Math.Round(process.PeakWorkingSet64 / 1048576.0, 1));
        if (args.Out is { } path) NpyFile.Write(path, embedding.Embedding);
        if (args.GetInt("quality", 1) != 0)
        {
            var report = result.Phase("quality", () => EmbeddingQuality.Evaluate(data, embedding.Embedding, labels,
                new QualityOptions { SampleSize = Math.Min(10_000, data.Rows), Seed = 0, Threads = args.Threads }));
            result.Set("recall_at_15", report.RecallAtK);
            result.Set("knn_accuracy", report.KnnAccuracy ?? double.NaN);
        }
    }

    /// <summary>
    /// Per-epoch time of the first <paramref name="rows"/> rows against all rows, every epoch of both runs interleaved,
    /// over a whole default-length run: <c>--ratio-engine fft</c> runs the t-SNE engine at both sizes (as the large-data
    /// defaults run it: 200 epochs, the first 70 exaggerated ×12, learning rate n / 12, locality order above 100,000
    /// rows); <c>defaults</c> runs what each size gets by default — the reference's sampled InfoNCE on the small set
    /// (200 epochs) and the t-SNE engine on the large one. Reports both per-epoch times, the edge ratio and the ratio of
    /// the per-epoch times divided by it (the target: ≤ 1.3).
    /// </summary>
    private static void EngineRatio(Matrix data, int rows, CneOptions options, string engine, BenchResult result)
    {
        if (engine is not ("fft" or "defaults")) throw new ArgumentException($"--ratio-engine must be fft or defaults, not '{engine}'.");
        var small = data.Slice(0, rows);
        var (smallEpoch, smallEdges, smallEpochs) = engine == "fft" ? FftRun(small, options) : SampledRun(small, options);
        var (fullEpoch, fullEdges, fullEpochs) = FftRun(data, options);
        int epochs = Math.Max(smallEpochs, fullEpochs);
        var wall = new double[2];
        var cpu = new double[2];
        var process = Process.GetCurrentProcess();
        var runs = new[] { (smallEpoch, smallEpochs), (fullEpoch, fullEpochs) };
        for (int e = 0; e < epochs; e++)
            for (int i = 0; i < 2; i++)
            {
                if (e >= runs[i].Item2) continue;
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                runs[i].Item1(e);
                wall[i] += sw.Elapsed.TotalSeconds;
                process.Refresh();
                cpu[i] += (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            }
        double edgeRatio = (double)fullEdges / smallEdges;
        double smallMs = wall[0] / smallEpochs * 1000, fullMs = wall[1] / fullEpochs * 1000;
        result.Set("ratio_engine", engine);
        result.Set("ratio_rows", rows);
        result.Set("ratio_small_ms_per_epoch", smallMs);
        result.Set("ratio_full_ms_per_epoch", fullMs);
        result.Set("ratio_small_cpu_ms_per_epoch", cpu[0] / smallEpochs * 1000);
        result.Set("ratio_full_cpu_ms_per_epoch", cpu[1] / fullEpochs * 1000);
        result.Set("ratio_edges", edgeRatio);
        result.Set("ratio_epoch_time_over_edges", fullMs / smallMs / edgeRatio);
        result.Set("ratio_epoch_cpu_over_edges", cpu[1] / fullEpochs / (cpu[0] / smallEpochs) / edgeRatio);
    }

    /// <summary>A t-SNE engine run as the large-data defaults make it; returns one epoch as an action, the edges, the epochs.</summary>
    private static (Action<int> Epoch, long Edges, int Epochs) FftRun(Matrix data, CneOptions options)
    {
        var fft = options with { Repulsion = Embedding.RepulsionMode.Fft, Epochs = CneOptions.LargeDataFftEpochs, EarlyExaggerationEpochs = CneOptions.LargeDataFftEarlyEpochs };
        var cne = new Cne(fft);
        var knn = NearestNeighbors.Search(cne.KnnInput(data), fft.K, fft.KnnMethod, fft.KnnMetric, fft.Seed, fft.Threads);
        int[]? order = data.Rows > CneOptions.LargeDataRows ? knn.LocalityOrder : null;
        var affinities = Tsne.AffinityMatrix.FromKnn(knn, fft.Perplexity, fft.Threads, order is null ? null : Cne.Inverse(order));
        var start = Cne.TsneInitialization(cne.CreateInitialization(data));
        int early = fft.EarlyExaggerationEpochs;
        var trainer = new Tsne.TsneTrainer(new EmbeddingTable(start, fft.Threads), affinities, fft.FftLearningRate(data.Rows), early, fft.SaveFrequency,
            fft.Threads, order: order);
        return (e => trainer.Optimize(1, SpectrumSchedule.Constant(e < early ? fft.EarlyExaggerationFactor : fft.Exaggeration)), affinities.EntryCount, fft.Epochs);
    }

    /// <summary>The reference's defaults (sampled InfoNCE) on a graph of the data; one epoch as an action, the edges, the epochs.</summary>
    private static (Action<int> Epoch, long Edges, int Epochs) SampledRun(Matrix data, CneOptions options)
    {
        var cne = new Cne(options);
        var graph = NearestNeighbors.Search(cne.KnnInput(data), options.K, options.KnnMethod, options.KnnMetric, options.Seed, options.Threads).ToGraph();
        var trainer = Trainer(graph, cne.CreateInitialization(data), options, null);
        return (e => trainer.Optimize(1, 1.0), graph.EdgeCount, options.Epochs);
    }

    /// <summary>Every fit report on the calling thread.</summary>
    private sealed class SyncFitProgress(Action<FitReport> report) : IProgress<FitReport>
    {
        public void Report(FitReport value) => report(value);
    }

    /// <summary>Single epochs of the first <paramref name="rows"/> rows and of all rows, interleaved, timed (wall and process CPU).</summary>
    private static void EpochRatio(Matrix data, int rows, NeighborGraph graph, Matrix init, CneOptions options, int epochs, bool? sparse, BenchResult result)
    {
        var small = data.Slice(0, rows);
        var smallGraph = NearestNeighbors.Search(new Cne(options).KnnInput(small), options.K, options.KnnMethod, options.KnnMetric, options.Seed, options.Threads).ToGraph();
        var runs = new[]
        {
            (Graph: smallGraph, Trainer: Trainer(smallGraph, init.Slice(0, rows).Clone(), options, sparse)),
            (Graph: graph, Trainer: Trainer(graph, init.Clone(), options, sparse)),
        };
        var wall = new double[2];
        var cpu = new double[2];
        var process = Process.GetCurrentProcess();
        for (int e = -1; e < epochs; e++)
            for (int i = 0; i < 2; i++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                runs[i].Trainer.Optimize(1, 1.0);
                if (e < 0) continue; // the first epoch of each warms up (page faults, JIT)
                wall[i] += sw.Elapsed.TotalSeconds;
                process.Refresh();
                cpu[i] += (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            }
        double edgeRatio = (double)graph.EdgeCount / smallGraph.EdgeCount;
        result.Set("ratio_rows", rows);
        result.Set("ratio_small_ms_per_epoch", wall[0] / epochs * 1000);
        result.Set("ratio_full_ms_per_epoch", wall[1] / epochs * 1000);
        result.Set("ratio_small_cpu_ms_per_epoch", cpu[0] / epochs * 1000);
        result.Set("ratio_full_cpu_ms_per_epoch", cpu[1] / epochs * 1000);
        result.Set("ratio_edges", edgeRatio);
        result.Set("ratio_epoch_time", wall[1] / wall[0]);
        result.Set("ratio_epoch_time_over_edges", wall[1] / wall[0] / edgeRatio);
        result.Set("ratio_epoch_cpu_over_edges", cpu[1] / cpu[0] / edgeRatio);
        result.Set("ratio_full_sparse", runs[1].Trainer.RanSparse);
        result.Set("ratio_small_sparse", runs[0].Trainer.RanSparse);
    }

    private static ContrastiveTrainer Trainer(NeighborGraph graph, Matrix start, CneOptions options, bool? sparse)
    {
        var table = new EmbeddingTable(start, options.Threads);
        return new ContrastiveTrainer(table, new KnnEdgeSource(graph, options.BatchSize, options.Seed, options.Threads), options) { SparseTable = sparse };
    }

    private static (Matrix Data, int[]? Labels) Load(BenchArgs args)
    {
        string? file = args.DataDirectory;
        if (file == null)
        {
            int n = args.N ?? 1_000_000, dims = args.GetInt("dims", 50);
            return Mixture(n, dims, args.Seed);
        }
        if (!File.Exists(file)) throw new IOException($"--data: '{file}' is not a file (give an .npy of n × D float rows).");
        var data = NpyFile.ReadMatrix(file);
        int[]? labels = null;
        string labelFile = file.Replace("-images.npy", "-labels.npy", StringComparison.Ordinal);
        if (labelFile != file && File.Exists(labelFile)) labels = NpyFile.ReadLabels(labelFile);
        int rows = Math.Min(args.N ?? data.Rows, data.Rows);
        int columns = args.GetInt("dims", data.Columns);
        if (columns < 1 || columns > data.Columns) throw new ArgumentException($"--dims {columns}: the file has {data.Columns} columns.");
        if (rows < data.Rows || columns < data.Columns)
        {
            var cut = new Matrix(rows, columns);
            for (int i = 0; i < rows; i++) data.Row(i)[..columns].CopyTo(cut.Row(i));
            data = cut;
            labels = labels?[..rows];
        }
        return (data, labels);
    }

    /// <summary>Ten Gaussian clusters (unit spread, centres 4 apart on random axes) of n × dims, labelled by cluster.</summary>
    private static (Matrix, int[]) Mixture(int n, int dims, int seed)
    {
        var random = new Random(seed);
        var centres = new float[10 * dims];
        for (int i = 0; i < centres.Length; i++) centres[i] = (float)(4 * random.NextDouble());
        var data = new Matrix(n, dims);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = random.Next(10);
            labels[i] = c;
            var row = data.Row(i);
            for (int j = 0; j < dims; j++)
            {
                double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                row[j] = centres[c * dims + j] + (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }
        }
        return (data, labels);
    }
}
