namespace ContrastiveNE.Models;

/// <summary>
/// A network trained on the explicit input rows of each batch (<see cref="PairBatch.Inputs"/>): the 2b augmented
/// views of SimCLR go through the network together, heads then tails, so batch normalisation sees all of them.
/// </summary>
public sealed class InputRowsModel : IEmbeddingModel
{
    /// <summary>Trains <paramref name="network"/> on input-row batches.</summary>
    public InputRowsModel(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
    }

    /// <summary>The network.</summary>
    public INetwork Network { get; }

    /// <inheritdoc/>
    public int OutputDimension => Network.OutputDimension;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The batch carries no input rows, or rows of the wrong width.</exception>
    public void Forward(PairBatch batch, Span<float> features)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Inputs is null)
            throw new ArgumentException("This model reads input rows, but the batch holds none (a source of item indices needs a model over a data matrix).", nameof(batch));
        if (batch.InputWidth != Network.InputDimension)
            throw new ArgumentException($"The batch rows have width {batch.InputWidth}; the network takes {Network.InputDimension}.", nameof(batch));
        int rows = 2 * batch.Size;
        Network.Forward(batch.Inputs.AsSpan(0, rows * batch.InputWidth), rows, features, training: true);
    }

    /// <inheritdoc/>
    public void Backward(PairBatch batch, ReadOnlySpan<float> featureGradient) =>
        Network.Backward(featureGradient, Span<float>.Empty);
}
