using ContrastiveNE.LinearAlgebra;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Models;

/// <summary>
/// A fully connected layer Y = X·Wᵀ + b, with the weight W stored out × in row-major (PyTorch's <c>nn.Linear</c>
/// layout) and the bias b of length out. All products run through the library GEMM (<see cref="Gemm"/>).
/// </summary>
public sealed class Linear : ILayer
{
    private readonly Parameter _weight, _bias;
    private readonly Parameter[] _parameters;
    private float[] _inputCopy = [];
    private float[] _partials = [];
    private ReadOnlyMemory<float> _input;
    private ReadOnlyMemory<int> _inputRows; // when not empty, input row r is the stored row _inputRows[r] of _input
    private int _rows = -1;

    /// <summary>
    /// Creates a layer with PyTorch's default initialisation: every weight and bias uniform in ±1/√<paramref name="inputDimension"/>,
    /// drawn from <see cref="Xoshiro256"/> stream (<paramref name="seed"/>, <paramref name="stream"/>), weights first in row-major order.
    /// </summary>
    /// <param name="inputDimension">Width of an input row (fan-in), ≥ 1.</param>
    /// <param name="outputDimension">Width of an output row, ≥ 1.</param>
    /// <param name="seed">Seed of the initialisation.</param>
    /// <param name="stream">Random stream of this layer, so that layers of one network draw independent values.</param>
    /// <param name="name">Prefix of the parameter names (<c>name.weight</c>, <c>name.bias</c>).</param>
    public Linear(int inputDimension, int outputDimension, ulong seed = 0, ulong stream = 0, string name = "linear")
        : this(inputDimension, outputDimension, name)
    {
        // kaiming_uniform_(a = √5) gives the bound gain·√(3/fan_in) with gain = √(2/(1 + 5)), i.e. 1/√fan_in,
        // the same bound PyTorch uses for the bias.
        float bound = 1f / MathF.Sqrt(inputDimension);
        var random = Xoshiro256.Create(seed, stream);
        foreach (var values in new[] { _weight.Value, _bias.Value })
            for (int i = 0; i < values.Length; i++)
                values[i] = (2f * random.NextFloat() - 1f) * bound;
    }

    /// <summary>Creates a layer over the given values (copied): <paramref name="weight"/> is out × in row-major.</summary>
    /// <exception cref="ArgumentException">A length does not match the dimensions.</exception>
    public Linear(int inputDimension, int outputDimension, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, string name = "linear")
        : this(inputDimension, outputDimension, name)
    {
        if (weight.Length != _weight.Length)
            throw new ArgumentException($"The weight holds {weight.Length} values; a {outputDimension} × {inputDimension} layer needs {_weight.Length}.", nameof(weight));
        if (bias.Length != outputDimension)
            throw new ArgumentException($"The bias holds {bias.Length} values; the layer has {outputDimension} outputs.", nameof(bias));
        weight.CopyTo(_weight.Value);
        bias.CopyTo(_bias.Value);
    }

