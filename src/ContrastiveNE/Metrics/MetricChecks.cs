using ContrastiveNE.Data;

namespace ContrastiveNE.Metrics;

/// <summary>Argument checks shared by the metrics.</summary>
internal static class MetricChecks
{
    public static void SameRows(Matrix data, Matrix embedding, string dataName = "data", string embeddingName = "embedding")
    {
        ArgumentNullException.ThrowIfNull(data, dataName);
        ArgumentNullException.ThrowIfNull(embedding, embeddingName);
        if (data.Rows != embedding.Rows)
            throw new ArgumentException($"The embedding has {embedding.Rows} rows but the data has {data.Rows}; they must match.", embeddingName);
        EnsureFinite(data, dataName);
        EnsureFinite(embedding, embeddingName);
    }

    public static void EnsureFinite(Matrix m, string name)
    {
        if (m.FindNonFinite() is { } bad)
            throw new ArgumentException($"Row {bad.Row}, column {bad.Column} of {name} holds {bad.Value}; every value must be finite.", name);
    }

    public static void K(int k, int n, string name)
    {
        if (k < 1 || k >= n)
            throw new ArgumentOutOfRangeException(name, k, $"{name} must satisfy 1 ≤ {name} < n = {n} (the point itself is excluded).");
    }

    public static void Labels(int[]? labels, int n, string name)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.Length != n)
            throw new ArgumentException($"{labels.Length} labels were given for {n} rows; they must match.", name);
    }
}
