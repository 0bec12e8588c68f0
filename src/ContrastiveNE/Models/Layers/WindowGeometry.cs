using ContrastiveNE.Data;

namespace ContrastiveNE.Models.Layers;

/// <summary>
/// Where a sliding window (a convolution kernel or a pooling window) goes over an image: kernel size, stride and
/// zero padding, and the output size they give, ⌊(H + 2·padding − kernel) / stride⌋ + 1 (PyTorch's rule).
/// </summary>
internal readonly struct WindowGeometry
{
    public WindowGeometry(ImageShape input, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (input.Height + 2 * padding < kernelHeight || input.Width + 2 * padding < kernelWidth)
            throw new ArgumentException(
                $"A {kernelHeight} × {kernelWidth} window does not fit a {input} image padded by {padding}.", nameof(kernelHeight));
        Input = input;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        Stride = stride;
        Padding = padding;
        OutputHeight = (input.Height + 2 * padding - kernelHeight) / stride + 1;
        OutputWidth = (input.Width + 2 * padding - kernelWidth) / stride + 1;
    }

    public ImageShape Input { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }

    /// <summary>Output pixels per plane.</summary>
    public int OutputPlane => OutputHeight * OutputWidth;

    /// <summary>
    /// The output columns [start, end) whose window tap at kernel column <paramref name="kernelColumn"/> lands
    /// inside the image: ix = ox·stride − padding + j must lie in [0, W). Everything outside reads padding.
    /// </summary>
    public (int Start, int End) ValidColumns(int kernelColumn) =>
        ValidRange(kernelColumn, Input.Width, OutputWidth);

    /// <summary>The output rows [start, end) whose tap at kernel row <paramref name="kernelRow"/> lands inside the image.</summary>
    public (int Start, int End) ValidRows(int kernelRow) =>
        ValidRange(kernelRow, Input.Height, OutputHeight);

    private (int, int) ValidRange(int tap, int size, int outputs)
    {
        // o·s − p + t ≥ 0  ⇔  o ≥ ⌈(p − t)/s⌉;   o·s − p + t ≤ size − 1  ⇔  o ≤ ⌊(size − 1 + p − t)/s⌋.
        int low = Padding - tap;
        int start = low <= 0 ? 0 : (low + Stride - 1) / Stride;
        int high = size - 1 + Padding - tap;
        int end = high < 0 ? 0 : Math.Min(outputs, high / Stride + 1);
        return (start, Math.Max(start, end));
    }
}
