namespace ContrastiveNE.Onnx;

/// <summary>Names written into an exported ONNX model. The defaults suit most uses; see <c>docs/onnx.md</c>.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Name of the graph input, a float tensor (batch, input width); default <c>input</c>.</summary>
    public string InputName { get; init; } = OnnxExport.DefaultInputName;

    /// <summary>Name of the graph output, a float tensor (batch, output width); default <c>embedding</c>.</summary>
    public string OutputName { get; init; } = OnnxExport.DefaultOutputName;

    /// <summary>Symbolic name of the batch dimension of input and output (left open, so any batch size runs); default <c>batch</c>.</summary>
    public string BatchDimension { get; init; } = OnnxExport.DefaultBatchDimension;

    /// <summary>Name of the graph; default <c>contrastive_ne</c>.</summary>
    public string GraphName { get; init; } = "contrastive_ne";

    /// <summary>A free-text description stored in the model's doc string (null: none).</summary>
    public string? Description { get; init; }

    /// <summary>Key–value pairs stored in the model's metadata (for example the training options); null: none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Metadata { get; init; }

    internal void Validate()
    {
        Check(InputName, nameof(InputName));
        Check(OutputName, nameof(OutputName));
        Check(BatchDimension, nameof(BatchDimension));
        Check(GraphName, nameof(GraphName));
        if (InputName == OutputName)
            throw new ArgumentException($"The input and the output are both named '{InputName}'; ONNX needs distinct names.", nameof(OutputName));
    }

    private static void Check(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"OnnxExportOptions.{name} must not be empty.", name);
    }
}
