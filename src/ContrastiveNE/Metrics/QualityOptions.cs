namespace ContrastiveNE.Metrics;

/// <summary>Settings of <see cref="EmbeddingQuality.Evaluate"/>; every default is stated here and nowhere else.</summary>
public sealed record QualityOptions
{
    /// <summary>Neighbours per point for kNN recall (default 15). Must satisfy 1 ≤ K &lt; n.</summary>
    public int K { get; init; } = 15;

    /// <summary>Neighbours that vote in the kNN classification accuracy (default 10). Must satisfy 1 ≤ ClassifierK &lt; n.</summary>
    public int ClassifierK { get; init; } = 10;

    /// <summary>Points that recall and accuracy are averaged over (default 10,000); all points when n is not larger. At least 1.</summary>
    public int SampleSize { get; init; } = 10_000;

    /// <summary>Random point pairs for the Spearman distance correlation (default 100,000). At least 2.</summary>
    public int Pairs { get; init; } = 100_000;

    /// <summary>Seed of the point sample and of the pairs (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Threads; ≤ 0 (the default) uses every processor. Results do not depend on it.</summary>
    public int Threads { get; init; }
}
