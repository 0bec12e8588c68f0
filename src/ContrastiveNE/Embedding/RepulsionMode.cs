namespace ContrastiveNE.Embedding;

/// <summary>How the repulsive (negative) part of the loss is computed.</summary>
public enum RepulsionMode
{
    /// <summary>Sampled negatives per positive pair (<see cref="CneOptions.NegativeSamples"/>), the reference's way (default).</summary>
    Sampled,

    /// <summary>
    /// All n − 1 negatives: the limit of InfoNCE as the number of negatives grows, which is t-SNE on the affinity
    /// graph. Full-batch gradient steps with the repulsion computed in O(n) per epoch by FFT-accelerated interpolation
    /// (Linderman et al. 2019). Two dimensions, Euclidean (Cauchy) similarity, non-parametric only.
    /// </summary>
    Fft,
}
