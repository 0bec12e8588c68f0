using System.Diagnostics;
using System.Globalization;
using ContrastiveNE.Embedding;
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

    private bool IsQuiet => quiet;

    private TextWriter ErrorWriter => error;

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
            result = LiveProgress().Start(ctx =>
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

    /// <summary>
    /// Runs one library call that goes through several phases (a <c>Cne.Fit</c>): the library's <see cref="FitReport"/>s
    /// drive the display, each phase named by <paramref name="name"/> (null: the phase is not shown and not timed, e.g.
    /// copying a given initialisation) getting its own bar or 10 % lines, its final line and its timing, exactly as a
    /// phase of <see cref="Run{T}"/>. The device that trains is noted when it is a GPU or when Auto fell back to the CPU.
    /// </summary>
    /// <param name="name">The CLI's name of each library phase, or null to hide it.</param>
    /// <param name="epochs">The epochs of the run, for the detail line.</param>
    /// <param name="work">The library call, given the progress to report to.</param>
    public T RunFit<T>(Func<FitPhase, string?> name, int epochs, Func<IProgress<FitReport>, T> work)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var phases = new FitPhases(this, name, epochs);
        T result;
        if (terminal && !quiet)
        {
            result = LiveProgress().Start(ctx =>
                {
                    phases.Live = ctx;
                    T value = work(phases);
                    phases.Close();
                    return value;
                });
        }
        else
        {
            // On an exception (a cancellation) the open phase gets no final line: it did not finish.
            result = work(phases);
            phases.Close();
        }
        foreach (string note in phases.Notes) Note(note);
        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }

    /// <summary>The phases of one <see cref="RunFit{T}"/>: opens a phase when the library's reports enter it, closes the previous one.</summary>
    private sealed class FitPhases(ProgressReporter owner, Func<FitPhase, string?> name, int epochs) : IProgress<FitReport>
    {
        private readonly object _gate = new(); // Monitor: Close re-enters it from Report
        private FitPhase? _phase;
        private string? _name;
        private Stopwatch _clock = new();
        private PhaseProgress? _sink;
        private ProgressTask? _task;
        private int _lastStep;

        public ProgressContext? Live { get; set; }

        public List<string> Notes { get; } = [];

        public void Report(FitReport value)
        {
            lock (_gate)
            {
                if (value.Phase != _phase)
                {
                    Close();
                    _phase = value.Phase;
                    _name = name(value.Phase);
                    if (_name is not null) Open(_name);
                    if (value.Phase == FitPhase.Epochs)
                    {
                        string? note = value.DeviceFallback
                            ?? (value.Device == ComputeDevice.Gpu ? $"training on the GPU ({value.DeviceName})" : null);
                        // A live display owns the terminal until it ends, so its notes wait; plain lines go out at once.
                        if (note is not null && Live is null) owner.Note(note);
                        else if (note is not null) Notes.Add(note);
                    }
                }
                if (_sink is null) return;
                if (value.Epoch is { } epoch) _sink.Report(value.Fraction, EpochDetail(epoch, epochs));
                else if (value.Fraction > 0) _sink.Report(value.Fraction);
            }
        }

        private void Open(string phase)
        {
            _clock = Stopwatch.StartNew();
            _lastStep = 0;
            if (owner.IsQuiet) _sink = new PhaseProgress(phase, _clock, null);
            else if (Live is { } live)
            {
                var task = _task = live.AddTask(Markup.Escape(phase), maxValue: 1.0);
                _sink = new PhaseProgress(phase, _clock, (fraction, detail) =>
                {
                    task.Value = Math.Clamp(fraction, 0, 1);
                    if (detail is not null) task.Description = Markup.Escape($"{phase} {detail}");
                });
            }
            else
            {
                var clock = _clock;
                _sink = new PhaseProgress(phase, clock, (fraction, detail) =>
                {
                    int step = (int)Math.Floor(Math.Clamp(fraction, 0, 1) * 10);
                    if (step <= _lastStep || step >= 10) return;
                    _lastStep = step;
                    owner.ErrorWriter.WriteLine($"cne: {phase} {step * 10,3}%{(detail is null ? "" : "  " + detail)}  [{Seconds(clock.Elapsed)} elapsed, {Remaining(clock.Elapsed, fraction)} left]");
                });
            }
        }

        /// <summary>Ends the open phase: its final line (or full bar) and its timing.</summary>
        public void Close()
        {
            lock (_gate)
            {
                if (_name is null || _sink is null) { _name = null; return; }
                if (_task is { } task) { task.Value = 1.0; task.StopTask(); }
                else if (!owner.IsQuiet)
                    owner.ErrorWriter.WriteLine($"cne: {_name} done in {Seconds(_clock.Elapsed)}{(_sink.LastDetail is null ? "" : "  " + _sink.LastDetail)}");
                owner._timings.Add((_name, _clock.Elapsed));
                _name = null;
                _sink = null;
                _task = null;
            }
        }
    }

    /// <summary>The detail line of an epoch report: epoch, mean loss, learning rate.</summary>
    public static string EpochDetail(EpochReport report, int epochs) =>
        string.Create(CultureInfo.InvariantCulture, $"epoch {report.Epoch + 1}/{epochs}  loss {report.MeanLoss:G5}  lr {report.LearningRate:G4}");

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

    /// <summary>
    /// Spectre's live progress display on standard error. The caller has established that standard error is a terminal;
    /// say so, since Spectre cannot tell from a TextWriter.
    /// </summary>
    private Spectre.Console.Progress LiveProgress()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn());
    }
}
