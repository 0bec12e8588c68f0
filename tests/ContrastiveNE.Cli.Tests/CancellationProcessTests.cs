using System.Diagnostics;
using ContrastiveNE.Cli.Tests.Support;

namespace ContrastiveNE.Cli.Tests;

public class CancellationProcessTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task CtrlC_DuringTraining_StopsWithin2SecondsAndWritesNothing()
    {
        // SIGINT via kill(1) needs a POSIX system; elsewhere the run is killed outright, which still must leave no output.
        bool posix = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();
        if (!posix) output.WriteLine("Not a POSIX system: no SIGINT to send; checking only that a killed run writes nothing.");
        using var dir = new TempDir();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "cne.dll"), "embed", TestData.DigitsImages, "--epochs", "100000", "-o", "out.npy", "--plot", "out.png" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();
        var training = new ManualResetEventSlim();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            if (e.Data.StartsWith("cne: knn done", StringComparison.Ordinal)) training.Set();
        };
        process.BeginErrorReadLine();
        try
        {
            Assert.True(training.Wait(TimeSpan.FromSeconds(60)), "training did not start");
            await Task.Delay(300);
            if (!posix)
            {
                process.Kill();
                process.WaitForExit();
                Assert.Empty(dir.FileNames());
                return;
            }
            var clock = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) kill.WaitForExit();
            Assert.True(process.WaitForExit(10_000), "cne ignored SIGINT");
            process.WaitForExit();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"stopping took {clock.Elapsed.TotalSeconds:0.00} s");
            Assert.Equal(130, process.ExitCode);
            lock (stderr) Assert.Contains("cne: error: cancelled; no output was written.", stderr.ToString());
            Assert.Equal("", await stdout);
            Assert.Empty(dir.FileNames());
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
