namespace ContrastiveNE.Losses;

/// <summary>
/// A similarity q between two feature rows of a batch, with its gradient. Readonly structs over the batch's feature
/// buffer, so the kernel is specialised per similarity by the JIT.
/// </summary>
internal interface ISimilarity
{
    /// <summary>q between rows <paramref name="i"/> and <paramref name="j"/>.</summary>
    float Q(int i, int j);

    /// <summary>
    /// Adds g·∂q/∂F_i to the d values at <paramref name="gi"/> and g·∂q/∂F_j to those at <paramref name="gj"/>,
    /// where q is the value <see cref="Q"/> returned for the pair and g = dℓ/dq.
    /// </summary>
    void Backward(int i, int j, float q, float g, ref float gi, ref float gj);

    /// <summary>∂q/∂log τ for a learnable temperature (zero for similarities without one).</summary>
    float LogTemperatureGradient(float q);
}
