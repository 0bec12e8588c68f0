using ContrastiveNE.Cli.Progress;

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
