namespace ContrastiveNE.Models;

/// <summary>
/// A trainable map from input rows to output rows (a fully connected network, a convolutional encoder, a layer).
/// Forward keeps whatever the following backward pass needs; backward accumulates into the parameters' gradients.
/// </summary>
public interface INetwork
{
    /// <summary>Width of an input row.</summary>
    int InputDimension { get; }

    /// <summary>Width of an output row.</summary>
    int OutputDimension { get; }

    /// <summary>The trainable parameters, in a fixed order.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Maps <paramref name="rows"/> input rows (<paramref name="input"/>, rows × InputDimension, row-major) to
    /// <paramref name="output"/> (rows × OutputDimension). With <paramref name="training"/> the network keeps the
    /// activations that <see cref="Backward"/> needs (and layers such as batch normalisation use batch statistics).
    /// </summary>
    void Forward(ReadOnlySpan<float> input, int rows, Span<float> output, bool training);

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (rows × OutputDimension, for the rows of the last training
    /// forward pass): adds the parameter gradients into <see cref="Parameter.Gradient"/> and, when
    /// <paramref name="inputGradient"/> is not empty, writes the gradient with respect to the input there.
    /// </summary>
    void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient);
}
