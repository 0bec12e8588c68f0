using ContrastiveNE.Data;

namespace ContrastiveNE.Neighbors;

/// <summary>Checks the arguments of a kNN search once, at the boundary, and prepares the rows for the metric.</summary>
internal static class KnnInput
{
    /// <summary>
    /// Validates k and the data and returns the row-major points to search: <paramref name="data"/>'s own buffer
    /// for Euclidean, an L2-normalised copy for cosine.
    /// </summary>
    public static float[] Prepare(Matrix data, int k, DistanceMetric metric)
    {
        int n = data.Rows, dim = data.Columns;
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be smaller than the number of points ({n}).");
        var values = data.Data;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"The data hold {values[i]} at row {i / dim}, column {i % dim}; every value must be finite.", nameof(data));
        }
        if (metric == DistanceMetric.Euclidean) return values;
        if (metric != DistanceMetric.Cosine) throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown distance metric.");
        var normalised = new float[values.Length];
        for (int r = 0; r < n; r++)
        {
            var row = values.AsSpan(r * dim, dim);
            // Norm in double: rows of tiny or huge values must not underflow or overflow to a zero or infinite norm.
            double sum = 0;
            foreach (float v in row) sum += (double)v * v;
            if (sum == 0)
                throw new ArgumentException($"Row {r} is all zeros; the cosine metric needs a non-zero length in every row.", nameof(data));
            float scale = (float)(1.0 / Math.Sqrt(sum));
            var target = normalised.AsSpan(r * dim, dim);
            for (int c = 0; c < dim; c++) target[c] = row[c] * scale;
        }
        return normalised;
    }
}
