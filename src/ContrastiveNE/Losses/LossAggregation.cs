namespace ContrastiveNE.Losses;

/// <summary>How the terms of a batch combine into its loss.</summary>
public enum LossAggregation
{
    /// <summary>The sum of all terms (the default).</summary>
    Sum,

    /// <summary>
    /// The mean over the terms as the reference stores them: b·(m + 1) for neg, nce and umap, b for the InfoNCE losses.
    /// </summary>
    Mean,
}
