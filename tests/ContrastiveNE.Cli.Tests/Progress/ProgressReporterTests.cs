using ContrastiveNE.Cli.Progress;
using ContrastiveNE.Embedding;

namespace ContrastiveNE.Cli.Tests.Progress;

public class ProgressReporterTests
{
    [Fact]
    public void NotATerminal_PrintsOneLinePerTenPercentAndAFinalLine()
    {
        var error = new StringWriter();
        var reporter = new ProgressReporter(error, terminal: false, quiet: false);

        int value = reporter.Run("epochs", phase =>
        {
            for (int e = 1; e <= 200; e++) phase.Report(e / 200.0, $"epoch {e}/200");
            return 7;
        });
        reporter.PrintSummary();

        Assert.Equal(7, value);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length);
        for (int step = 1; step <= 9; step++)
            Assert.StartsWith($"cne: epochs {step * 10,3}%  epoch {step * 20}/200", lines[step - 1]);
        Assert.StartsWith("cne: epochs done in", lines[9]);
        Assert.EndsWith("epoch 200/200", lines[9].TrimEnd());
        Assert.StartsWith("cne: timings: epochs", lines[10]);
        Assert.Single(reporter.Timings);
    }

    [Fact]
    public void Quiet_PrintsNothingButStillTimes()
    {
        var error = new StringWriter();
        var reporter = new ProgressReporter(error, terminal: false, quiet: true);

        reporter.Run("knn", phase => { phase.Report(0.5); phase.Report(1.0); return 0; });
        reporter.Time("write", () => { });
        reporter.Note("hello");
        reporter.PrintSummary();

        Assert.Equal("", error.ToString());
        Assert.Equal(["knn", "write"], reporter.Timings.Select(t => t.Phase).ToArray());
    }

    [Fact]
    public void Terminal_DrawsALiveBarAndFinishes()
    {
        var error = new StringWriter();
        var reporter = new ProgressReporter(error, terminal: true, quiet: false);

        reporter.Run("knn", phase => { for (int i = 1; i <= 10; i++) phase.Report(i / 10.0, $"block {i}"); return 0; });

        Assert.Contains("knn", error.ToString());
        Assert.Contains("100%", error.ToString());
    }

    /// <summary>The reports of a small fit as the library makes them: kNN, initialisation, epochs (with a fallback note).</summary>
    private static void ReportFit(IProgress<FitReport> progress, int epochs, string? fallback = null)
    {
        progress.Report(new FitReport(FitPhase.Neighbors, 0, ComputeDevice.Cpu, "CPU"));
        progress.Report(new FitReport(FitPhase.Neighbors, 0.5, ComputeDevice.Cpu, "CPU"));
        progress.Report(new FitReport(FitPhase.Neighbors, 1, ComputeDevice.Cpu, "CPU"));
        progress.Report(new FitReport(FitPhase.Initialization, 0, ComputeDevice.Cpu, "CPU"));
        progress.Report(new FitReport(FitPhase.Initialization, 1, ComputeDevice.Cpu, "CPU"));
        progress.Report(new FitReport(FitPhase.Epochs, 0, ComputeDevice.Cpu, "CPU", null, fallback));
        for (int e = 0; e < epochs; e++)
            progress.Report(new FitReport(FitPhase.Epochs, (e + 1.0) / epochs, ComputeDevice.Cpu, "CPU", new EpochReport(e, 1.5, 0.1, 1), fallback));
    }

    [Fact]
    public void RunFit_TheLibrarysPhaseReportsDriveOnePhaseEach()
    {
        var error = new StringWriter();
        var reporter = new ProgressReporter(error, terminal: false, quiet: false);

        int value = reporter.RunFit(phase => phase switch { FitPhase.Neighbors => "knn", FitPhase.Initialization => "init", _ => "epochs" }, 10, progress =>
        {
            ReportFit(progress, 10, "Device = Auto: no CUDA device was found on this machine; training on the CPU.");
            return 3;
        });

        Assert.Equal(3, value);
        string text = error.ToString();
        Assert.Equal(["knn", "init", "epochs"], reporter.Timings.Select(t => t.Phase).ToArray());
        Assert.Contains("cne: knn  50%", text);
        Assert.Contains("cne: knn done in", text);
        Assert.Contains("cne: init done in", text);
        Assert.Contains("cne: Device = Auto: no CUDA device was found on this machine; training on the CPU.", text);
        Assert.Contains("cne: epochs  50%  epoch 5/10  loss 1.5  lr 0.1", text);
        Assert.Contains("cne: epochs done in", text);
        Assert.True(text.IndexOf("knn done", StringComparison.Ordinal) < text.IndexOf("init done", StringComparison.Ordinal));
    }

    [Fact]
    public void RunFit_AHiddenPhaseIsNeitherShownNorTimedAndACancelledPhaseGetsNoFinalLine()
    {
        var error = new StringWriter();
        var reporter = new ProgressReporter(error, terminal: false, quiet: false);

        Assert.Throws<OperationCanceledException>(() => reporter.RunFit<int>(phase => phase == FitPhase.Epochs ? "s=1" : null, 4, progress =>
        {
            ReportFit(progress, 2);
            throw new OperationCanceledException();
        }));

        string text = error.ToString();
        Assert.DoesNotContain("knn", text);
        Assert.DoesNotContain("init", text);
        Assert.DoesNotContain("done in", text); // the epochs were cut: no final line, no timing
        Assert.Contains("cne: s=1  50%", text);
        Assert.Empty(reporter.Timings);
    }

    [Fact]
    public void RunFit_OnATerminalDrawsABarPerPhase()
    {
        var error = new StringWriter();
        var reporter = new ProgressReporter(error, terminal: true, quiet: false);

        reporter.RunFit(phase => phase.ToString().ToLowerInvariant(), 4, progress => { ReportFit(progress, 4); return 0; });

        string text = error.ToString();
        Assert.Contains("neighbors", text);
        Assert.Contains("epochs epoch 4/4", text);
        Assert.Equal(3, reporter.Timings.Count);
    }

    [Fact]
    public void CancelledToken_StopsAtThePhaseBoundary()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var reporter = new ProgressReporter(new StringWriter(), terminal: false, quiet: false, cancelled.Token);
        bool ran = false;

        Assert.Throws<OperationCanceledException>(() => reporter.Time("write", () => { ran = true; }));
        Assert.False(ran);
    }
}
