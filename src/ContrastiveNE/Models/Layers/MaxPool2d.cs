using System.Runtime.Intrinsics;
using ContrastiveNE.Data;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Models.Layers;

/// <summary>
/// 2-D max pooling per channel (PyTorch's <c>nn.MaxPool2d</c> with ceil_mode off): each output pixel is the largest
/// input in its kernelSize × kernelSize window; padding counts as −∞, so it is never chosen. The gradient flows to the
/// first position holding the maximum.
/// </summary>
public sealed unsafe class MaxPool2d : ILayer
{
    private readonly WindowGeometry _geometry;
    private readonly int _rowsPerUnit;
    private readonly Action<int> _forwardUnit, _backwardUnit;
    private int[]? _argmax;           // per output value: index of the chosen input within its row
    private int _rows = -1, _callRows;
    private nint _src, _dst;

    /// <summary>
    /// Pools <paramref name="input"/>-shaped images with a <paramref name="kernelSize"/> window moved by
    /// <paramref name="stride"/> (default: the kernel size) over an image padded by <paramref name="padding"/>
    /// (at most half the kernel, as in PyTorch). <paramref name="threads"/> ≤ 0 uses every processor.
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive, or padding exceeds half the kernel.</exception>
    public MaxPool2d(ImageShape input, int kernelSize, int? stride = null, int padding = 0, int threads = 0)
    {
        if (padding > kernelSize / 2)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Padding may be at most half the kernel size ({kernelSize / 2}).");
        _geometry = new WindowGeometry(input, kernelSize, kernelSize, stride ?? kernelSize, padding);
        OutputShape = new ImageShape(input.Channels, _geometry.OutputHeight, _geometry.OutputWidth);
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
        LayerBuffers.Ensure(ref _argmax, rows * OutputDimension);
        _rows = training ? rows : -1;
        _callRows = rows;
        fixed (float* src = input)
        fixed (float* dst = output)
        {
            _src = (nint)src;
            _dst = (nint)dst;
            Parallelism.For((rows + _rowsPerUnit - 1) / _rowsPerUnit, Threads, _forwardUnit);
        }
    }

    /// <inheritdoc/>
    public void ForwardRetained(ReadOnlyMemory<float> input, int rows, Span<float> output) =>
        Forward(input.Span, rows, output, training: true); // keeps only what it derives, never the input itself

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        LayerBuffers.CheckBackward(this, _rows, outputGradient, inputGradient);
        if (inputGradient.IsEmpty) return;
        _callRows = _rows;
        fixed (float* src = outputGradient)
        fixed (float* dst = inputGradient)
        {
            _src = (nint)src;
            _dst = (nint)dst;
            Parallelism.For((_rows + _rowsPerUnit - 1) / _rowsPerUnit, Threads, _backwardUnit);
        }
    }

    private void ForwardUnit(int unit)
    {
        var g = _geometry;
        if (g.KernelHeight == 2 && g.KernelWidth == 2 && g.Stride == 2 && g.Padding == 0)
        {
            ForwardUnit2x2(unit);
            return;
        }
        int inDim = InputDimension, outDim = OutputDimension, h = g.Input.Height, w = g.Input.Width, plane = h * w;
        int start = unit * _rowsPerUnit, end = Math.Min(_callRows, start + _rowsPerUnit);
        for (int r = start; r < end; r++)
        {
            var x = new ReadOnlySpan<float>((float*)_src + (long)r * inDim, inDim);
            var y = new Span<float>((float*)_dst + (long)r * outDim, outDim);
            Span<int> arg = _argmax.AsSpan(r * outDim, outDim);
            int o = 0;
            for (int c = 0; c < g.Input.Channels; c++)
            {
                for (int oy = 0; oy < g.OutputHeight; oy++)
                {
                    int iy0 = Math.Max(0, oy * g.Stride - g.Padding), iy1 = Math.Min(h, oy * g.Stride - g.Padding + g.KernelHeight);
                    for (int ox = 0; ox < g.OutputWidth; ox++, o++)
                    {
                        int ix0 = Math.Max(0, ox * g.Stride - g.Padding), ix1 = Math.Min(w, ox * g.Stride - g.Padding + g.KernelWidth);
                        float best = float.NegativeInfinity;
                        int bestIndex = c * plane + iy0 * w + ix0;
                        for (int iy = iy0; iy < iy1; iy++)
                        {
                            int line = c * plane + iy * w;
                            for (int ix = ix0; ix < ix1; ix++)
                            {
                                float v = x[line + ix];
                                if (v > best) { best = v; bestIndex = line + ix; }
                            }
                        }
                        y[o] = best;
                        arg[o] = bestIndex;
                    }
                }
            }
        }
    }

    // The encoder's pooling (2 × 2, stride 2, no padding) without the general loop's per-window bounds: the same four
    // comparisons in the same order (a strict > against a running best that starts at −∞), so the same maxima and indices.
    private void ForwardUnit2x2(int unit)
    {
        var g = _geometry;
        int inDim = InputDimension, outDim = OutputDimension, w = g.Input.Width, plane = g.Input.Height * w;
        int outH = g.OutputHeight, outW = g.OutputWidth;
        int start = unit * _rowsPerUnit, end = Math.Min(_callRows, start + _rowsPerUnit);
        fixed (int* argBase = _argmax)
        {
            for (int r = start; r < end; r++)
            {
                float* x = (float*)_src + (long)r * inDim;
                float* y = (float*)_dst + (long)r * outDim;
                int* arg = argBase + (long)r * outDim;
                for (int c = 0; c < g.Input.Channels; c++)
                {
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int line = c * plane + 2 * oy * w;
                        int o = (c * outH + oy) * outW;
                        bool mayOverrun = line + w + 2 * Vector256<float>.Count <= inDim && o + Vector256<float>.Count <= outDim;
                        int ox = MaxPoolKernels.Row2x2(x, line, w, y + o, arg + o, outW, mayOverrun);
                        for (; ox < outW; ox++)
                        {
                            int i0 = line + 2 * ox;
                            float best = float.NegativeInfinity;
                            int index = i0;
                            float v = x[i0];
                            if (v > best) best = v;
                            v = x[i0 + 1];
                            if (v > best) { best = v; index = i0 + 1; }
                            v = x[i0 + w];
                            if (v > best) { best = v; index = i0 + w; }
                            v = x[i0 + w + 1];
                            if (v > best) { best = v; index = i0 + w + 1; }
                            y[o + ox] = best;
                            arg[o + ox] = index;
                        }
                    }
                }
            }
        }
    }

    private void BackwardUnit(int unit)
    {
        int inDim = InputDimension, outDim = OutputDimension;
        int start = unit * _rowsPerUnit, end = Math.Min(_callRows, start + _rowsPerUnit);
        for (int r = start; r < end; r++)
        {
            var dy = new ReadOnlySpan<float>((float*)_src + (long)r * outDim, outDim);
            var dx = new Span<float>((float*)_dst + (long)r * inDim, inDim);
            ReadOnlySpan<int> arg = _argmax.AsSpan(r * outDim, outDim);
            dx.Clear();
            for (int o = 0; o < outDim; o++) dx[arg[o]] += dy[o];
        }
    }
}
