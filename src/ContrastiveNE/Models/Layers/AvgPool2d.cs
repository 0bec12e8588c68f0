using ContrastiveNE.Data;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Models.Layers;

/// <summary>
/// 2-D average pooling per channel (PyTorch's <c>nn.AvgPool2d</c> with its defaults: ceil_mode off,
/// count_include_pad on): each output pixel is the sum of its kernelSize × kernelSize window divided by the window
/// area, padding counting as zeros.
/// </summary>
public sealed unsafe class AvgPool2d : ILayer
{
    private readonly WindowGeometry _geometry;
    private readonly int _rowsPerUnit;
    private readonly float _scale;
    private readonly Action<int> _forwardUnit, _backwardUnit;
    private int _rows = -1, _callRows;
    private nint _src, _dst;

    /// <summary>
    /// Pools <paramref name="input"/>-shaped images with a <paramref name="kernelSize"/> window moved by
    /// <paramref name="stride"/> (default: the kernel size) over an image zero-padded by <paramref name="padding"/>
    /// (at most half the kernel, as in PyTorch). <paramref name="threads"/> ≤ 0 uses every processor.
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive, or padding exceeds half the kernel.</exception>
    public AvgPool2d(ImageShape input, int kernelSize, int? stride = null, int padding = 0, int threads = 0)
    {
        if (padding > kernelSize / 2)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Padding may be at most half the kernel size ({kernelSize / 2}).");
        _geometry = new WindowGeometry(input, kernelSize, kernelSize, stride ?? kernelSize, padding);
        OutputShape = new ImageShape(input.Channels, _geometry.OutputHeight, _geometry.OutputWidth);
        _scale = 1f / (kernelSize * kernelSize);
        Threads = threads;
        _rowsPerUnit = Math.Max(1, 16384 / input.Size);
        _forwardUnit = ForwardUnit;
        _backwardUnit = BackwardUnit;
    }

    /// <summary>Shape of an input image.</summary>
    public ImageShape InputShape => _geometry.Input;

    /// <summary>Side of the square pooling window.</summary>
    public int KernelSize => _geometry.KernelHeight;

    /// <summary>Step between neighbouring windows, along both axes.</summary>
    public int Stride => _geometry.Stride;

    /// <summary>Padding added on every side of the image.</summary>
    public int Padding => _geometry.Padding;

    /// <summary>Shape of an output image.</summary>
    public ImageShape OutputShape { get; }

    /// <inheritdoc/>
    public int InputDimension => _geometry.Input.Size;

    /// <inheritdoc/>
    public int OutputDimension => OutputShape.Size;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc/>
    public int Threads { get; set; }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output, bool training)
    {
        LayerBuffers.CheckForward(this, input, rows, output);
        _rows = training ? rows : -1;
        Run(input, output, rows, _forwardUnit);
    }

    /// <inheritdoc/>
    public void ForwardRetained(ReadOnlyMemory<float> input, int rows, Span<float> output) =>
        Forward(input.Span, rows, output, training: true); // keeps only what it derives, never the input itself

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        LayerBuffers.CheckBackward(this, _rows, outputGradient, inputGradient);
        if (!inputGradient.IsEmpty) Run(outputGradient, inputGradient, _rows, _backwardUnit);
    }

    private void Run(ReadOnlySpan<float> source, Span<float> destination, int rows, Action<int> body)
    {
        _callRows = rows;
        fixed (float* src = source)
        fixed (float* dst = destination)
        {
            _src = (nint)src;
            _dst = (nint)dst;
            Parallelism.For((rows + _rowsPerUnit - 1) / _rowsPerUnit, Threads, body);
        }
    }

    private void ForwardUnit(int unit) => Sweep(unit, backward: false);

    private void BackwardUnit(int unit) => Sweep(unit, backward: true);

    // Forward sums each window into its output; backward spreads each output gradient evenly back over its window.
    // Both walk the same windows, so they share one loop.
    private void Sweep(int unit, bool backward)
    {
        var g = _geometry;
        int inDim = InputDimension, outDim = OutputDimension, h = g.Input.Height, w = g.Input.Width, plane = h * w;
        int start = unit * _rowsPerUnit, end = Math.Min(_callRows, start + _rowsPerUnit);
        for (int r = start; r < end; r++)
        {
            float* image = backward ? (float*)_dst + (long)r * inDim : (float*)_src + (long)r * inDim;
            float* pooled = backward ? (float*)_src + (long)r * outDim : (float*)_dst + (long)r * outDim;
            if (backward) new Span<float>(image, inDim).Clear();
            int o = 0;
            for (int c = 0; c < g.Input.Channels; c++)
            {
                for (int oy = 0; oy < g.OutputHeight; oy++)
                {
                    int iy0 = Math.Max(0, oy * g.Stride - g.Padding), iy1 = Math.Min(h, oy * g.Stride - g.Padding + g.KernelHeight);
                    for (int ox = 0; ox < g.OutputWidth; ox++, o++)
                    {
                        int ix0 = Math.Max(0, ox * g.Stride - g.Padding), ix1 = Math.Min(w, ox * g.Stride - g.Padding + g.KernelWidth);
                        if (backward)
                        {
                            float share = pooled[o] * _scale;
                            for (int iy = iy0; iy < iy1; iy++)
                                for (int ix = ix0; ix < ix1; ix++) image[c * plane + iy * w + ix] += share;
                        }
                        else
                        {
                            float sum = 0;
                            for (int iy = iy0; iy < iy1; iy++)
                                for (int ix = ix0; ix < ix1; ix++) sum += image[c * plane + iy * w + ix];
                            pooled[o] = sum * _scale;
                        }
                    }
                }
            }
        }
    }
}
