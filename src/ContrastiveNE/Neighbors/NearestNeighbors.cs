using ContrastiveNE.Data;

namespace ContrastiveNE.Neighbors;

/// <summary>Entry points for k-nearest-neighbour search.</summary>
public static class NearestNeighbors
{
    /// <summary>
    /// The k nearest neighbours of every row of <paramref name="data"/> among all rows, the row itself excluded by
    /// index (duplicates of it stay neighbours).
    /// </summary>
    /// <remarks>
    /// <see cref="KnnMethod.Auto"/> searches exactly when n ≤ <see cref="AutoExactLimit"/> (10,000 rows) and with
    /// <see cref="NNDescent"/> (default options) above: up to that size the exact search takes about as long as the
    /// approximate one and is never wrong; beyond it the exact cost grows as n² while NN-descent grows about as
    /// n·log n.
    /// </remarks>
    /// <param name="data">The points, one per row; every value finite.</param>
    /// <param name="k">Neighbours per point, 1 ≤ k &lt; rows.</param>
    /// <param name="method">Exact, approximate, or chosen by size (the default; see remarks).</param>
    /// <param name="metric">Euclidean (the default), or cosine as Euclidean distance between L2-normalised rows.</param>
    /// <param name="seed">Seed of the approximate search (the exact search does not use it).</param>
    /// <param name="threads">Worker threads; ≤ 0 means all processors. Does not change the result.</param>
    /// <param name="progress">Receives the fraction done (approximate search).</param>
    /// <param name="cancellationToken">Checked between stages of the search.</param>
    /// <exception cref="ArgumentException">k &lt; 1 or k ≥ n, a non-finite value, or an all-zero row under cosine.</exception>
    public static KnnResult Search(Matrix data, int k, KnnMethod method = KnnMethod.Auto, DistanceMetric metric = DistanceMetric.Euclidean,
        int seed = 0, int threads = 0, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        bool exact = method switch
        {
            KnnMethod.Exact => true,
            KnnMethod.Approximate => false,
            KnnMethod.Auto => data.Rows <= AutoExactLimit,
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown kNN method."),
        };
        if (!exact) return new NNDescent().Search(data, k, metric, seed, threads, progress, cancellationToken);
        var result = Exact(data, k, metric, threads, null, cancellationToken);
        progress?.Report(1.0);
        return result;
    }

    /// <summary>The largest number of rows that <see cref="KnnMethod.Auto"/> searches exactly (10,000).</summary>
    public const int AutoExactLimit = 10_000;

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

    /// <summary>
    /// Exact k nearest rows of <paramref name="data"/> to each row of <paramref name="queries"/>, points that are not
    /// rows of the data (nothing is excluded: a query equal to a data row has it as its first neighbour at distance 0).
    /// Row q of the result lists query q's neighbours by increasing distance, ties by smaller index; identical at any
    /// thread count.
    /// </summary>
    /// <param name="data">The n points searched, one per row; every value finite.</param>
    /// <param name="queries">The query points, with the data's column count; every value finite.</param>
    /// <param name="k">Neighbours per query, 1 ≤ k ≤ n.</param>
    /// <param name="metric">Euclidean (the default), or cosine as Euclidean distance between L2-normalised rows.</param>
    /// <param name="threads">Worker threads; ≤ 0 means all processors.</param>
    /// <param name="cancellationToken">Checked between tiles of the search.</param>
    /// <exception cref="ArgumentException">The column counts differ, k is out of range, or a value is not finite.</exception>
    public static KnnResult Query(Matrix data, Matrix queries, int k, DistanceMetric metric = DistanceMetric.Euclidean, int threads = 0,
        CancellationToken cancellationToken = default)
        => ExactSearch.RunExternal(data, queries, k, metric, threads, cancellationToken);
}
