using ContrastiveNE.Data;

namespace ContrastiveNE.Embedding;

/// <summary>
/// Training produced a non-finite loss or position. Carries the epoch and the embedding as it was at the start of
/// that epoch (the last state known to be finite).
/// </summary>
public sealed class NonFiniteTrainingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteTrainingException(int epoch, Matrix? lastFiniteEmbedding, string what)
        : base($"Training became non-finite in epoch {epoch}: {what}. Try a smaller learning rate, gradient clipping or a larger eps.")
    {
        Epoch = epoch;
        LastFiniteEmbedding = lastFiniteEmbedding;
    }

    /// <summary>The 0-based epoch in which it happened.</summary>
    public int Epoch { get; }

    /// <summary>The embedding at the start of that epoch, when the model is a position table (else null).</summary>
    public Matrix? LastFiniteEmbedding { get; }
}
