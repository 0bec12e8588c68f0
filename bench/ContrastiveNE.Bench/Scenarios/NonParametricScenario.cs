using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Metrics;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Optimization;
using ContrastiveNE.Training;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// The non-parametric pipeline on the first --n Fashion-MNIST rows (default 70,000): kNN, initialisation and
/// optimisation timed as phases, seconds per epoch, the quality figures (10,000-point sample, seed 0), and with
/// <c>--profile 1</c> a breakdown of one extra epoch into pair source, loss (the units' gather of the rows from the
/// table, kernel, scatter into the table gradient) and optimiser step (main-thread CPU time) — the calls
/// <see cref="ContrastiveTrainer"/> makes for a table.
/// </summary>
public abstract class NonParametricScenario : IScenario
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract string Description { get; }

    /// <summary>The scenario's options on top of the defaults.</summary>
    protected abstract CneOptions Configure(CneOptions defaults);

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var all = NpyFile.ReadMatrix(BenchData.File(args, "fashion-mnist-images.npy"));
        var allLabels = NpyFile.ReadLabels(BenchData.File(args, "fashion-mnist-labels.npy"));
        int n = Math.Min(args.N ?? 70_000, all.Rows);
        var data = all.Slice(0, n);
        var labels = allLabels.AsSpan(0, n).ToArray();
        result.N = n;
        var device = BenchDevice.Prepare(args, result);
        var options = Configure(new CneOptions { Seed = args.Seed, Threads = args.Threads, Epochs = args.Epochs ?? 200, Device = device });
        var knn = result.Phase("knn", () => NearestNeighbors.Search(data, options.K, options.KnnMethod, options.KnnMetric, options.Seed, options.Threads));
        var graph = knn.ToGraph();
        var cne = new Cne(options);
        var init = result.Phase("init", () => cne.CreateInitialization(data));
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var embedding = cne.Fit(graph, init);
        double seconds = sw.Elapsed.TotalSeconds;
        process.Refresh();
        // CPU seconds alongside wall seconds: on a shared machine the CPU time is the steadier measure of the work.
        result.Set("optimize_cpu_seconds", (process.TotalProcessorTime - cpuBefore).TotalSeconds);
        result.AddPhase("optimize", seconds);
        result.Set("seconds_per_epoch", options.Epochs == 0 ? 0 : seconds / options.Epochs);
        result.Set("directed_edges", graph.EdgeCount);
        result.Set("final_mean_loss", embedding.BatchLosses.Count == 0 ? 0 : embedding.BatchLosses[^1].Average());
        if (args.Out is { } path) NpyFile.Write(path, embedding.Embedding);
        if (args.GetInt("quality", 1) != 0)
        {
            var report = result.Phase("quality", () => EmbeddingQuality.Evaluate(data, embedding.Embedding, labels,
                new QualityOptions { SampleSize = Math.Min(10_000, n), Seed = 0, Threads = args.Threads }));
            result.Set("recall_at_15", report.RecallAtK);
            result.Set("knn_accuracy", report.KnnAccuracy ?? double.NaN);
            result.Set("spearman", report.Spearman);
        }
        if (args.GetInt("profile", 0) != 0) Profile(graph, embedding.Embedding.Clone(), options, result);
    }

    private static void Profile(NeighborGraph graph, Matrix positions, CneOptions options, BenchResult result)
    {
        // One epoch of the trainer's steps, timed separately (the same calls ContrastiveTrainer makes).
        var table = new EmbeddingTable(positions, options.Threads);
        var source = new KnnEdgeSource(graph, options.BatchSize, options.Seed, options.Threads);
        var loss = new BatchLoss(options.Loss, options.Metric, options.NegativeSamples, (float)options.Eps, (float)options.BaseTemperature,
            (float)options.EffectiveClampLow, (float)options.EffectiveClampHigh, options.Aggregation);
        var optimizer = new ParameterOptimizer(options.Optimizer, 0f, 0f, 1);
        int d = options.Dimensions;
        var features = new float[2 * source.MaxBatchSize * d];
        var spectrum = ResolvedSpectrum.Resolve(options, graph.NodeCount).Value;
        var times = new double[3];
        var sw = new ThreadClock();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        // Epoch 999 only warms up: the fresh source and loss touch their buffers for the first time (page faults).
        for (int epoch = 999; epoch < 1003; epoch++)
        {
            if (epoch == 1000)
            {
                Array.Clear(times);
                process.Refresh();
                cpuBefore = process.TotalProcessorTime;
                wall.Restart();
            }
            for (int t = 0; t < source.BatchesPerEpoch; t++)
            {
                sw.Restart(); var edges = source.Edges(epoch, t, out int start, out int b); times[0] += sw.Seconds;
                sw.Restart();
                loss.Compute(features, b, d, (float)spectrum, 0f, (float)options.Temperature, 0, (ulong)t, table.Parameters[0].Gradient,
                    options.Threads, table: table.Positions.Data, edges: edges, edgeStart: start);
                times[1] += sw.Seconds;
                sw.Restart(); optimizer.Step(0, table.Parameters[0], 0.01f, 4f, options.Threads); times[2] += sw.Seconds;
            }
        }
        process.Refresh();
        result.Set("profile_cpu_ms_per_epoch", (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / 3);
        result.Set("profile_wall_ms_per_epoch", wall.Elapsed.TotalMilliseconds / 3);
        string[] names = ["source", "loss", "step"];
        for (int i = 0; i < names.Length; i++) result.Set("profile_thread_cpu_ms_per_epoch_" + names[i], times[i] / 3 * 1000);
    }
}

/// <summary>The defaults: InfoNCE, s = 0 with early exaggeration.</summary>
public sealed class NonParametricInfoNceScenario : NonParametricScenario
{
    /// <inheritdoc/>
    public override string Name => "nonparam-infonce";

    /// <inheritdoc/>
    public override string Description => "non-parametric InfoNC-t-SNE with the defaults on Fashion-MNIST (--n rows)";

    /// <inheritdoc/>
    protected override CneOptions Configure(CneOptions defaults) => defaults;
}

/// <summary>Loss neg with its defaults (neg_spec = 1, the UMAP-like end).</summary>
public sealed class NonParametricNegScenario : NonParametricScenario
{
    /// <inheritdoc/>
    public override string Name => "nonparam-neg";

    /// <inheritdoc/>
    public override string Description => "non-parametric NEG with the defaults (neg_spec = 1) on Fashion-MNIST";

    /// <inheritdoc/>
    protected override CneOptions Configure(CneOptions defaults) => defaults with { Loss = LossMode.Neg };
}

/// <summary>Loss neg at s = 0 (the t-SNE-like end), with early exaggeration.</summary>
public sealed class NonParametricNegS0Scenario : NonParametricScenario
{
    /// <inheritdoc/>
    public override string Name => "nonparam-neg-s0";

    /// <inheritdoc/>
    public override string Description => "non-parametric NEG at s = 0 on Fashion-MNIST";

    /// <inheritdoc/>
    protected override CneOptions Configure(CneOptions defaults) => defaults with { Loss = LossMode.Neg, S = 0 };
}

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID; wall time elsewhere). With --threads 1 every stage
/// runs on the calling thread, so this isolates the work from the load other processes put on a shared machine.
/// </summary>
internal sealed class ThreadClock
{
    private double _start;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private struct TimeSpec { public long Seconds; public long Nanoseconds; }

    private static double Now()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(3, out var t) == 0) return t.Seconds + t.Nanoseconds * 1e-9;
        return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
    }

    public void Restart() => _start = Now();

    public double Seconds => Now() - _start;
}
