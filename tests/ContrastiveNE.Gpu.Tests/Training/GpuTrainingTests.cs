using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Gpu.Tests.Support;
using ContrastiveNE.Gpu.Training;
using ContrastiveNE.Losses;
using ContrastiveNE.Metrics;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Optimization;
using ContrastiveNE.Tests.Support;
using ContrastiveNE.Training;

namespace ContrastiveNE.Gpu.Tests.Training;

/// <summary>
/// End-to-end fits through <see cref="Cne"/> with Device = Gpu, served by the backend on ILGPU's CPU accelerator.
/// One class, so its tests (which register the process-wide backend) never run concurrently.
/// </summary>
public class GpuTrainingTests
{
    private static readonly GpuBackend CpuBackend = new(() => CpuAccelerator.Instance, () => true);

    private static readonly Lazy<(NeighborGraph Graph, int[] Labels, int N)> Digits = new(() =>
    {
        const int n = 300;
        var images = NpyFile.ReadMatrix(TestFiles.DigitsImages).Slice(0, n);
        int[] labels = NpyFile.ReadLabels(TestFiles.DigitsLabels)[..n];
        return (NearestNeighbors.Exact(images, 15).ToGraph(), labels, n);
    });

    private static CneOptions Options(ComputeDevice device, LossMode loss) => new()
    {
        Device = device, Loss = loss, Epochs = 30, BatchSize = 4096, Seed = 3,
    };

    [Fact]
    public void NonParametricFitOnTheDeviceMatchesTheCpuEngineInQuality()
    {
        const LossMode loss = LossMode.InfoNce;
        DeviceBackends.Register(CpuBackend);
        var (graph, labels, _) = Digits.Value;
        var reports = new List<EpochReport>();
        var snapshots = new List<int>();
        var gpu = new Cne(Options(ComputeDevice.Gpu, loss)).Fit(graph, progress: new SyncProgress(reports.Add), snapshots: (e, _) => snapshots.Add(e));
        var cpu = new Cne(Options(ComputeDevice.Cpu, loss)).Fit(graph);

        double gpuAccuracy = KnnClassification.LeaveOneOutAccuracy(gpu.Embedding, labels, 10);
        double cpuAccuracy = KnnClassification.LeaveOneOutAccuracy(cpu.Embedding, labels, 10);
        Assert.True(gpuAccuracy > 0.85, $"device kNN accuracy {gpuAccuracy:F3}");
        Assert.True(Math.Abs(gpuAccuracy - cpuAccuracy) < 0.05, $"device {gpuAccuracy:F3} vs CPU {cpuAccuracy:F3}");

        // Loss falls; one report per epoch; snapshots before training and every SaveFrequency epochs.
        Assert.Equal(30, reports.Count);
        Assert.True(reports[^1].MeanLoss < reports[0].MeanLoss, $"loss {reports[0].MeanLoss} → {reports[^1].MeanLoss}");
        Assert.Equal(30, gpu.BatchLosses.Count);
        Assert.Equal([-1, 0, 25], snapshots);
        Assert.All(gpu.Embedding.Data, v => Assert.True(float.IsFinite(v)));
    }

    /// <summary>
    /// One batch holding every edge with full-batch negatives makes an epoch independent of the edge order and of
    /// sampling, so the device must reproduce the CPU engine's trajectory to float rounding. (The network cases use
    /// SGD: Adam's step m/√v turns rounding noise in near-zero weight gradients into steps of a full learning rate.)
    /// </summary>
    [Theory]
    [InlineData(false, LossMode.InfoNce, OptimizerKind.Sgd)]
    [InlineData(false, LossMode.Neg, OptimizerKind.Adam)]
    [InlineData(true, LossMode.InfoNce, OptimizerKind.Sgd)]
    [InlineData(true, LossMode.Nce, OptimizerKind.Sgd)]
    public void OrderFreeFullBatchTrainingMatchesTheCpuEngine(bool parametric, LossMode loss, OptimizerKind optimizer)
    {
        DeviceBackends.Register(CpuBackend);
        var data = NpyFile.ReadMatrix(TestFiles.DigitsImages).Slice(0, 30);
        var options = new CneOptions
        {
            Loss = loss, Optimizer = optimizer, Epochs = 3, BatchSize = 10_000, NegativeSamples = -1, K = 4, Seed = 5,
            Parametric = parametric, HiddenLayers = [16, 8], LearningRate = parametric ? 0.01 : 0.5, KnnMethod = KnnMethod.Exact,
        };
        var cpu = new Cne(options).Fit(data);
        var gpu = new Cne(options with { Device = ComputeDevice.Gpu }).Fit(data);
        double scale = cpu.Embedding.Data.Max(v => Math.Abs(v));
        CpuAccelerator.AssertClose(cpu.Embedding.Data.Select(v => (double)v).ToArray(), gpu.Embedding.Data, 1e-3, 1e-3 * scale, "embedding");
        for (int e = 0; e < 3; e++)
            Assert.Equal(cpu.BatchLosses[e][0], gpu.BatchLosses[e][0], 1e-3 * Math.Abs(cpu.BatchLosses[e][0]));
        Assert.Equal(cpu.Z, gpu.Z, 1e-4);
    }

