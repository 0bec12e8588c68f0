namespace ContrastiveNE.Models;

/// <summary>
/// What the training loop trains: something that turns a <see cref="PairBatch"/> into its 2b feature rows and
/// back-propagates their gradient. The non-parametric table (a lookup by item index), a network over a data matrix
/// (indices gathered into rows, each distinct row forwarded once) and a network over augmented inputs are all models.
/// </summary>
public interface IEmbeddingModel
{
    /// <summary>Width d of a feature row.</summary>
    int OutputDimension { get; }

    /// <summary>The trainable parameters, in a fixed order.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Writes the 2b feature rows of <paramref name="batch"/> into <paramref name="features"/> (2b × d).</summary>
    void Forward(PairBatch batch, Span<float> features);

    /// <summary>
    /// Adds the parameter gradients for <paramref name="featureGradient"/> (2b × d, the loss gradient with respect to
    /// the features of the last <see cref="Forward"/>) into <see cref="Parameter.Gradient"/>.
    /// </summary>
    void Backward(PairBatch batch, ReadOnlySpan<float> featureGradient);
}
