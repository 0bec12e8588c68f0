namespace ContrastiveNE.Neighbors;

/// <summary>How the kNN graph is searched.</summary>
public enum KnnMethod
{
    /// <summary>Exact for small data, approximate for large (see <see cref="NearestNeighbors.Search"/> for the rule).</summary>
    Auto,
    /// <summary>Exact brute-force search on the SIMD GEMM.</summary>
    Exact,
    /// <summary>NN-descent initialised from random-projection trees.</summary>
    Approximate,
}
