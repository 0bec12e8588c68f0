using System.Collections.Concurrent;
using System.Numerics.Tensors;
using ContrastiveNE.Data;
using ContrastiveNE.LinearAlgebra;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Models.Layers;

/// <summary>
/// A 2-D convolution (cross-correlation, as in PyTorch's <c>nn.Conv2d</c>) over images stored as rows (C × H × W):
/// out[co, y, x] = bias[co] + Σ_{c,i,j} weight[co, c, i, j] · in[c, y·stride − padding + i, x·stride − padding + j],
/// reading zeros outside the image. Computed by im2col and one <see cref="Gemm"/>.Multiply per chunk of images.
/// </summary>
/// <remarks>
/// The batch is cut into chunks of a size fixed by the layer's shape (about 2048 output pixels each, so a chunk's
/// column matrix stays near the L2 cache; one image when its plane has 512 pixels or more, so that the GEMM reads and
/// writes the rows in place). Each chunk's weight and bias gradients are products of their own, added to
/// the parameters' gradients in chunk order, so every sum runs in the same order at any thread count: results are
/// bit-identical at 1 and N threads (given the GEMM's own determinism). The input gradient of a same-size convolution
/// (stride 1, square kernel k = 2·padding + 1, as 3 × 3 with padding 1) is itself such a convolution of the output
/// gradient with the flipped, transposed kernel, W′[c, co, i, j] = W[co, c, k−1−i, k−1−j]: computed so, by im2col of
/// the gradient and a GEMM of the forward's shape, it needs no col2im. When the batch has enough chunks they run in
/// parallel, one per thread with its own scratch; otherwise one after the other, with im2col, col2im and the GEMM
/// threaded inside. Scratch buffers grow with the largest batch seen and are then reused.
/// </remarks>
public sealed unsafe class Conv2d : ILayer
{
    private const int TargetChunkColumns = 2048;
    private const int DirectPlane = 512;

    private readonly WindowGeometry _geometry;
    private readonly WindowGeometry? _transposed; // the output gradient's geometry for a same-size layer, else null
    private readonly int _taps;       // K = C_in·kh·kw
    private readonly int _outPlane;   // P = output pixels per channel
    private readonly int _chunk;      // images per GEMM
    private readonly Parameter _weight;
    private readonly Parameter? _bias;
    private readonly Parameter[] _parameters;

    private ReadOnlyMemory<float> _x;  // the images of the current pass
    private float[]? _input, _weightPartials, _biasPartials, _flipped;
    private int _rows = -1;           // rows of the last training forward; −1 when there is none
    private int _callRows, _innerThreads;
    private readonly Action<int> _forwardChunk, _backwardChunk;
    private readonly ConcurrentBag<ChunkScratch> _scratch = []; // one set per thread that has run a chunk, reused
    private nint _rowsPointer;       // the caller's output (forward) or output gradient (backward) while a call runs
    private nint _inputGradientPointer; // the caller's input gradient while a backward call runs; 0 when not wanted

    /// <summary>A convolution with a square kernel. See the other constructor for the parameters.</summary>
    public Conv2d(ImageShape input, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true, ulong seed = 0, int threads = 0, string name = "conv")
        : this(input, outChannels, kernelSize, kernelSize, stride, padding, bias, seed, threads, name)
    {
    }

    /// <summary>
    /// A convolution of <paramref name="input"/>-shaped images to <paramref name="outChannels"/> channels with a
    /// <paramref name="kernelHeight"/> × <paramref name="kernelWidth"/> kernel, the same <paramref name="stride"/> and
    /// zero <paramref name="padding"/> along both axes, and optionally a bias per output channel. Weights and bias
    /// start uniform in ±1/√(C_in·kh·kw) (PyTorch's default), drawn from stream 0 of <paramref name="seed"/>.
    /// <paramref name="threads"/> ≤ 0 uses every processor. The parameters are called <paramref name="name"/>.weight and .bias.
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive, padding is negative, or the kernel does not fit the padded image.</exception>
    public Conv2d(ImageShape input, int outChannels, int kernelHeight, int kernelWidth, int stride = 1, int padding = 0, bool bias = true, ulong seed = 0, int threads = 0, string name = "conv")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        _geometry = new WindowGeometry(input, kernelHeight, kernelWidth, stride, padding);
        Threads = threads;
        _taps = input.Channels * kernelHeight * kernelWidth;
        _outPlane = _geometry.OutputPlane;
        // A plane of 512 pixels or more is a GEMM wide enough on its own; a chunk of one image then needs no copies, as its
        // product is already laid out as its output row (channel, pixel).
        _chunk = _outPlane >= DirectPlane ? 1 : Math.Max(1, TargetChunkColumns / _outPlane);
        OutputShape = new ImageShape(outChannels, _geometry.OutputHeight, _geometry.OutputWidth);
        if (stride == 1 && kernelHeight == kernelWidth && kernelHeight == 2 * padding + 1)
            _transposed = new WindowGeometry(OutputShape, kernelHeight, kernelWidth, 1, padding);

