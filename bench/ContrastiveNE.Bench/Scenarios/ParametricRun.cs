using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Optimization;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Shared by the parametric scenarios: the options from the command line and a fit that records the kNN phase and
/// the time of every epoch (epoch 0 separately, as it includes first-touch allocation and JIT warm-up).
/// </summary>
internal static class ParametricRun
{
    /// <summary>Parametric options: <c>--loss</c> (default given), <c>--optimizer</c> (default adam), <c>--batch</c>, epochs, seed, threads.</summary>
    public static CneOptions Options(BenchArgs args, LossMode defaultLoss, int defaultEpochs) => new()
    {
        Parametric = true,
        Loss = args.Extra.TryGetValue("loss", out var loss) ? Enum.Parse<LossMode>(loss.Replace("_", ""), ignoreCase: true) : defaultLoss,
        Optimizer = args.Extra.TryGetValue("optimizer", out var opt) ? Enum.Parse<OptimizerKind>(opt, ignoreCase: true) : OptimizerKind.Adam,
        BatchSize = args.GetInt("batch", new CneOptions().BatchSize),
        Epochs = args.Epochs ?? defaultEpochs,
        Seed = args.Seed,
        Threads = args.Threads,
    };

    /// <summary>Fits and fills the phases <c>knn</c>, <c>train</c> and the figures <c>seconds_per_epoch</c>, <c>first_epoch_seconds</c>.</summary>
    public static CneEmbedding Fit(Matrix data, CneOptions options, BenchResult result)
    {
        var clock = Stopwatch.StartNew();
        double trainStart = 0;
        var progress = new EpochTimes(clock);
        var embedding = new Cne(options).Fit(data, progress: progress, snapshots: (epoch, _) =>
        {
            if (epoch < 0) trainStart = clock.Elapsed.TotalSeconds;
            if (epoch < 0) progress.CpuStart = CpuSeconds();
        });
        double end = clock.Elapsed.TotalSeconds;
        result.AddPhase("knn", trainStart);
        result.AddPhase("train", end - trainStart);
        var times = progress.Times;
        if (times.Count > 0) result.Set("first_epoch_seconds", times[0] - trainStart);
        result.Set("seconds_per_epoch", times.Count > 1 ? (times[^1] - times[0]) / (times.Count - 1) : end - trainStart);
        // Process CPU time is what a loaded shared machine distorts least: on a quiet machine the wall time of an
        // epoch is about cpu_seconds_per_epoch / threads when the threads stay busy.
        var cpu = progress.CpuTimes;
        if (cpu.Count > 1) result.Set("cpu_seconds_per_epoch", (cpu[^1] - cpu[0]) / (cpu.Count - 1));
        else if (cpu.Count == 1) result.Set("cpu_seconds_per_epoch", cpu[0] - progress.CpuStart);
        result.Set("epochs", options.Epochs);
        result.Set("loss", options.Loss.ToString());
        result.Set("optimizer", options.Optimizer.ToString());
        if (embedding.BatchLosses.Count > 0) result.Set("last_epoch_mean_loss", embedding.BatchLosses[^1].Average());
        return embedding;
    }

    /// <summary>Records when each epoch ended, synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class EpochTimes(Stopwatch clock) : IProgress<FitReport>
    {
        public List<double> Times { get; } = [];

        public List<double> CpuTimes { get; } = [];

        public double CpuStart { get; set; }

        public void Report(FitReport value)
        {
            if (value.Epoch is null) return;
            Times.Add(clock.Elapsed.TotalSeconds);
            CpuTimes.Add(CpuSeconds());
        }
    }

    /// <summary>CPU seconds this process has used, all threads together.</summary>
    public static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
