using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Gpu.Tests.Support;
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
        var images = NpyFile.ReadMatrix(SharedData.Path("data", "digits-images.npy")).Slice(0, n);
        int[] labels = NpyFile.ReadLabels(SharedData.Path("data", "digits-labels.npy"))[..n];
        return (NearestNeighbors.Exact(images, 15).ToGraph(), labels, n);
    });

    private static CneOptions Options(ComputeDevice device, LossMode loss) => new()
    {
        Device = device, Loss = loss, Epochs = 60, BatchSize = 1024, Seed = 3,
    };

    [Theory]
    [InlineData(LossMode.InfoNce)]
    [InlineData(LossMode.Neg)]
    public void NonParametricFitOnTheDeviceMatchesTheCpuEngineInQuality(LossMode loss)
    {
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
        Assert.Equal(60, reports.Count);
        Assert.True(reports[^1].MeanLoss < reports[0].MeanLoss, $"loss {reports[0].MeanLoss} → {reports[^1].MeanLoss}");
        Assert.Equal(60, gpu.BatchLosses.Count);
        Assert.Equal([-1, 0, 25, 50], snapshots);
        Assert.All(gpu.Embedding.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void NceLearnsZOnTheDevice()
    {
        DeviceBackends.Register(CpuBackend);
        var (graph, _, _) = Digits.Value;
        var fit = new Cne(Options(ComputeDevice.Gpu, LossMode.Nce) with { Epochs = 5 }).Fit(graph);
        Assert.NotEqual(1.0, fit.Z);
        Assert.True(double.IsFinite(fit.Z));
    }

    [Fact]
    public void CancellationStopsWithinOneBatchAndLeavesAUsableEmbedding()
    {
        DeviceBackends.Register(CpuBackend);
        var (graph, _, _) = Digits.Value;
        using var cts = new CancellationTokenSource();
        var fit = new Cne(Options(ComputeDevice.Gpu, LossMode.InfoNce)).Fit(graph,
            progress: new SyncProgress(r => { if (r.Epoch == 1) cts.Cancel(); }), cancellationToken: cts.Token);
        Assert.True(fit.Cancelled);
        Assert.Equal(3, fit.EpochsCompleted); // epochs 0 and 1 finished, epoch 2 cancelled before its first batch
        Assert.All(fit.Embedding.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void DeviceGpuWithoutCudaIsAClearErrorAndAutoFallsBackToTheCpu()
    {
        GpuBackend.Register();
        var (graph, _, _) = Digits.Value;
        var options = Options(ComputeDevice.Gpu, LossMode.InfoNce) with { Epochs = 1 };
        if (GpuDevice.IsCudaAvailable())
        {
            Assert.Equal(1, new Cne(options).Fit(graph).EpochsCompleted);
            return;
        }
        var e = Assert.Throws<InvalidOperationException>(() => new Cne(options).Fit(graph));
        Assert.Contains("CUDA", e.Message);
        Assert.Contains("Device", e.Message);
        Assert.Null(DeviceBackends.Resolve(ComputeDevice.Auto));
        Assert.Equal(1, new Cne(options with { Device = ComputeDevice.Auto }).Fit(graph).EpochsCompleted);
    }

    /// <summary>Progress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
