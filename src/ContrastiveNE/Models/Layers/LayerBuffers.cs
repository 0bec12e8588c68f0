namespace ContrastiveNE.Models.Layers;

/// <summary>Growable scratch arrays: layers keep theirs between calls so the hot path allocates only when a batch grows.</summary>
internal static class LayerBuffers
{
    /// <summary>Makes <paramref name="buffer"/> hold at least <paramref name="length"/> values (contents not kept).</summary>
    public static T[] Ensure<T>(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new T[length];
        return buffer;
    }

    /// <summary>Checks the spans of a forward call against the layer's widths.</summary>
    public static void CheckForward(INetwork layer, ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (input.Length < (long)rows * layer.InputDimension)
            throw new ArgumentException($"The input holds {input.Length} values; {rows} rows of width {layer.InputDimension} need {(long)rows * layer.InputDimension}.", nameof(input));
        if (output.Length < (long)rows * layer.OutputDimension)
            throw new ArgumentException($"The output holds {output.Length} values; {rows} rows of width {layer.OutputDimension} need {(long)rows * layer.OutputDimension}.", nameof(output));
    }

    /// <summary>Checks the spans of a backward call against the rows of the last training forward pass.</summary>
    public static void CheckBackward(INetwork layer, int rows, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        if (rows < 0)
            throw new InvalidOperationException($"{layer.GetType().Name}.Backward needs a preceding Forward with training = true.");
        if (outputGradient.Length < (long)rows * layer.OutputDimension)
            throw new ArgumentException($"The output gradient holds {outputGradient.Length} values; the last forward pass had {rows} rows of width {layer.OutputDimension}.", nameof(outputGradient));
        if (!inputGradient.IsEmpty && inputGradient.Length < (long)rows * layer.InputDimension)
            throw new ArgumentException($"The input gradient holds {inputGradient.Length} values; the last forward pass had {rows} rows of width {layer.InputDimension}.", nameof(inputGradient));
    }
}
