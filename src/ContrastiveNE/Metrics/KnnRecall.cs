using ContrastiveNE.Data;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Metrics;

/// <summary>
/// kNN recall@k: for each sampled point, the fraction of its exact k nearest neighbours in the data that are also
/// among its exact k nearest neighbours in the embedding, averaged over the sample (1 = local structure kept).
/// </summary>
public static class KnnRecall
{
    /// <summary>Recall@<paramref name="k"/> of <paramref name="embedding"/> with respect to <paramref name="data"/>.</summary>
    /// <param name="data">The high-dimensional data, n rows.</param>
    /// <param name="embedding">The embedding, n rows.</param>
    /// <param name="k">Neighbours per point, 1 ≤ k &lt; n (default 15).</param>
    /// <param name="sampleSize">Points averaged over (default 10,000); all points when n ≤ sampleSize.</param>
    /// <param name="seed">Seed of the sample (see <see cref="PointSample.Draw"/>).</param>
    /// <param name="threads">Threads; ≤ 0 uses every processor.</param>
    public static double Compute(Matrix data, Matrix embedding, int k = 15, int sampleSize = 10_000, int seed = 0, int threads = 0)
    {
        MetricChecks.SameRows(data, embedding);
        MetricChecks.K(k, data.Rows, nameof(k));
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
        int[] sample = PointSample.Draw(data.Rows, sampleSize, seed);
        int[] inEmbedding = BruteForceNeighbors.Search(embedding, embedding, sample, k, excludeSelf: true, threads);
        return FromEmbeddingNeighbors(data, sample, inEmbedding, k, k, threads);
    }

    /// <summary>
    /// Recall@k given the embedding neighbours of the sampled points (a sample.Length × width table whose first k
    /// columns are each point's k nearest, nearest first), so callers can share one embedding search.
    /// </summary>
    internal static double FromEmbeddingNeighbors(Matrix data, int[] sample, int[] embeddingNeighbors, int width, int k, int threads)
    {
        var inData = NearestNeighbors.Exact(data, k, DistanceMetric.Euclidean, threads, sample);
        var firstK = new int[sample.Length * k];
        for (int q = 0; q < sample.Length; q++) embeddingNeighbors.AsSpan(q * width, k).CopyTo(firstK.AsSpan(q * k, k));
        return Compute(inData.Indices, firstK, sample.Length, k);
    }

    /// <summary>
    /// Recall from precomputed neighbour tables (<paramref name="count"/> × <paramref name="k"/>, row-major; the
    /// order within a row does not matter): the mean over rows of |A_i ∩ B_i| / k.
    /// </summary>
    public static double Compute(ReadOnlySpan<int> reference, ReadOnlySpan<int> candidate, int count, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (reference.Length != count * k) throw new ArgumentException($"Expected {count} × {k} indices.", nameof(reference));
        if (candidate.Length != count * k) throw new ArgumentException($"Expected {count} × {k} indices.", nameof(candidate));
        long hits = 0;
        for (int i = 0; i < count; i++)
        {
            var a = reference.Slice(i * k, k);
            var b = candidate.Slice(i * k, k);
            // k is small (15), so a quadratic intersection is faster than hashing.
            foreach (int x in a)
                if (b.Contains(x)) hits++;
        }
        return (double)hits / ((long)count * k);
    }
}
