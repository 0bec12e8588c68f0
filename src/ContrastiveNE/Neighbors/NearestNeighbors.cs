using ContrastiveNE.Data;

namespace ContrastiveNE.Neighbors;

/// <summary>Entry points for k-nearest-neighbour search.</summary>
public static class NearestNeighbors
{
    /// <summary>
    /// The k nearest neighbours of every row of <paramref name="data"/> among all rows, the row itself excluded by
    /// index (duplicates of it stay neighbours).
    /// </summary>
    public static KnnResult Search(Matrix data, int k, KnnMethod method = KnnMethod.Auto, DistanceMetric metric = DistanceMetric.Euclidean,
        int seed = 0, int threads = 0, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        => Exact(data, k, metric, threads, null, cancellationToken);

    /// <summary>
    /// Exact neighbours of the rows listed in <paramref name="queryRows"/> (all rows when null) among all rows of
    /// <paramref name="data"/>, each query excluded by its own index.
    /// </summary>
    public static KnnResult Exact(Matrix data, int k, DistanceMetric metric = DistanceMetric.Euclidean, int threads = 0,
        int[]? queryRows = null, CancellationToken cancellationToken = default)
        => ExactSearch.Run(data, k, metric, threads, queryRows, null, cancellationToken);

    /// <summary>
    /// Exact neighbours as <see cref="Exact(Matrix, int, DistanceMetric, int, int[], CancellationToken)"/>, reporting
    /// the fraction of query tiles done to <paramref name="progress"/> (from worker threads).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1 or not below the row count, or a query row is out of range.</exception>
    /// <exception cref="ArgumentException">The data holds a non-finite value, or (cosine) an all-zero row; the message names the row.</exception>
    public static KnnResult Exact(Matrix data, int k, DistanceMetric metric, int threads, int[]? queryRows,
        IProgress<double>? progress, CancellationToken cancellationToken = default)
        => ExactSearch.Run(data, k, metric, threads, queryRows, progress, cancellationToken);
}
