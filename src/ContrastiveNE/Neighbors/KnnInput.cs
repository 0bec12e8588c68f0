using ContrastiveNE.Data;

namespace ContrastiveNE.Neighbors;

/// <summary>Checks the arguments of a kNN search once, at the boundary, and prepares the rows for the metric.</summary>
internal static class KnnInput
{
    /// <summary>
    /// Validates k and the data and returns the points to search: <paramref name="data"/> itself for Euclidean, an
    /// L2-normalised copy (stored like the data: contiguous or in the same row chunks) for cosine.
    /// </summary>
    public static Matrix Prepare(Matrix data, int k, DistanceMetric metric)
    {
        int n = data.Rows;
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be smaller than the number of points ({n}).");
        if (data.FindNonFinite() is { } bad)
            throw new ArgumentException($"The data hold {bad.Value} at row {bad.Row}, column {bad.Column}; every value must be finite.", nameof(data));
        if (metric == DistanceMetric.Euclidean) return data;
        if (metric != DistanceMetric.Cosine) throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown distance metric.");
        var normalised = data.EmptyLike();
        for (int r = 0; r < n; r++)
        {
            var row = data.Row(r);
            // Norm in double: rows of tiny or huge values must not underflow or overflow to a zero or infinite norm.
            double sum = 0;
            foreach (float v in row) sum += (double)v * v;
            if (sum == 0)
                throw new ArgumentException($"Row {r} is all zeros; the cosine metric needs a non-zero length in every row.", nameof(data));
            float scale = (float)(1.0 / Math.Sqrt(sum));
            var target = normalised.Row(r);
            for (int c = 0; c < row.Length; c++) target[c] = row[c] * scale;
        }
        return normalised;
    }
}