    /// <summary>
    /// Regression (issue 15, item 1): both device trainers ran early exaggeration as a phase of its own, with a fresh
    /// optimiser and schedule. At s = 1 the exaggerated spectrum value equals the final one, so one run with one
    /// optimiser state (Adam's moments and step count, SGD's momentum) gives the run without early exaggeration; the learning rate warms up once and then never rises.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EarlyExaggerationKeepsTheOptimiserAndTheScheduleOnTheDevice(bool parametric)
    {
        DeviceBackends.Register(CpuBackend);
        var data = NpyFile.ReadMatrix(TestFiles.DigitsImages).Slice(0, 30);
        var options = new CneOptions
        {
            // The network with SGD and momentum (Adam's m/√v would blow float rounding of near-zero gradients up to full steps).
            Device = ComputeDevice.Gpu, Loss = LossMode.Neg, S = 1, Optimizer = parametric ? OptimizerKind.Sgd : OptimizerKind.Adam,
            Momentum = parametric ? 0.9 : 0, Epochs = 6, BatchSize = 10_000,
            NegativeSamples = -1, K = 4, Seed = 5, Parametric = parametric, HiddenLayers = [16, 8], LearningRate = parametric ? 0.01 : 0.05,
            KnnMethod = KnnMethod.Exact, WarmupEpochs = 1, WarmupLearningRate = 0.001,
        };
        var reports = new List<EpochReport>();
        var early = new Cne(options).Fit(data, progress: new SyncProgress(reports.Add));
        Assert.Equal(2, early.Spectrum.EarlyEpochs);
        var plain = new Cne(options with { EarlyExaggeration = false }).Fit(data);
        double scale = plain.Embedding.Data.Max(v => Math.Abs(v));
        CpuAccelerator.AssertClose(plain.Embedding.Data.Select(v => (double)v).ToArray(), early.Embedding.Data, 1e-3, 1e-3 * scale, "embedding");
        Assert.True(reports[0].LearningRate < reports[1].LearningRate);
        for (int e = 2; e < reports.Count; e++) Assert.True(reports[e].LearningRate <= reports[e - 1].LearningRate, $"lr rose at epoch {e}");
    }

    [Fact]
    public void NceLearnsZOnTheDevice()
    {
        DeviceBackends.Register(CpuBackend);
        var (graph, _, _) = Digits.Value;
        var fit = new Cne(Options(ComputeDevice.Gpu, LossMode.Nce) with { Epochs = 3 }).Fit(graph);
        Assert.NotEqual(1.0, fit.Z);
        Assert.True(double.IsFinite(fit.Z));
        // The initial Z is an option: log Z starts from it (lr 0.001 moves it little in three epochs).
        Assert.Equal(20.0, new Cne(Options(ComputeDevice.Gpu, LossMode.Nce) with { Epochs = 0, InitialZ = 20 }).Fit(graph).Z, 4);
    }

