using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using ContrastiveNE.Embedding;

namespace ContrastiveNE.Training;

/// <summary>
/// Resolves <see cref="CneOptions.Device"/> to a backend. A GPU backend is either registered explicitly
/// (<see cref="Register"/>) or found by loading the assembly <c>ContrastiveNE.Gpu</c> beside this one and calling its
/// <c>ContrastiveNE.Gpu.GpuBackend.Register()</c> — so an application only has to ship that assembly.
/// </summary>
internal static class DeviceBackends
{
    private const string GpuAssembly = "ContrastiveNE.Gpu";
    private const string GpuType = "ContrastiveNE.Gpu.GpuBackend";
    private static volatile IDeviceBackend? _gpu;
    private static readonly Lock Gate = new();

    /// <summary>Makes <paramref name="backend"/> the GPU backend (the last registration wins).</summary>
    public static void Register(IDeviceBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _gpu = backend;
    }

    /// <summary>
    /// The backend for <paramref name="device"/>: null means the CPU trainer. <see cref="ComputeDevice.Gpu"/> without
    /// a usable backend throws <see cref="InvalidOperationException"/>; <see cref="ComputeDevice.Auto"/> falls back to null.
    /// </summary>
    public static IDeviceBackend? Resolve(ComputeDevice device) => Resolve(device, out _);

    /// <summary>As <see cref="Resolve(ComputeDevice)"/>; <paramref name="fallback"/> says why Auto fell back to the CPU (null otherwise).</summary>
    internal static IDeviceBackend? Resolve(ComputeDevice device, out string? fallback)
    {
        fallback = null;
        if (device == ComputeDevice.Cpu) return null;
        var backend = _gpu ?? TryLoad();
        if (backend is { IsAvailable: true }) return backend;
        if (device == ComputeDevice.Auto)
        {
            fallback = backend == null
                ? $"Device = Auto: the {GpuAssembly} assembly was not found beside {typeof(DeviceBackends).Assembly.GetName().Name}; training on the CPU."
                : "Device = Auto: no CUDA device was found on this machine; training on the CPU.";
            return null;
        }
        throw new InvalidOperationException(backend == null
            ? $"{nameof(CneOptions)}.{nameof(CneOptions.Device)} = Gpu needs the {GpuAssembly} assembly beside {typeof(DeviceBackends).Assembly.GetName().Name}; it was not found. Use Device = Cpu or Auto."
            : $"{nameof(CneOptions)}.{nameof(CneOptions.Device)} = Gpu, but no CUDA device was found on this machine (NVIDIA driver and GPU needed). Use Device = Cpu or Auto.");
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "ContrastiveNE.Gpu is kept whole by the publish roots file.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "ContrastiveNE.Gpu is kept whole by the publish roots file.")]
    private static IDeviceBackend? TryLoad()
    {
        lock (Gate)
        {
            if (_gpu != null) return _gpu;
            try
            {
                var type = Assembly.Load(GpuAssembly).GetType(GpuType, throwOnError: false);
                type?.GetMethod("Register", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)?.Invoke(null, null);
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or TargetInvocationException)
            {
                return null;
            }
            return _gpu;
        }
    }
}
