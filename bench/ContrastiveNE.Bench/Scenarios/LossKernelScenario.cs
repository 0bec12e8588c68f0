using System.Diagnostics;
using ContrastiveNE.Losses;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// The batch loss kernel alone on one random batch (--n pairs, default 32768; d = --dim, default 2; m = 5), repeated;
/// the minimum over repetitions filters out the noise of a shared machine. Reports nanoseconds per pair evaluation.
/// With --table N (default 70,000; 0 = off) the rows belong to random items of an N-row table and the loss adds its
/// gradient into the table's gradient, as training a table does.
/// </summary>
public sealed class LossKernelScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "loss-kernel";

    /// <inheritdoc/>
    public string Description => "batch loss kernel: ns per pair (min over --repeats, default 100) for infonce and neg";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        int b = args.N ?? 32768, d = args.GetInt("dim", 2), repeats = args.GetInt("repeats", 100), m = 5;
        result.N = b;
        var random = Xoshiro256.Create((ulong)args.Seed, 1);
        var features = new float[2 * b * d];
        for (int i = 0; i < features.Length; i++) features[i] = (float)(10 * random.NextGaussian());
        int tableRows = args.GetInt("table", 70_000);
        int[]? targets = null;
        if (tableRows > 0)
        {
            targets = new int[2 * b];
            for (int i = 0; i < targets.Length; i++) targets[i] = random.NextInt(tableRows);
        }
        var gradient = new float[targets != null ? tableRows * d : features.Length];
        foreach (var mode in new[] { LossMode.InfoNce, LossMode.Neg })
        {
            var loss = new BatchLoss(mode, SimilarityMetric.Euclidean, m, 1f, 1f, 1e-4f, 1f, LossAggregation.Sum);
            var times = new double[repeats];
            var cpu = new double[repeats];
            var clock = new ThreadClock();
            for (int r = 0; r < repeats; r++)
            {
                var sw = Stopwatch.StartNew();
                clock.Restart();
                loss.Compute(features, b, d, 1f, 0f, 0.5f, 0, (ulong)r, gradient, args.Threads, targets: targets);
                times[r] = sw.Elapsed.TotalSeconds;
                cpu[r] = clock.Seconds;
            }
            Array.Sort(times);
            Array.Sort(cpu);
            string key = mode == LossMode.InfoNce ? "infonce" : "neg";
            result.Set($"{key}_min_ns_per_pair", times[0] * 1e9 / (b * (m + 1.0)));
            result.Set($"{key}_median_ns_per_pair", times[repeats / 2] * 1e9 / (b * (m + 1.0)));
            result.Set($"{key}_min_ms_per_epoch_equivalent", times[0] * 1e3 * 1699272.0 / b);
            // The calling thread's CPU time: with --threads 1 a steadier figure on a shared machine.
            result.Set($"{key}_thread_cpu_min_ns_per_pair", cpu[0] * 1e9 / (b * (m + 1.0)));
        }
    }
}
