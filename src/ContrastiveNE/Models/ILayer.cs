namespace ContrastiveNE.Models;

/// <summary>
/// A network building block that can run multithreaded and can keep a reference to its training input instead of
/// copying it. <see cref="Sequential"/> hands each layer the activation buffer it owns, so a warm network forwards
/// and back-propagates a batch without allocating or copying activations.
/// </summary>
public interface ILayer : INetwork
{
    /// <summary>Threads used by this layer's kernels (≤ 0: every processor). Results do not depend on it.</summary>
    int Threads { get; set; }

    /// <summary>
    /// A training forward pass that keeps <paramref name="input"/> itself (not a copy) for <see cref="INetwork.Backward"/>:
    /// the caller must leave its first <paramref name="rows"/> rows unchanged until the backward pass has run.
    /// </summary>
    void ForwardRetained(ReadOnlyMemory<float> input, int rows, Span<float> output);
}
