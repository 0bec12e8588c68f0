using ContrastiveNE.Gpu;

namespace ContrastiveNE.Gpu.Tests.Support;

/// <summary>One ILGPU CPU accelerator shared by all tests (opening one compiles nothing, but kernels are cached on it).</summary>
internal static class CpuAccelerator
{
    private static readonly Lazy<GpuDevice> Device = new(GpuDevice.OpenCpu);
    private static readonly Lazy<GpuKernels> KernelSet = new(() => new GpuKernels(Device.Value.Accelerator));

    /// <summary>The shared device.</summary>
    public static GpuDevice Instance => Device.Value;

    /// <summary>The kernels loaded on it.</summary>
    public static GpuKernels Kernels => KernelSet.Value;

    /// <summary>Asserts |actual − expected| ≤ rel·|expected| + abs elementwise.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double rel, double abs, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = rel * Math.Abs(expected[i]) + abs;
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tol, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tol:G3})");
        }
    }
}
