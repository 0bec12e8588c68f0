namespace ContrastiveNE.Losses;

/// <summary>
/// The loss of one head row: its positive similarity q[0] and the similarities q[1..m] of its negatives.
/// Row-wise rather than pair-wise because InfoNCE couples a whole row through its normaliser. Implementations are
/// small readonly structs, so the batch kernel is specialised by the JIT for each loss without per-element calls.
/// </summary>
internal interface IRowLoss
{
    /// <summary>
    /// Returns the row's loss, writes dℓ/dq[k] into <paramref name="dq"/> (zero where a clamp is active) and adds
    /// dℓ/dc (c the noise constant of the estimator losses) to <paramref name="specGradient"/>.
    /// </summary>
    float Row(ReadOnlySpan<float> q, Span<float> dq, ref float specGradient);

    /// <summary>Number of stored loss terms per head, for mean aggregation (docs/method.md §2): m + 1 or 1.</summary>
    int TermsPerHead(int negatives);
}