    [Fact]
    public void CancellationThrowsWithinOneBatchAndLeavesAUsableEmbedding()
    {
        DeviceBackends.Register(CpuBackend);
        var (graph, _, _) = Digits.Value;
        using var cts = new CancellationTokenSource();
        using var fit = new Cne(Options(ComputeDevice.Gpu, LossMode.InfoNce) with { Epochs = 1 }).Fit(graph);
        var reports = new List<int>();
        // Optimize keeps the object when it throws, so the state after the cancellation can be inspected.
        Assert.ThrowsAny<OperationCanceledException>(() => fit.Optimize(30,
            progress: new SyncProgress(r => { reports.Add(r.Epoch); if (r.Epoch == 2) cts.Cancel(); }), cancellationToken: cts.Token));
        Assert.Equal([1, 2], reports);
        Assert.Equal(4, fit.EpochsCompleted); // epoch 0 (fit), 1 and 2 finished, epoch 3 cancelled before its first batch
        Assert.Empty(fit.BatchLosses[3]);
        Assert.All(fit.Embedding.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DisposingTheEmbeddingFreesTheDeviceTrainerAndKeepsTheResultsReadable(bool parametric)
    {
        DeviceBackends.Register(CpuBackend);
        var (graph, _, n) = Digits.Value;
        var data = NpyFile.ReadMatrix(TestFiles.DigitsImages).Slice(0, n);
        var options = Options(ComputeDevice.Gpu, LossMode.Nce) with { Epochs = 2, Parametric = parametric, HiddenLayers = [32] };
        var fit = parametric ? new Cne(options).Fit(data, graph) : new Cne(options).Fit(graph);
        var trainer = fit.Trainer;
        Assert.IsType(parametric ? typeof(GpuParametricTrainer) : typeof(GpuEmbeddingTrainer), trainer);
        double z = fit.Z;
        var before = fit.Embedding.Clone();

        fit.Dispose();
        fit.Dispose(); // idempotent

        Assert.True(fit.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => trainer.Z); // the device buffers are gone
        Assert.Throws<ObjectDisposedException>(() => fit.Optimize(1));
        Assert.Throws<ObjectDisposedException>(() => trainer.Optimize(1, SpectrumSchedule.Constant(1)));
        Assert.Equal(z, fit.Z); // the results stay readable
        Assert.Equal(before.Data, fit.Embedding.Data);
        Assert.Equal(2, fit.BatchLosses.Count);
    }

    [Fact]
    public void TheEpochReportsNameTheDeviceThatTrains()
    {
        DeviceBackends.Register(CpuBackend);
        var (graph, _, _) = Digits.Value;
        var reports = new List<FitReport>();
        using var fit = new Cne(Options(ComputeDevice.Gpu, LossMode.InfoNce) with { Epochs = 2 }).Fit(graph, progress: new AllReports(reports.Add));
        var epochs = reports.Where(r => r.Phase == FitPhase.Epochs).ToList();
        Assert.Equal(3, epochs.Count); // the start and one per epoch
        Assert.All(epochs, r => Assert.Equal((ComputeDevice.Gpu, CpuAccelerator.Instance.Name, (string?)null), (r.Device, r.DeviceName, r.DeviceFallback)));
        Assert.Equal(ComputeDevice.Gpu, fit.Device);
        // The initialisation (seeded noise for a bare graph) runs on the CPU.
        Assert.All(reports.Where(r => r.Phase == FitPhase.Initialization), r => Assert.Equal(ComputeDevice.Cpu, r.Device));
    }

    [Fact]
    public void DeviceGpuWithoutCudaIsAClearErrorAndAutoFallsBackToTheCpu()
    {
        GpuBackend.Register();
        var (graph, _, _) = Digits.Value;
        var options = Options(ComputeDevice.Gpu, LossMode.InfoNce) with { Epochs = 1 };
        if (GpuDevice.IsCudaAvailable())
        {
            // A CUDA device is present, so there is no error to provoke: Gpu and Auto both train on it.
            Assert.Equal(1, new Cne(options).Fit(graph).EpochsCompleted);
            Assert.NotNull(DeviceBackends.Resolve(ComputeDevice.Auto));
            Assert.Equal(1, new Cne(options with { Device = ComputeDevice.Auto }).Fit(graph).EpochsCompleted);
            return;
        }
        var e = Assert.Throws<InvalidOperationException>(() => new Cne(options).Fit(graph));
        Assert.Contains("CUDA", e.Message);
        Assert.Contains("Device", e.Message);
        Assert.Null(DeviceBackends.Resolve(ComputeDevice.Auto));
        using var auto = new Cne(options with { Device = ComputeDevice.Auto }).Fit(graph);
        Assert.Equal(1, auto.EpochsCompleted);
        // The fallback is no longer silent: the result (and the epochs' progress reports) say why the CPU trained.
        Assert.Equal(ComputeDevice.Cpu, auto.Device);
        Assert.Contains("no CUDA device", auto.DeviceFallback);
    }

    private sealed class AllReports(Action<FitReport> report) : IProgress<FitReport>
    {
        public void Report(FitReport value) => report(value);
    }

    /// <summary>Progress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<EpochReport> report) : IProgress<FitReport>
    {
        public void Report(FitReport value)
        {
            if (value.Epoch is { } epoch) report(epoch);
        }
    }
}