    private Linear(int inputDimension, int outputDimension, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputDimension, 1);
        ArgumentNullException.ThrowIfNull(name);
        InputDimension = inputDimension;
        OutputDimension = outputDimension;
        _weight = new Parameter(name + ".weight", new float[checked(inputDimension * outputDimension)]);
        _bias = new Parameter(name + ".bias", new float[outputDimension]);
        _parameters = [_weight, _bias];
    }

    /// <inheritdoc/>
    public int InputDimension { get; }

    /// <inheritdoc/>
    public int OutputDimension { get; }

    /// <summary>The weight, out × in row-major.</summary>
    public Parameter Weight => _weight;

    /// <summary>The bias, length out.</summary>
    public Parameter Bias => _bias;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public int Threads { get; set; }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output, bool training)
    {
        CheckShapes(input.Length, rows, output.Length);
        if (training)
        {
            int length = rows * InputDimension;
            if (_inputCopy.Length < length) _inputCopy = new float[length];
            input[..length].CopyTo(_inputCopy);
            ForwardRetained(_inputCopy.AsMemory(0, length), rows, output);
        }
        else
        {
            Compute(input, rows, output);
        }
    }

    /// <inheritdoc/>
    public void ForwardRetained(ReadOnlyMemory<float> input, int rows, Span<float> output)
    {
        CheckShapes(input.Length, rows, output.Length);
        Compute(input.Span, rows, output);
        Retain(input, default, rows);
    }

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        Backward(outputGradient, inputGradient, maskByInput: false);

    /// <summary>
    /// Backward pass whose input gradient is also passed back through the rectifier that produced this layer's input
    /// (used by <see cref="Sequential"/> for a <see cref="Relu"/> followed by a linear layer): dX is kept where the
    /// retained input is positive and zeroed elsewhere, on each finished tile of the GEMM — the same values as this layer's
    /// backward followed by the rectifier's, without the rectifier's pass over dX. The rectifier's mask
    /// (its input &gt; 0) equals its output &gt; 0, and its output is this layer's input.
    /// </summary>
    internal void BackwardThroughRelu(ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        Backward(outputGradient, inputGradient, maskByInput: true);

    private void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, bool maskByInput)
    {
        if (_rows < 0) throw new InvalidOperationException("Backward needs a training forward pass first.");
        int rows = _rows, inDim = InputDimension, outDim = OutputDimension;
        if (outputGradient.Length < rows * outDim)
            throw new ArgumentException($"The output gradient holds {outputGradient.Length} values; {rows} rows × {outDim} need {rows * outDim}.", nameof(outputGradient));
        if (!inputGradient.IsEmpty && inputGradient.Length < rows * inDim)
            throw new ArgumentException($"The input gradient holds {inputGradient.Length} values; {rows} rows × {inDim} need {rows * inDim}.", nameof(inputGradient));
        if (rows == 0) return;
        var dY = outputGradient[..(rows * outDim)];

        // dW += dYᵀ·X (out × in, summed over the rows).
        WeightGradient(dY, 0, rows, _weight.Gradient, 1f, Threads);

        // db += Σ_rows dY.
        int partialLength = (rows + LayerKernels.SumGrain - 1) / LayerKernels.SumGrain * outDim;
        if (_partials.Length < partialLength) _partials = new float[partialLength];
        LayerKernels.AddColumnSums(dY, rows, _bias.Gradient, _partials, Threads);

        // dX = dY·W (rows × in).
        if (!inputGradient.IsEmpty) InputGradient(dY, 0, rows, inputGradient, maskByInput, Threads);
    }

    /// <summary>
    /// Forward pass of the input rows [<paramref name="first"/>, first + <paramref name="count"/>) alone, on the
    /// calling thread, into <paramref name="output"/> (count × out), optionally followed by ReLU: row r of the input
    /// is row <paramref name="rowIndex"/>[r] of <paramref name="input"/> when an index is given. Nothing is retained;
    /// <see cref="Sequential"/> runs the blocks of a batch on several threads and then calls <see cref="Retain"/>.
    /// </summary>
    internal void ForwardBlock(ReadOnlySpan<float> input, ReadOnlySpan<int> rowIndex, int first, int count, Span<float> output, bool relu)
    {
        Product(input, rowIndex, first, count, output, relu, threads: 1);
    }

    /// <summary>
    /// Y = X·Wᵀ + b (then max(·, 0) when <paramref name="relu"/>) for the input rows [first, first + count), read
    /// through <paramref name="rowIndex"/> when it is not empty; the bias and rectifier run on each finished tile.
    /// </summary>
    private void Product(ReadOnlySpan<float> input, ReadOnlySpan<int> rowIndex, int first, int count, Span<float> output, bool relu, int threads)
    {
        int inDim = InputDimension, outDim = OutputDimension;
        var y = output[..(count * outDim)];
        if (rowIndex.IsEmpty)
            Gemm.Multiply(Transpose.No, Transpose.Yes, count, outDim, inDim, 1f, input.Slice(first * inDim, count * inDim), inDim,
                _weight.Value, inDim, 0f, y, outDim, threads, _bias.Value, relu, default);
        else
            Gemm.Multiply(Transpose.No, Transpose.Yes, count, outDim, inDim, 1f, input, inDim,
                _weight.Value, inDim, 0f, y, outDim, threads, _bias.Value, relu, default, aRows: rowIndex.Slice(first, count));
    }

    /// <summary>Keeps <paramref name="input"/> (read through <paramref name="rowIndex"/> when not empty) as the input of the last training forward pass, of <paramref name="rows"/> rows.</summary>
    internal void Retain(ReadOnlyMemory<float> input, ReadOnlyMemory<int> rowIndex, int rows)
    {
        _input = input;
        _inputRows = rowIndex.IsEmpty ? default : rowIndex[..rows];
        _rows = rows;
    }

    /// <summary>
    /// The backward pass of the retained rows [<paramref name="first"/>, first + <paramref name="count"/>) alone, on the
    /// calling thread: this block's share of the weight gradient (out × in) and of the bias gradient are written
    /// (not added) to <paramref name="weightPartial"/> and <paramref name="biasPartial"/>, and, when
    /// <paramref name="inputGradient"/> is not empty, the block's input gradient (count × in) is written there, masked
    /// by the retained input where <paramref name="maskByInput"/> (the rectifier before this layer, as in
    /// <see cref="BackwardThroughRelu"/>). <see cref="Sequential"/> runs the blocks of a batch on several threads and
    /// sums the partials in block order.
    /// </summary>
    internal void BackwardBlock(ReadOnlySpan<float> outputGradient, int first, int count,
        Span<float> weightPartial, Span<float> biasPartial, Span<float> inputGradient, bool maskByInput)
    {
        if (_rows < 0) throw new InvalidOperationException("Backward needs a training forward pass first.");
        int inDim = InputDimension, outDim = OutputDimension;
        if (first < 0 || count < 1 || first + count > _rows)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows {first} … {first + count} are not inside the {_rows} retained rows.");
        var dY = outputGradient[..(count * outDim)];
        WeightGradient(dY, first, count, weightPartial, 0f, threads: 1);
        var bias = biasPartial[..outDim];
        bias.Clear();
        for (int r = 0; r < count; r++) LayerKernels.AddTo(dY.Slice(r * outDim, outDim), bias);
        if (inputGradient.IsEmpty) return;
        InputGradient(dY, first, count, inputGradient, maskByInput, threads: 1);
    }

    /// <summary>
    /// <paramref name="target"/> ← β·target + dYᵀ·X (out × in) over the retained input rows [first, first + count),
    /// read in place through the row index when there is one.
    /// </summary>
    private void WeightGradient(ReadOnlySpan<float> dY, int first, int count, Span<float> target, float beta, int threads)
    {
        int inDim = InputDimension, outDim = OutputDimension;
        if (_inputRows.IsEmpty)
            Gemm.Multiply(Transpose.Yes, Transpose.No, outDim, inDim, count, 1f, dY, outDim,
                _input.Span.Slice(first * inDim, count * inDim), inDim, beta, target, inDim, threads);
        else
            Gemm.Multiply(Transpose.Yes, Transpose.No, outDim, inDim, count, 1f, dY, outDim,
                _input.Span, inDim, beta, target, inDim, threads, default, relu: false, default, bRows: _inputRows.Span.Slice(first, count));
    }

    /// <summary>
    /// dX = dY·W (count × in) for the retained rows [first, first + count), zeroed where the retained input is not
    /// positive when <paramref name="maskByInput"/> (the rectifier before this layer), on each finished tile.
    /// </summary>
    private void InputGradient(ReadOnlySpan<float> dY, int first, int count, Span<float> inputGradient, bool maskByInput, int threads)
    {
        if (maskByInput && !_inputRows.IsEmpty) throw new InvalidOperationException("An input read through a row index did not come out of a rectifier.");
        int inDim = InputDimension, outDim = OutputDimension;
        Gemm.Multiply(Transpose.No, Transpose.No, count, inDim, outDim, 1f, dY, outDim,
            _weight.Value, inDim, 0f, inputGradient[..(count * inDim)], inDim, threads,
            default, relu: false, maskByInput ? _input.Span.Slice(first * inDim, count * inDim) : default);
    }

    /// <summary>
    /// Training forward pass followed by ReLU, in one pass over the output (used by <see cref="Sequential"/> for a
    /// linear layer followed by a <see cref="Relu"/>): the same values as the two layers one after the other.
    /// </summary>
    internal void ForwardRetainedRelu(ReadOnlyMemory<float> input, int rows, Span<float> output)
    {
        CheckShapes(input.Length, rows, output.Length);
        Compute(input.Span, rows, output, relu: true);
        Retain(input, default, rows);
    }

    /// <summary>
    /// Training forward pass over rows named by an index: input row r is the stored row
    /// <paramref name="rowIndex"/>[r] of <paramref name="table"/> (a matrix of <see cref="InputDimension"/> columns),
    /// read in place by the GEMM — the same values as gathering the rows first, without the gathered copy. Both are
    /// retained, unchanged, for the backward pass; optionally followed by ReLU in the same pass.
    /// </summary>
    internal void ForwardRetainedRows(ReadOnlyMemory<float> table, ReadOnlyMemory<int> rowIndex, int rows, Span<float> output, bool relu)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rowIndex.Length < rows)
            throw new ArgumentException($"The row index holds {rowIndex.Length} entries; {rows} rows need as many.", nameof(rowIndex));
        if (output.Length < (long)rows * OutputDimension)
            throw new ArgumentException($"The output holds {output.Length} values; {rows} rows × {OutputDimension} columns need {(long)rows * OutputDimension}.", nameof(output));
        if (rows > 0) Product(table.Span, rowIndex.Span, 0, rows, output, relu, Threads);
        Retain(table, rowIndex, rows);
    }

    /// <summary>Inference forward pass followed by ReLU (see <see cref="ForwardRetainedRelu"/>).</summary>
    internal void ForwardRelu(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        CheckShapes(input.Length, rows, output.Length);
        Compute(input, rows, output, relu: true);
    }

    private void Compute(ReadOnlySpan<float> input, int rows, Span<float> output, bool relu = false)
    {
        if (rows == 0) return;
        // Y = X·Wᵀ (β = 0); the bias (and the rectifier) are applied to each finished tile while it is in L1, which
        // saves two passes over Y. The bias is added after the whole product, so a row's value does not depend on
        // whether the rectifier is fused.
        Product(input, default, 0, rows, output, relu, Threads);
    }

    private void CheckShapes(int inputLength, int rows, int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (inputLength < (long)rows * InputDimension)
            throw new ArgumentException($"The input holds {inputLength} values; {rows} rows × {InputDimension} columns need {(long)rows * InputDimension}.", "input");
        if (outputLength < (long)rows * OutputDimension)
            throw new ArgumentException($"The output holds {outputLength} values; {rows} rows × {OutputDimension} columns need {(long)rows * OutputDimension}.", "output");
    }
}
