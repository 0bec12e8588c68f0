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
    {
        // Brute-force placeholder in double precision; replaced by the blocked SIMD search.
        int n = data.Rows, dim = data.Columns;
        int q = queryRows?.Length ?? n;
        var idx = new int[q * k];
        var dist = new float[q * k];
        var d2 = new double[n];
        var order = new int[n];
        for (int qi = 0; qi < q; qi++)
        {
            int i = queryRows?[qi] ?? qi;
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int c = 0; c < dim; c++) { double t = data[i, c] - data[j, c]; s += t * t; }
                d2[j] = j == i ? double.PositiveInfinity : s;
                order[j] = j;
            }
            Array.Sort(d2, order);
            for (int t = 0; t < k; t++) { idx[qi * k + t] = order[t]; dist[qi * k + t] = (float)Math.Sqrt(d2[t]); }
        }
        return new KnnResult(q, k, idx, dist);
    }
}
