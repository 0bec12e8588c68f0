using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Gpu.Tests.Support;
using ContrastiveNE.Gpu.Training;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Training;

namespace ContrastiveNE.Gpu.Tests.Training;

/// <summary>Everything that holds device memory is disposable, idempotently, and refuses use afterwards.</summary>
public class GpuDisposalTests
{
    private static (NeighborGraph Graph, Matrix Data) Small()
    {
        var data = new Matrix(40, 3);
        var random = new Random(4);
        for (int i = 0; i < data.Data.Length; i++) data.Data[i] = (float)random.NextDouble();
        return (NearestNeighbors.Exact(data, 5).ToGraph(), data);
    }

    [Fact]
    public void AnEmbeddingTrainerFreesItsBuffersOnceAndThenRefusesWork()
    {
        var (graph, data) = Small();
        var options = new CneOptions { Epochs = 1, BatchSize = 64, Seed = 1 };
        var positions = new Matrix(data.Rows, 2);
        for (int i = 0; i < positions.Data.Length; i++) positions.Data[i] = data.Data[i];
        var table = new EmbeddingTable(positions, 1);
        var trainer = new GpuEmbeddingTrainer(CpuAccelerator.Kernels, graph, table, options);
        trainer.Optimize(1, SpectrumSchedule.Constant(1));
        trainer.Dispose();
        trainer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => trainer.Optimize(1, SpectrumSchedule.Constant(1)));
        Assert.Throws<ObjectDisposedException>(() => trainer.Z);
        Assert.Equal(1, trainer.EpochsCompleted);
    }

    [Fact]
    public void AParametricTrainerFreesItsBuffersOnceAndThenRefusesWork()
    {
        var (graph, data) = Small();
        var options = new CneOptions { Epochs = 1, BatchSize = 64, Seed = 1, Parametric = true, HiddenLayers = [8] };
        var network = Mlp.Create(data.Columns, [8], 2, 1, 1);
        var trainer = new GpuParametricTrainer(CpuAccelerator.Kernels, network, data, graph, options);
        trainer.Optimize(1, SpectrumSchedule.Constant(1));
        trainer.Dispose();
        trainer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => trainer.Optimize(1, SpectrumSchedule.Constant(1)));
        Assert.Throws<ObjectDisposedException>(() => trainer.Z);
    }

    [Fact]
    public void ABackendClosesTheDeviceItOpenedOnceAndThenRefusesTrainers()
    {
        GpuDevice? opened = null;
        var backend = new GpuBackend(() => opened = GpuDevice.OpenCpu(), () => true);
        Assert.Null(opened); // the device opens on first use
        Assert.False(string.IsNullOrEmpty(backend.DeviceName));
        backend.Dispose();
        backend.Dispose();
        Assert.True(opened!.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => opened.Accelerator);
        Assert.Throws<ObjectDisposedException>(() => backend.Kernels);
        var (graph, data) = Small();
        Assert.Throws<ObjectDisposedException>(() => ((IDeviceBackend)backend).CreateTrainer(graph, new EmbeddingTable(new Matrix(data.Rows, 2), 1), new CneOptions()));
    }

    [Fact]
    public void ADeviceDisposesIdempotently()
    {
        var device = GpuDevice.OpenCpu();
        device.Dispose();
        device.Dispose();
        Assert.True(device.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => device.Accelerator);
    }
}
