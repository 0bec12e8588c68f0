using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace ContrastiveNE.Gpu;

/// <summary>
/// One ILGPU accelerator with its context: a CUDA device for real runs, or ILGPU's CPU accelerator, which runs the
/// very same kernels (barriers, shared memory and atomics emulated on threads) so that every kernel can be tested
/// on a machine without a GPU.
/// </summary>
public sealed class GpuDevice : IDisposable
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private bool _disposed;

    private GpuDevice(Context context, Accelerator accelerator)
    {
        _context = context;
        _accelerator = accelerator;
    }

    /// <summary>The ILGPU accelerator the kernels run on.</summary>
    /// <exception cref="ObjectDisposedException">The device was disposed.</exception>
    internal Accelerator Accelerator
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _accelerator;
        }
    }

    /// <summary>The device's name as the driver reports it, e.g. <c>NVIDIA H100 80GB HBM3</c>.</summary>
    public string Name => Accelerator.Name;

    /// <summary>True when this is a CUDA device (false for the CPU accelerator).</summary>
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>True when at least one CUDA device can be opened (driver present and a device found).</summary>
    public static bool IsCudaAvailable()
    {
        try
        {
            using var context = Context.Create(b => b.Cuda());
            return context.GetCudaDevices().Count > 0;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException
                                      or NotSupportedException or EntryPointNotFoundException or ILGPU.Runtime.Cuda.CudaException)
        {
            return false;
        }
    }

    /// <summary>Opens the first CUDA device; throws <see cref="InvalidOperationException"/> when there is none.</summary>
    public static GpuDevice OpenCuda()
    {
        Context? context = null;
        try
        {
            context = Context.Create(b => b.Cuda().EnableAlgorithms().Optimize(OptimizationLevel.O2));
            if (context.GetCudaDevices().Count == 0)
                throw new InvalidOperationException("Device = Gpu was requested, but no CUDA device was found (is the NVIDIA driver installed?). Use Device = Cpu or Auto.");
            return new GpuDevice(context, context.CreateCudaAccelerator(0));
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or EntryPointNotFoundException)
        {
            context?.Dispose();
            throw new InvalidOperationException("Device = Gpu was requested, but the CUDA driver could not be loaded (no NVIDIA driver on this machine). Use Device = Cpu or Auto.", e);
        }
        catch
        {
            context?.Dispose();
            throw;
        }
    }

    /// <summary>Opens ILGPU's CPU accelerator (used by the tests; slow, but runs every kernel exactly as written).</summary>
    /// <remarks>Emulates one multiprocessor of 8 warps × 8 threads: the tiled kernels' 64-thread groups fit, and each
    /// launch wakes only 64 OS threads.</remarks>
    public static GpuDevice OpenCpu()
    {
        var context = Context.Create(b => b.CPU(new CPUDevice(8, 8, 1)).EnableAlgorithms());
        return new GpuDevice(context, context.CreateCPUAccelerator(0));
    }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Releases the accelerator and its context (every buffer allocated on it becomes invalid); idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _accelerator.Dispose();
        _context.Dispose();
    }
}
