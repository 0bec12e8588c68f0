using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace ContrastiveNE.Cli.Progress;

/// <summary>
/// Progress and phase timings on standard error. On a terminal each long phase gets a live bar (Spectre.Console);
/// otherwise (CI, pipes, tests) it prints a plain line at every 10 % step and always a final line per phase.
/// <c>--quiet</c> silences everything. The timings of all phases are kept for <see cref="PrintSummary"/>.
/// </summary>
internal sealed class ProgressReporter(TextWriter error, bool terminal, bool quiet, CancellationToken cancellationToken = default)
{
    private readonly List<(string Phase, TimeSpan Elapsed)> _timings = [];
    private readonly Stopwatch _total = Stopwatch.StartNew();

    /// <summary>The measured phases, in order.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Elapsed)> Timings => _timings;

    /// <summary>Runs a short phase without a bar, only timing it.</summary>
    public T Time<T>(string phase, Func<T> work)
    {
        // Phase boundaries are cancellation points, so Ctrl-C never lets a later phase (a write) start.
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        T result = work();
        cancellationToken.ThrowIfCancellationRequested();
        _timings.Add((phase, clock.Elapsed));
        return result;
    }

    /// <summary>Runs a short phase without a bar, only timing it.</summary>
    public void Time(string phase, Action work) => Time(phase, () => { work(); return 0; });

    /// <summary>Runs a long phase, giving it a <see cref="PhaseProgress"/> to report fractions and details to.</summary>
    public T Run<T>(string phase, Func<PhaseProgress, T> work)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        T result;
        if (quiet)
        {
            result = work(new PhaseProgress(phase, clock, null));
        }
        else if (terminal)
        {
            // The caller has established that standard error is a terminal; say so, since Spectre cannot tell from a TextWriter.
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(error),
                Ansi = AnsiSupport.Yes,
                Interactive = InteractionSupport.Yes,
            });
            result = console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(phase), maxValue: 1.0);
                    var sink = new PhaseProgress(phase, clock, (fraction, detail) =>
                    {
                        task.Value = Math.Clamp(fraction, 0, 1);
                        if (detail is not null) task.Description = Markup.Escape($"{phase} {detail}");
                    });
                    T value = work(sink);
                    task.Value = 1.0;
                    task.StopTask();
                    return value;
                });
        }
        else
        {
            int lastStep = 0;
            var gate = new object();
            var sink = new PhaseProgress(phase, clock, (fraction, detail) =>
            {
                // Several worker threads may report; one line per 10 % step, in order.
                lock (gate)
                {
                    int step = (int)Math.Floor(Math.Clamp(fraction, 0, 1) * 10);
                    if (step <= lastStep || step >= 10) return;
                    lastStep = step;
                    error.WriteLine($"cne: {phase} {step * 10,3}%{(detail is null ? "" : "  " + detail)}  [{Seconds(clock.Elapsed)} elapsed, {Remaining(clock.Elapsed, fraction)} left]");
                }
            });
            result = work(sink);
            lock (gate)
                error.WriteLine($"cne: {phase} done in {Seconds(clock.Elapsed)}{(sink.LastDetail is null ? "" : "  " + sink.LastDetail)}");
        }
        cancellationToken.ThrowIfCancellationRequested();
        _timings.Add((phase, clock.Elapsed));
        return result;
    }

    /// <summary>Prints one line with every phase's time and the total (nothing when quiet).</summary>
    public void PrintSummary()
    {
        if (quiet) return;
        var parts = _timings.Select(t => $"{t.Phase} {Seconds(t.Elapsed)}");
        error.WriteLine($"cne: timings: {string.Join(", ", parts)}; total {Seconds(_total.Elapsed)}");
    }

    /// <summary>Writes a plain status line (nothing when quiet).</summary>
    public void Note(string line)
    {
        if (!quiet) error.WriteLine($"cne: {line}");
    }

    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(t.TotalSeconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s";

    private static string Remaining(TimeSpan elapsed, double fraction) =>
        fraction <= 0 ? "?" : Seconds(TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction));
}
