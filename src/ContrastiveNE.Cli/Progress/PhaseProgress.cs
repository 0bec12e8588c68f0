using System.Diagnostics;

namespace ContrastiveNE.Cli.Progress;

/// <summary>
/// The progress of one phase: the library's <see cref="IProgress{T}"/> callbacks feed <see cref="Report"/> with the
/// fraction done and an optional detail (epoch, loss, learning rate).
/// </summary>
internal sealed class PhaseProgress
{
    private readonly Action<double, string?>? _sink;

    internal PhaseProgress(string phase, Stopwatch clock, Action<double, string?>? sink)
    {
        Phase = phase;
        Clock = clock;
        _sink = sink;
    }

    /// <summary>The phase name.</summary>
    public string Phase { get; }

    /// <summary>Time since the phase began.</summary>
    public Stopwatch Clock { get; }

    /// <summary>The last detail reported (shown in the final line).</summary>
    public string? LastDetail { get; private set; }

    /// <summary>Reports the fraction done (0–1) and an optional detail.</summary>
    public void Report(double fraction, string? detail = null)
    {
        if (detail is not null) LastDetail = detail;
        _sink?.Invoke(fraction, detail);
    }

    /// <summary>An <see cref="IProgress{T}"/> of fractions, for the kNN search. Reports synchronously (no context capture).</summary>
    public IProgress<double> AsFraction() => new SyncProgress<double>(f => Report(f));

    /// <summary>An <see cref="IProgress{T}"/> adapter that maps the library's report type to a fraction and a detail.</summary>
    public IProgress<T> As<T>(Func<T, (double Fraction, string? Detail)> map) => new SyncProgress<T>(value =>
    {
        var (fraction, detail) = map(value);
        Report(fraction, detail);
    });

    // System.Progress<T> posts to the thread pool, so the final report could arrive after the phase ended.
    private sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