        var random = Xoshiro256.Create(seed);
        float bound = 1f / MathF.Sqrt(_taps);
        var w = new float[outChannels * _taps];
        for (int i = 0; i < w.Length; i++) w[i] = (2f * random.NextFloat() - 1f) * bound;
        _weight = new Parameter(name + ".weight", w);
        if (bias)
        {
            var b = new float[outChannels];
            for (int i = 0; i < b.Length; i++) b[i] = (2f * random.NextFloat() - 1f) * bound;
            _bias = new Parameter(name + ".bias", b);
            _parameters = [_weight, _bias];
        }
        else
        {
            _parameters = [_weight];
        }
        _forwardChunk = ForwardChunk;
        _backwardChunk = BackwardChunk;
    }

    /// <summary>Shape of an input image.</summary>
    public ImageShape InputShape => _geometry.Input;

    /// <summary>Shape of an output image: (out channels, ⌊(H + 2p − kh)/s⌋ + 1, ⌊(W + 2p − kw)/s⌋ + 1).</summary>
    public ImageShape OutputShape { get; }

    /// <summary>Kernel height kh.</summary>
    public int KernelHeight => _geometry.KernelHeight;

    /// <summary>Kernel width kw.</summary>
    public int KernelWidth => _geometry.KernelWidth;

    /// <summary>Stride along both axes.</summary>
    public int Stride => _geometry.Stride;

    /// <summary>Zero padding on every side.</summary>
    public int Padding => _geometry.Padding;

    /// <summary>The weights, C_out × C_in × kh × kw (PyTorch's layout).</summary>
    public Parameter Weight => _weight;

    /// <summary>The bias per output channel, or null when the layer has none.</summary>
    public Parameter? Bias => _bias;

    /// <inheritdoc/>
    public int Threads { get; set; }

    /// <inheritdoc/>
    public int InputDimension => _geometry.Input.Size;

    /// <inheritdoc/>
    public int OutputDimension => OutputShape.Size;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Whether the input gradient is computed as a convolution of dY with the flipped kernel (a same-size layer).</summary>
    internal bool TransposedInputGradient => _transposed is not null;

    /// <summary>Columns of one chunk's GEMM (images per chunk × output pixels), for benchmarks at the same shape.</summary>
    internal int ChunkColumns => _chunk * _outPlane;

    /// <summary>Multiply–add operations ×2 of a forward pass over one image, 2·C_out·K·P (the GEMM's FLOPs).</summary>
    public long FlopsPerImage => 2L * OutputShape.Channels * _taps * _outPlane;

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output, bool training)
    {
        LayerBuffers.CheckForward(this, input, rows, output);
        // Chunks run on worker threads, which cannot see a span: the images go to an array first.
        float[] x = LayerBuffers.Ensure(ref _input, rows * InputDimension);
        input[..(rows * InputDimension)].CopyTo(x);
        Compute(x.AsMemory(0, rows * InputDimension), rows, output);
        _rows = training ? rows : -1;
    }

    /// <inheritdoc/>
    public void ForwardRetained(ReadOnlyMemory<float> input, int rows, Span<float> output)
    {
        LayerBuffers.CheckForward(this, input.Span, rows, output);
        Compute(input, rows, output);
        _rows = rows;
    }

    // The input is kept for the backward pass, where im2col is recomputed rather than stored: the column matrix is
    // kh·kw times larger than the input.
    private void Compute(ReadOnlyMemory<float> input, int rows, Span<float> output)
    {
        _x = input;
        fixed (float* y = output)
        {
            _rowsPointer = (nint)y;
            RunChunks(rows, _forwardChunk);
        }
    }

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        int rows = _rows;
        LayerBuffers.CheckBackward(this, rows, outputGradient, inputGradient);
        int chunks = (rows + _chunk - 1) / _chunk, weights = _weight.Length, outChannels = OutputShape.Channels;
        float[] weightPartials = LayerBuffers.Ensure(ref _weightPartials, chunks * weights);
        float[] biasPartials = LayerBuffers.Ensure(ref _biasPartials, chunks * outChannels);
        if (_transposed is not null && !inputGradient.IsEmpty) FlipWeights();
        fixed (float* g = outputGradient)
        fixed (float* dx = inputGradient)
        {
            _rowsPointer = (nint)g;
            _inputGradientPointer = inputGradient.IsEmpty ? 0 : (nint)dx;
            RunChunks(rows, _backwardChunk);
        }
        // Each chunk's gradient is its own product; they are added in chunk order, so the sums do not depend on how
        // chunks were shared among threads. The weight partials are transposed (K × C_out): summed so, then turned.
        Span<float> total = weightPartials.AsSpan(0, weights);
        for (int chunk = 1; chunk < chunks; chunk++)
            TensorPrimitives.Add(total, weightPartials.AsSpan(chunk * weights, weights), total);
        float[] gradient = _weight.Gradient;
        for (int r = 0; r < _taps; r++)
            for (int co = 0; co < outChannels; co++)
                gradient[co * _taps + r] += total[r * outChannels + co];
        if (_bias is not null)
            for (int chunk = 0; chunk < chunks; chunk++)
                TensorPrimitives.Add(_bias.Gradient, biasPartials.AsSpan(chunk * outChannels, outChannels), _bias.Gradient);
    }

    /// <summary>W′ (C_in × C_out·k²): W′[c, (co·k + i)·k + j] = W[co, (c·k + k−1−i)·k + k−1−j].</summary>
    private void FlipWeights()
    {
        int outChannels = OutputShape.Channels, inChannels = InputShape.Channels, k = KernelHeight, area = k * k;
        float[] flipped = LayerBuffers.Ensure(ref _flipped, _weight.Length);
        float[] w = _weight.Value;
        for (int co = 0; co < outChannels; co++)
            for (int c = 0; c < inChannels; c++)
                for (int t = 0; t < area; t++)
                    flipped[(c * outChannels + co) * area + t] = w[(co * inChannels + c) * area + area - 1 - t];
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every chunk of the batch. With enough chunks to keep every thread busy, chunks
    /// run in parallel, each on one thread with its own scratch (no synchronisation inside a chunk); otherwise chunks
    /// run one after the other and their GEMMs and image loops use the threads. The GEMM's result does not depend on its
    /// thread count, and a chunk's images are independent, so both ways give the same values.
    /// </summary>
    private void RunChunks(int rows, Action<int> body)
    {
        _callRows = rows;
        int chunks = (rows + _chunk - 1) / _chunk, threads = Parallelism.Resolve(Threads);
        bool acrossChunks = chunks >= 2 * threads;
        _innerThreads = acrossChunks ? 1 : threads;
        Parallelism.For(chunks, acrossChunks ? threads : 1, body);
    }

    private ChunkScratch Rent()
    {
        if (_scratch.TryTake(out var scratch)) return scratch;
        // The transposed convolution's column matrix has C_out·k² rows and its product C_in rows.
        int colRows = _transposed is null ? _taps : Math.Max(_taps, OutputShape.Channels * KernelHeight * KernelWidth);
        int productRows = _transposed is null ? OutputShape.Channels : Math.Max(OutputShape.Channels, InputShape.Channels);
        return new ChunkScratch(new float[colRows * ChunkColumns], new float[productRows * ChunkColumns]);
    }

    private void ForImages(int count, Action<int> body)
    {
        if (_innerThreads == 1)
            for (int s = 0; s < count; s++) body(s);
        else
            Parallelism.For(count, _innerThreads, body);
    }

    private void ForwardChunk(int chunk)
    {
        int s0 = chunk * _chunk, nb = Math.Min(_chunk, _callRows - s0), cols = nb * _outPlane;
        int inDim = InputDimension, outChannels = OutputShape.Channels;
        var scratch = Rent();
        float[] col = scratch.Col, product = scratch.Product;
        ForImages(nb, s => Im2Col.Expand(_geometry, _x.Span.Slice((s0 + s) * inDim, inDim), col, cols, s * _outPlane));
        MultiplyIntoRows(_weight.Value, outChannels, _taps, col, s0, nb, (float*)_rowsPointer, product, _bias?.Value);
        _scratch.Add(scratch);
    }

    /// <summary>
    /// Rows s0 … s0 + nb − 1 at <paramref name="rows"/> (each <paramref name="channels"/> planes of P pixels) ←
    /// <paramref name="weights"/> (channels × k) · <paramref name="col"/> (k × nb·P), plus a bias per channel. One image's
    /// product is its row, written in place; several go through <paramref name="product"/> (channel × (image, pixel)),
    /// from which each image moves its own slices.
    /// </summary>
    private void MultiplyIntoRows(float[] weights, int channels, int k, float[] col, int s0, int nb, float* rows, float[] product, float[]? bias)
    {
        int cols = nb * _outPlane, rowLength = channels * _outPlane;
        if (nb == 1)
        {
            var row = new Span<float>(rows + (long)s0 * rowLength, rowLength);
            Gemm.Multiply(Transpose.No, Transpose.No, channels, cols, k, 1f, weights, k, col, cols, 0f, row, cols, _innerThreads);
            if (bias is not null)
                for (int c = 0; c < channels; c++)
                    TensorPrimitives.Add(row.Slice(c * _outPlane, _outPlane), bias[c], row.Slice(c * _outPlane, _outPlane));
            return;
        }
        Gemm.Multiply(Transpose.No, Transpose.No, channels, cols, k, 1f, weights, k, col, cols, 0f, product, cols, _innerThreads);
        nint rowsAddress = (nint)rows;
        ForImages(nb, s =>
        {
            var row = new Span<float>((float*)rowsAddress + (long)(s0 + s) * rowLength, rowLength);
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<float> src = product.AsSpan(c * cols + s * _outPlane, _outPlane);
                Span<float> dst = row.Slice(c * _outPlane, _outPlane);
                if (bias is null) src.CopyTo(dst);
                else TensorPrimitives.Add(src, bias[c], dst);
            }
        });
    }

    private void BackwardChunk(int chunk)
    {
        int s0 = chunk * _chunk, nb = Math.Min(_chunk, _callRows - s0), cols = nb * _outPlane;
        int inDim = InputDimension, outDim = OutputDimension, outChannels = OutputShape.Channels;
        var scratch = Rent();
        float[] col = scratch.Col;
        // dY as C_out × cols: one image's gradient row is already that; several are gathered side by side.
        ReadOnlySpan<float> dy;
        if (nb == 1)
            dy = new ReadOnlySpan<float>((float*)_rowsPointer + (long)s0 * outDim, outDim);
        else
        {
            float[] gathered = scratch.Product;
            ForImages(nb, s =>
            {
                var row = new ReadOnlySpan<float>((float*)_rowsPointer + (long)(s0 + s) * outDim, outDim);
                for (int co = 0; co < outChannels; co++)
                    row.Slice(co * _outPlane, _outPlane).CopyTo(gathered.AsSpan(co * cols + s * _outPlane, _outPlane));
            });
            dy = gathered.AsSpan(0, outChannels * cols);
        }
        if (_bias is not null)
            for (int co = 0; co < outChannels; co++)
                _biasPartials![chunk * outChannels + co] = TensorPrimitives.Sum(dy.Slice(co * cols, cols));
        // dWᵀ_chunk (K × C_out) = col (K × cols) · dYᵀ (cols × C_out): the few output channels are the GEMM's narrow
        // side, which its register tiles handle far better than a product only C_out rows tall (conv 16 → 16 on
        // 28 × 28: about 40 → 28 ms per 512 images for the whole backward pass).
        ForImages(nb, s => Im2Col.Expand(_geometry, _x.Span.Slice((s0 + s) * inDim, inDim), col, cols, s * _outPlane));
        Gemm.Multiply(Transpose.No, Transpose.Yes, _taps, outChannels, cols,
            1f, col, cols, dy, cols, 0f, _weightPartials.AsSpan(chunk * _weight.Length, _weight.Length), outChannels, _innerThreads);
        if (_inputGradientPointer == 0) { _scratch.Add(scratch); return; }
        if (_transposed is { } transposed)
        {
            // dX (C_in × cols) = W′ (C_in × C_out·k²) · im2col(dY): a same-size convolution of the output gradient.
            ForImages(nb, s => Im2Col.Expand(transposed, new ReadOnlySpan<float>((float*)_rowsPointer + (long)(s0 + s) * outDim, outDim), col, cols, s * _outPlane));
            MultiplyIntoRows(_flipped!, InputShape.Channels, outChannels * KernelHeight * KernelWidth, col, s0, nb,
                (float*)_inputGradientPointer, scratch.Product, null);
            _scratch.Add(scratch);
            return;
        }
        // dcol (K × cols) = Wᵀ (K × C_out) · dY, folded back onto the pixels it was read from.
        Gemm.Multiply(Transpose.Yes, Transpose.No, _taps, cols, outChannels,
            1f, _weight.Value, _taps, dy, cols, 0f, col, cols, _innerThreads);
        ForImages(nb, s => Im2Col.Fold(_geometry, col, cols, s * _outPlane,
            new Span<float>((float*)_inputGradientPointer + (long)(s0 + s) * inDim, inDim)));
        _scratch.Add(scratch);
    }

    private sealed record ChunkScratch(float[] Col, float[] Product);
}
