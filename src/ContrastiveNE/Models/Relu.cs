namespace ContrastiveNE.Models;

/// <summary>The rectifier max(x, 0), element-wise; its derivative at 0 is taken as 0 (as in PyTorch).</summary>
public sealed class Relu : ILayer
{
    private float[] _inputCopy = [];
    private ReadOnlyMemory<float> _input;
    private int _rows = -1;

    /// <summary>Creates a rectifier for rows of width <paramref name="dimension"/>.</summary>
    public Relu(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        InputDimension = dimension;
    }

    /// <inheritdoc/>
    public int InputDimension { get; }

    /// <inheritdoc/>
    public int OutputDimension => InputDimension;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc/>
    public int Threads { get; set; }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output, bool training)
    {
        int length = CheckShapes(input.Length, rows, output.Length);
        if (training)
        {
            if (_inputCopy.Length < length) _inputCopy = new float[length];
            input[..length].CopyTo(_inputCopy);
            ForwardRetained(_inputCopy.AsMemory(0, length), rows, output);
        }
        else
        {
            LayerKernels.Relu(input[..length], output, Threads);
        }
    }

    /// <inheritdoc/>
    public void ForwardRetained(ReadOnlyMemory<float> input, int rows, Span<float> output)
    {
        int length = CheckShapes(input.Length, rows, output.Length);
        // The mask of the backward pass is input > 0, which equals output > 0, so keeping the input suffices.
        LayerKernels.Relu(input.Span[..length], output, Threads);
        _input = input;
        _rows = rows;
    }

    /// <summary>
    /// Takes <paramref name="output"/> — this layer's output, computed by a fused linear + ReLU pass — as the retained
    /// training input: the backward mask output &gt; 0 equals input &gt; 0, since max(x, 0) &gt; 0 exactly when x &gt; 0.
    /// </summary>
    internal void RetainOutput(ReadOnlyMemory<float> output, int rows)
    {
        _input = output;
        _rows = rows;
    }

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        if (_rows < 0) throw new InvalidOperationException("Backward needs a training forward pass first.");
        int length = _rows * InputDimension;
        if (outputGradient.Length < length)
            throw new ArgumentException($"The output gradient holds {outputGradient.Length} values; {_rows} rows × {InputDimension} need {length}.", nameof(outputGradient));
        if (inputGradient.IsEmpty) return;
        if (inputGradient.Length < length)
            throw new ArgumentException($"The input gradient holds {inputGradient.Length} values; {_rows} rows × {InputDimension} need {length}.", nameof(inputGradient));
        LayerKernels.ReluBackward(_input.Span[..length], outputGradient[..length], inputGradient, Threads);
    }

    private int CheckShapes(int inputLength, int rows, int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        long length = (long)rows * InputDimension;
        if (inputLength < length)
            throw new ArgumentException($"The input holds {inputLength} values; {rows} rows × {InputDimension} columns need {length}.", "input");
        if (outputLength < length)
            throw new ArgumentException($"The output holds {outputLength} values; {rows} rows × {InputDimension} columns need {length}.", "output");
        return (int)length;
    }
}
