namespace ContrastiveNE.Embedding;

/// <summary>Where training runs (<see cref="CneOptions.Device"/>).</summary>
public enum ComputeDevice
{
    /// <summary>On the CPU, with this library's own kernels (bit-reproducible for a seed at any thread count).</summary>
    Cpu = 0,

    /// <summary>
    /// On an NVIDIA GPU through the <c>ContrastiveNE.Gpu</c> assembly (ILGPU). Fails with an
    /// <see cref="InvalidOperationException"/> when that assembly or a CUDA device is missing.
    /// </summary>
    Gpu = 1,

    /// <summary>The GPU when the <c>ContrastiveNE.Gpu</c> assembly is present and a CUDA device is found, else the CPU.</summary>
    Auto = 2,
}
