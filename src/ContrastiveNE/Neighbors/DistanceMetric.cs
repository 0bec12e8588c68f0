namespace ContrastiveNE.Neighbors;

/// <summary>The distance in data space that neighbours are found by.</summary>
public enum DistanceMetric
{
    /// <summary>Euclidean distance (the reference's only choice; the default).</summary>
    Euclidean,
    /// <summary>Euclidean distance between L2-normalised rows (monotone in cosine distance); an all-zero row is an error.</summary>
    Cosine,
}
