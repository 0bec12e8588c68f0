using ContrastiveNE.Data;

namespace ContrastiveNE.Initialization;

/// <summary>
/// The default initialisation of a non-parametric embedding (docs/method.md §1.3): the data projected on its first d principal
/// components, the whole result divided by the population standard deviation (ddof = 0) of its first column, so the
/// first coordinate has unit spread whatever the scale of the data.
/// </summary>
public static class PcaInitializer
{
    /// <summary>The n × <paramref name="dimensions"/> PCA initialisation of <paramref name="data"/>.</summary>
    /// <param name="data">n ≥ 2 rows of finite values.</param>
    /// <param name="dimensions">Embedding dimension d, 1 ≤ d ≤ D.</param>
    /// <param name="threads">Threads; ≤ 0 uses every processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentException">Too few rows, non-finite data, or no variance along the first component.</exception>
    public static Matrix Initialize(Matrix data, int dimensions, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions < 1 || dimensions > data.Columns)
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, $"The embedding dimension must be between 1 and the {data.Columns} columns of the data.");
        var pca = Pca.Fit(data, dimensions, threads);
        var projection = pca.Transform(data, threads);
        int n = projection.Rows, d = projection.Columns;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += projection.Data[i * d];
        mean /= n;
        double variance = 0;
        for (int i = 0; i < n; i++) { double t = projection.Data[i * d] - mean; variance += t * t; }
        double std = Math.Sqrt(variance / n);
        if (!(std > 0))
            throw new ArgumentException("The data has no variance along its first principal component (all rows are equal), so the PCA initialisation is undefined.", nameof(data));
        var values = projection.Data;
        for (int i = 0; i < values.Length; i++) values[i] = (float)(values[i] / std);
        return projection;
    }
}
