using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Metrics;

/// <summary>
/// Spearman rank correlation, and its use as a global-structure metric: the correlation between the distances
/// of random point pairs in the data and in the embedding.
/// </summary>
public static class SpearmanCorrelation
{
    /// <summary>
    /// Spearman correlation between data and embedding distances over <paramref name="pairs"/> random pairs of
    /// distinct points (drawn uniformly with replacement, seeded).
    /// </summary>
    /// <param name="data">The high-dimensional data, n ≥ 2 rows.</param>
    /// <param name="embedding">The embedding, n rows.</param>
    /// <param name="pairs">Number of pairs (default 100,000).</param>
    /// <param name="seed">Seed of the pairs.</param>
    public static double OfDistances(Matrix data, Matrix embedding, int pairs = 100_000, int seed = 0)
    {
        MetricChecks.SameRows(data, embedding);
        if (data.Rows < 2) throw new ArgumentException("At least two points are needed to form a pair.", nameof(data));
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 2);
        int n = data.Rows;
        var dataDistance = new double[pairs];
        var embeddingDistance = new double[pairs];
        var rng = Xoshiro256.Create(unchecked((ulong)seed), stream: 0x5B);
        for (int p = 0; p < pairs; p++)
        {
            int i = rng.NextInt(n), j = rng.NextInt(n - 1);
            if (j >= i) j++; // uniform over the n − 1 other points
            dataDistance[p] = SquaredDistance(data.Row(i), data.Row(j));
            embeddingDistance[p] = SquaredDistance(embedding.Row(i), embedding.Row(j));
        }
        // Ranks of squared distances equal ranks of distances, so the square root is never needed.
        return Compute(dataDistance, embeddingDistance);
    }

    /// <summary>The Spearman correlation of two samples: the Pearson correlation of their ranks, ties given their average rank.</summary>
    /// <exception cref="ArgumentException">Lengths differ, fewer than two values, or one sample is constant (undefined correlation).</exception>
    public static double Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"The samples have {x.Length} and {y.Length} values; they must match.", nameof(y));
        if (x.Length < 2) throw new ArgumentException("At least two values are needed.", nameof(x));
        double[] rx = Ranks(x), ry = Ranks(y);
        double mean = (x.Length + 1) / 2.0; // the mean of any average-rank vector
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            double a = rx[i] - mean, b = ry[i] - mean;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }
        if (sxx == 0) throw new ArgumentException("All values of the first sample are equal; the rank correlation is undefined.", nameof(x));
        if (syy == 0) throw new ArgumentException("All values of the second sample are equal; the rank correlation is undefined.", nameof(y));
        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>1-based ranks; a run of equal values all get the average of the ranks they span.</summary>
    internal static double[] Ranks(ReadOnlySpan<double> values)
    {
        var order = new int[values.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[values.Length];
        for (int start = 0; start < keys.Length;)
        {
            int end = start + 1;
            while (end < keys.Length && keys[end] == keys[start]) end++;
            double average = (start + 1 + end) / 2.0; // mean of ranks start+1 … end
            for (int t = start; t < end; t++) ranks[order[t]] = average;
            start = end;
        }
        return ranks;
    }

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int c = 0; c < a.Length; c++)
        {
            double t = (double)a[c] - b[c];
            s += t * t;
        }
        return s;
    }
}
