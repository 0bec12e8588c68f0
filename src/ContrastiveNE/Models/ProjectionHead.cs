namespace ContrastiveNE.Models;

/// <summary>
/// The projection head of SimCLR (Chen et al., 2020): Linear → ReLU → Linear on top of an encoder's representation.
/// The contrastive loss is applied to the head's output, and the representation before it is what is kept.
/// </summary>
public static class ProjectionHead
{
    /// <summary>
    /// Creates <paramref name="inputDimension"/> → <paramref name="hiddenDimension"/> → ReLU →
    /// <paramref name="outputDimension"/>, initialised as PyTorch does, from streams 0 and 1 of <paramref name="seed"/>.
    /// Parameters are named <paramref name="name"/>.0 and <paramref name="name"/>.1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A width is less than 1.</exception>
    public static Sequential Create(int inputDimension, int hiddenDimension, int outputDimension, ulong seed = 0, int threads = 0, string name = "head")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenDimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputDimension, 1);
        return new Sequential(
            new Linear(inputDimension, hiddenDimension, seed, 0, name + ".0"),
            new Relu(hiddenDimension),
            new Linear(hiddenDimension, outputDimension, seed, 1, name + ".1"))
        { Threads = threads };
    }
}
