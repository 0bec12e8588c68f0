using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Gpu.Training;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Training;

namespace ContrastiveNE.Gpu;

/// <summary>
/// The GPU backend behind <see cref="CneOptions.Device"/>: opens the CUDA device and trains there. The core library
/// finds it by loading this assembly and calling <see cref="Register"/>; applications may also call it themselves.
/// </summary>
/// <remarks>
/// The backend opens its device on the first trainer and holds it (the compiled kernels live on it) until
/// <see cref="Dispose"/>. Each trainer it creates holds its own device buffers, freed when the
/// <see cref="CneEmbedding"/> that owns the trainer is disposed. The shared <see cref="Cuda"/> instance lives for the
/// whole process; dispose only backends you created yourself.
/// </remarks>
public sealed class GpuBackend : IDeviceBackend, IDisposable
{
    private bool _disposed;

    private readonly Lazy<bool> _available;
    private readonly Lazy<(GpuDevice Device, GpuKernels Kernels)> _opened;

    /// <summary>A backend that opens devices with <paramref name="open"/> (the tests pass <see cref="GpuDevice.OpenCpu"/>).</summary>
    /// <param name="open">Opens the device; called once, on the first trainer.</param>
    /// <param name="isAvailable">Whether <paramref name="open"/> can succeed on this machine.</param>
    public GpuBackend(Func<GpuDevice> open, Func<bool> isAvailable)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(isAvailable);
        _available = new(isAvailable);
        _opened = new(() =>
        {
            var device = open();
            return (device, new GpuKernels(device.Accelerator));
        });
    }

    /// <summary>The CUDA backend (first CUDA device).</summary>
    public static GpuBackend Cuda { get; } = new(GpuDevice.OpenCuda, GpuDevice.IsCudaAvailable);

    /// <summary>Registers <see cref="Cuda"/> with <see cref="DeviceBackends"/>.</summary>
    public static void Register() => DeviceBackends.Register(Cuda);

    /// <inheritdoc/>
    public bool IsAvailable => _available.Value;

    /// <inheritdoc/>
    public string DeviceName => Kernels.Accelerator.Name;

    /// <summary>The opened device's kernels (opens the device on first use).</summary>
    /// <exception cref="ObjectDisposedException">The backend was disposed.</exception>
    internal GpuKernels Kernels
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _opened.Value.Kernels;
        }
    }

    /// <summary>Closes the device if it was opened (every trainer created by this backend becomes unusable); idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_opened.IsValueCreated) _opened.Value.Device.Dispose();
    }

    /// <inheritdoc/>
    IPhaseTrainer IDeviceBackend.CreateTrainer(NeighborGraph graph, EmbeddingTable table, CneOptions options)
        => new GpuEmbeddingTrainer(Kernels, graph, table, options);

    /// <inheritdoc/>
    IPhaseTrainer IDeviceBackend.CreateParametricTrainer(Sequential network, Matrix data, NeighborGraph graph, CneOptions options, Func<Matrix?> embedding)
        => new GpuParametricTrainer(Kernels, network, data, graph, options, embedding);
}
