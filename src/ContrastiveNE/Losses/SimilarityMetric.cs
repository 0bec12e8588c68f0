namespace ContrastiveNE.Losses;

/// <summary>How two embedding rows become a similarity q (docs/method.md §2.2).</summary>
public enum SimilarityMetric
{
    /// <summary>The Cauchy kernel q = 1 / (eps + ‖x − y‖²).</summary>
    Euclidean,

    /// <summary>q = exp(cos(x, y) / τ) with τ bounded below by 0.02.</summary>
    Cosine,
}
