using System.Numerics.Tensors;
using ContrastiveNE.Data;

namespace ContrastiveNE.Models.Layers;

/// <summary>
/// Global average pooling: each channel plane of an image is replaced by its mean, so a C × H × W row becomes a
/// C-vector (PyTorch's <c>nn.AdaptiveAvgPool2d(1)</c> followed by flattening).
/// </summary>
public sealed class GlobalAvgPool2d : ILayer
{
    private int _rows = -1;

    /// <summary>Pools <paramref name="input"/>-shaped images to one value per channel.</summary>
    public GlobalAvgPool2d(ImageShape input) => InputShape = input;

    /// <summary>Shape of an input image.</summary>
    public ImageShape InputShape { get; }

    /// <inheritdoc/>
    public int InputDimension => InputShape.Size;

    /// <inheritdoc/>
    public int OutputDimension => InputShape.Channels;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc/>
    public int Threads { get; set; }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output, bool training)
    {
        // One pass over the input with a vectorised sum per plane: memory-bound, so no threads.
        LayerBuffers.CheckForward(this, input, rows, output);
        _rows = training ? rows : -1;
        int plane = InputShape.PlaneSize, channels = InputShape.Channels;
        float scale = 1f / plane;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < channels; c++)
                output[r * channels + c] = TensorPrimitives.Sum(input.Slice((r * channels + c) * plane, plane)) * scale;
    }

    /// <inheritdoc/>
    public void ForwardRetained(ReadOnlyMemory<float> input, int rows, Span<float> output) =>
        Forward(input.Span, rows, output, training: true); // keeps only what it derives, never the input itself

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        LayerBuffers.CheckBackward(this, _rows, outputGradient, inputGradient);
        if (inputGradient.IsEmpty) return;
        int plane = InputShape.PlaneSize, channels = InputShape.Channels;
        float scale = 1f / plane;
        for (int r = 0; r < _rows; r++)
            for (int c = 0; c < channels; c++)
                inputGradient.Slice((r * channels + c) * plane, plane).Fill(outputGradient[r * channels + c] * scale);
    }
}
