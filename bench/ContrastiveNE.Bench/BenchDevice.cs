using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Gpu;
using ContrastiveNE.Gpu.Neighbors;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Training;

namespace ContrastiveNE.Bench;

/// <summary>
/// The <c>--device cpu|gpu|auto</c> switch, shared by the scenarios: parses it, opens the GPU and compiles its kernels
/// outside the timed phases (phase <c>device_init</c>), and records the figures <c>device</c> and <c>device_name</c>.
/// </summary>
public static class BenchDevice
{
    /// <summary>
    /// The device named by <c>--device</c>. Besides cpu, gpu and auto, <c>ilgpu-cpu</c> runs the GPU code path on
    /// ILGPU's CPU accelerator (slow; for checking a published package on a machine without a GPU, on a small n).
    /// </summary>
    public static ComputeDevice Parse(BenchArgs args) => args.Device.ToLowerInvariant() switch
    {
        "cpu" => ComputeDevice.Cpu,
        "gpu" or "ilgpu-cpu" => ComputeDevice.Gpu,
        "auto" => ComputeDevice.Auto,
        _ => throw new ArgumentException($"--device: '{args.Device}' is not one of cpu, gpu, auto, ilgpu-cpu."),
    };

    private static GpuBackend Backend(BenchArgs args) =>
        args.Device.Equals("ilgpu-cpu", StringComparison.OrdinalIgnoreCase) ? Emulated.Value : GpuBackend.Cuda;

    private static readonly Lazy<GpuBackend> Emulated = new(() => new GpuBackend(GpuDevice.OpenCpu, () => true));

    /// <summary>
    /// Resolves <c>--device</c> (a missing GPU is the clear error of <see cref="DeviceBackends.Resolve"/>), warms the
    /// device up and records it; returns the device for the options.
    /// </summary>
    public static ComputeDevice Prepare(BenchArgs args, BenchResult result)
    {
        var device = Parse(args);
        DeviceBackends.Register(Backend(args));
        IDeviceBackend? backend;
        try { backend = DeviceBackends.Resolve(device); }
        catch (InvalidOperationException e) { throw new ArgumentException($"--device {args.Device}: {e.Message}", e); }
        if (backend is GpuBackend gpu)
        {
            result.Phase("device_init", () => gpu.Kernels);
            result.Set("device", "gpu");
            result.Set("device_name", gpu.DeviceName);
            return ComputeDevice.Gpu;
        }
        result.Set("device", "cpu");
        return ComputeDevice.Cpu;
    }

    /// <summary>Exact kNN on the prepared device (the CPU's blocked search, or the GPU's tiled kernels).</summary>
    public static KnnResult ExactKnn(BenchArgs args, ComputeDevice device, Matrix data, int k, int threads) =>
        device == ComputeDevice.Gpu
            ? GpuNearestNeighbors.Exact(Backend(args).Kernels, data, k)
            : NearestNeighbors.Exact(data, k, DistanceMetric.Euclidean, threads);
}
