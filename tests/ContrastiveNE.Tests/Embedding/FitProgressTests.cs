using System.Collections.Concurrent;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Embedding;

/// <summary><see cref="FitReport"/>: every phase of a fit is reported, in order, with the device that ran it.</summary>
public class FitProgressTests
{
    private static readonly Lazy<Matrix> Digits = new(() => NpyFile.ReadMatrix(TestFiles.DigitsImages).Slice(0, 300));

    private static List<FitReport> Fit(CneOptions options, CancellationToken token = default, Action<FitReport>? also = null)
    {
        var reports = new ConcurrentQueue<FitReport>(); // the kNN search reports from worker threads
        using var fit = new Cne(options).Fit(Digits.Value, progress: new SyncProgress(r => { reports.Enqueue(r); also?.Invoke(r); }), cancellationToken: token);
        return [.. reports];
    }

    [Theory]
    [InlineData(false, RepulsionMode.Sampled)]
    [InlineData(true, RepulsionMode.Sampled)]
    [InlineData(false, RepulsionMode.Fft)]
    public void EveryPhaseIsReportedInOrderFromZeroToOne(bool parametric, RepulsionMode repulsion)
    {
        var reports = Fit(new CneOptions { Epochs = 4, BatchSize = 1024, Parametric = parametric, HiddenLayers = [16], Repulsion = repulsion, KnnMethod = KnnMethod.Approximate });

        // Phases never go back, and each starts at fraction 0 and ends at fraction 1.
        var phases = reports.Select(r => r.Phase).ToList();
        Assert.Equal([FitPhase.Neighbors, FitPhase.Initialization, FitPhase.Epochs], phases.Distinct());
        for (int i = 1; i < phases.Count; i++) Assert.True(phases[i] >= phases[i - 1], $"phase {phases[i]} after {phases[i - 1]}");
        foreach (var phase in new[] { FitPhase.Neighbors, FitPhase.Initialization, FitPhase.Epochs })
        {
            var of = reports.Where(r => r.Phase == phase).ToList();
            Assert.Equal(0, of[0].Fraction);
            Assert.Equal(1, of[^1].Fraction);
            Assert.All(of, r => Assert.InRange(r.Fraction, 0, 1));
        }
        // The approximate search reports its own fractions between the phase's start and end.
        Assert.Contains(reports, r => r.Phase == FitPhase.Neighbors && r.Fraction is > 0 and < 1);
        // One report per epoch, carrying the epoch; the CPU did all of it here.
        var epochs = reports.Where(r => r.Epoch is not null).ToList();
        Assert.Equal([0, 1, 2, 3], epochs.Select(r => r.Epoch!.Value.Epoch));
        Assert.Equal([0.25, 0.5, 0.75, 1.0], epochs.Select(r => r.Fraction));
        Assert.All(reports, r => Assert.Equal((ComputeDevice.Cpu, FitReport.CpuName), (r.Device, r.DeviceName)));
        Assert.All(reports, r => Assert.Null(r.DeviceFallback));
    }

    [Fact]
    public void AutoWithoutAGpuReportsTheFallbackAtTheStartOfTheEpochs()
    {
        // This test project ships no ContrastiveNE.Gpu assembly, so Auto cannot find a GPU backend.
        var options = new CneOptions { Epochs = 1, Device = ComputeDevice.Auto };
        var reports = Fit(options);
        var start = reports.First(r => r.Phase == FitPhase.Epochs);
        Assert.Equal(ComputeDevice.Cpu, start.Device);
        Assert.Null(start.Epoch);
        Assert.Contains("Device = Auto", start.DeviceFallback);
        Assert.Contains("training on the CPU", start.DeviceFallback);
        using var fit = new Cne(options).Fit(Digits.Value);
        Assert.Equal(ComputeDevice.Cpu, fit.Device);
        Assert.Equal(start.DeviceFallback, fit.DeviceFallback);
    }

    [Fact]
    public void CancellingFromAKnnProgressReportStopsTheSearch()
    {
        using var cts = new CancellationTokenSource();
        var seen = new ConcurrentQueue<FitReport>();
        Assert.ThrowsAny<OperationCanceledException>(() => Fit(new CneOptions { KnnMethod = KnnMethod.Approximate }, cts.Token, r =>
        {
            seen.Enqueue(r);
            if (r.Phase == FitPhase.Neighbors && r.Fraction > 0) cts.Cancel();
        }));
        Assert.All(seen, r => Assert.Equal(FitPhase.Neighbors, r.Phase));
        Assert.DoesNotContain(seen, r => r.Fraction == 1); // the search never finished
    }

    [Fact]
    public void OptimizeReportsItsEpochsAsFractionsOfItsOwnRun()
    {
        using var fit = new Cne(new CneOptions { Epochs = 2 }).Fit(Digits.Value);
        var reports = new List<FitReport>();
        fit.Optimize(4, progress: new SyncProgress(reports.Add));
        Assert.Equal([0, 0.25, 0.5, 0.75, 1.0], reports.Select(r => r.Fraction));
        Assert.Equal([2, 3, 4, 5], reports.Skip(1).Select(r => r.Epoch!.Value.Epoch));
    }

    private sealed class SyncProgress(Action<FitReport> action) : IProgress<FitReport>
    {
        public void Report(FitReport value) => action(value);
    }
}
