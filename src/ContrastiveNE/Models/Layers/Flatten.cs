using ContrastiveNE.Data;

namespace ContrastiveNE.Models.Layers;

/// <summary>
/// Marks where image rows (C × H × W) are read as plain feature vectors. Rows are already flat, so it copies its
/// input; it exists so that a model reads like its PyTorch counterpart and so that widths are checked.
/// </summary>
public sealed class Flatten : ILayer
{
    private int _rows = -1;

    /// <summary>Flattens <paramref name="input"/>-shaped images into rows of C·H·W features.</summary>
    public Flatten(ImageShape input) => InputDimension = input.Size;

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
        LayerBuffers.CheckForward(this, input, rows, output);
        _rows = training ? rows : -1;
        input[..(rows * InputDimension)].CopyTo(output);
    }

    /// <inheritdoc/>
    public void ForwardRetained(ReadOnlyMemory<float> input, int rows, Span<float> output) =>
        Forward(input.Span, rows, output, training: true); // keeps only what it derives, never the input itself

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        LayerBuffers.CheckBackward(this, _rows, outputGradient, inputGradient);
        if (!inputGradient.IsEmpty) outputGradient[..(_rows * InputDimension)].CopyTo(inputGradient);
    }
}
