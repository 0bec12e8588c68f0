using ContrastiveNE.Data;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Initialization;

/// <summary>
/// Principal component analysis: the column means and the leading principal axes of a data matrix, with a fixed
/// sign convention (the largest-magnitude loading of each axis is positive; on equal magnitudes, the first).
/// </summary>
/// <remarks>
/// The scatter matrix is accumulated in double precision (see <c>Covariance</c>). Its leading eigenvectors come from
/// a full Jacobi decomposition when D is small, and otherwise from subspace iteration with Rayleigh–Ritz
/// projection on a block a few vectors wider than requested, iterated until every requested Ritz pair has a relative
/// residual below 1e-10 (or 1000 iterations; near-equal eigenvalues then leave the axes a valid basis of their space).
/// Everything is deterministic and independent of the thread count.
/// </remarks>
public sealed class Pca
{
    /// <summary>Above this many columns the leading eigenvectors come from subspace iteration instead of a full decomposition.</summary>
    internal const int FullDecompositionMaxColumns = 64;

    private Pca(double[] mean, Matrix components, double[] eigenvalues)
    {
        Mean = mean;
        Components = components;
        Eigenvalues = eigenvalues;
    }

    /// <summary>The column means of the fitted data (length D).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>The principal axes as rows (components × D), orthonormal, by decreasing variance.</summary>
    public Matrix Components { get; }

    /// <summary>The variance along each axis (eigenvalues of the covariance with divisor n − 1), decreasing.</summary>
    public IReadOnlyList<double> Eigenvalues { get; }

    /// <summary>Fits the first <paramref name="components"/> principal axes of <paramref name="data"/>.</summary>
    /// <param name="data">n ≥ 2 rows of finite values.</param>
    /// <param name="components">Number of axes, 1 ≤ components ≤ D.</param>
    /// <param name="threads">Threads; ≤ 0 uses every processor. The result does not depend on it.</param>
    public static Pca Fit(Matrix data, int components, int threads = 0) => Fit(data, components, threads, FullDecompositionMaxColumns);

    internal static Pca Fit(Matrix data, int components, int threads, int fullDecompositionMaxColumns) =>
        Fit(data, components, threads, fullDecompositionMaxColumns, 1e-10);

    /// <summary>
    /// The leading axes to a loose tolerance (relative Ritz residual 1e-3): a subspace as good as the exact one for a
    /// neighbour search (<see cref="Embedding.CneOptions.KnnPcaComponents"/>) in far fewer iterations than the exact axes of
    /// <see cref="Fit(Matrix, int, int)"/> (on Fashion-MNIST's 784 columns, 50 axes converge slowly: the spectrum decays
    /// gently past 50).
    /// </summary>
    internal static Pca FitForSearch(Matrix data, int components, int threads) =>
        Fit(data, components, threads, FullDecompositionMaxColumns, 1e-3);

    private static Pca Fit(Matrix data, int components, int threads, int fullDecompositionMaxColumns, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rows < 2) throw new ArgumentException($"PCA needs at least 2 rows; the data has {data.Rows}.", nameof(data));
        if (components < 1 || components > data.Columns)
            throw new ArgumentOutOfRangeException(nameof(components), components, $"The number of components must be between 1 and the {data.Columns} columns of the data.");
        EnsureFinite(data);
        int d = data.Columns;
        var (mean, scatter) = Covariance.Compute(data, threads);
        var covariance = scatter;
        for (int i = 0; i < covariance.Length; i++) covariance[i] /= data.Rows - 1;

        double[] values, vectors; // vectors: d × components, row-major (axis k in column k)
        if (d <= fullDecompositionMaxColumns)
        {
            var (allValues, allVectors) = SymmetricEigen.Decompose(covariance, d);
            values = allValues[..components];
            vectors = new double[d * components];
            for (int i = 0; i < d; i++)
                for (int k = 0; k < components; k++) vectors[i * components + k] = allVectors[i * d + k];
        }
        else (values, vectors) = SubspaceIteration.Leading(covariance, d, components, threads, tolerance);

        var axes = new Matrix(components, d);
        for (int k = 0; k < components; k++)
        {
            int arg = 0;
            for (int i = 1; i < d; i++)
                if (Math.Abs(vectors[i * components + k]) > Math.Abs(vectors[arg * components + k])) arg = i;
            double sign = vectors[arg * components + k] < 0 ? -1 : 1;
            for (int i = 0; i < d; i++) axes[k, i] = (float)(sign * vectors[i * components + k]);
        }
        for (int k = 0; k < components; k++) values[k] = Math.Max(values[k], 0); // rounding can make a zero eigenvalue −1e-17
        return new Pca(mean, axes, values);
    }

    /// <summary>Projects the rows of <paramref name="data"/>, centred by <see cref="Mean"/>, onto the axes (n × components).</summary>
    /// <param name="data">Rows with the same D columns as the fitted data.</param>
    /// <param name="threads">Threads; ≤ 0 uses every processor. The result does not depend on it.</param>
    public Matrix Transform(Matrix data, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        int d = Mean.Count, m = Components.Rows;
        if (data.Columns != d)
            throw new ArgumentException($"The data has {data.Columns} columns; the PCA was fitted on {d}.", nameof(data));
        var result = new Matrix(data.Rows, m);
        var mean = (double[])Mean;
        var axes = Components.Data;
        Parallelism.ForRanges(data.Rows, 256, threads, (start, end) =>
        {
            Span<double> centred = d <= 4096 ? stackalloc double[d] : new double[d];
            for (int r = start; r < end; r++)
            {
                var row = data.Row(r);
                for (int c = 0; c < d; c++) centred[c] = row[c] - mean[c];
                for (int k = 0; k < m; k++)
                {
                    double s = 0;
                    var axis = axes.AsSpan(k * d, d);
                    for (int c = 0; c < d; c++) s += centred[c] * axis[c];
                    result[r, k] = (float)s;
                }
            }
        });
        return result;
    }

    /// <summary>
    /// <see cref="Transform"/> in single precision with SIMD dot products (for a neighbour search, where the float
    /// rounding of a projection is far below the distances that matter); n × components.
    /// </summary>
    internal Matrix TransformSingle(Matrix data, int threads)
    {
        int d = Mean.Count, m = Components.Rows;
        if (data.Columns != d)
            throw new ArgumentException($"The data has {data.Columns} columns; the PCA was fitted on {d}.", nameof(data));
        var result = new Matrix(data.Rows, m);
        var mean = new float[d];
        for (int c = 0; c < d; c++) mean[c] = (float)Mean[c];
        var axes = Components.Data;
        Parallelism.ForRanges(data.Rows, 256, threads, (start, end) =>
        {
            var centred = new float[d];
            for (int r = start; r < end; r++)
            {
                System.Numerics.Tensors.TensorPrimitives.Subtract(data.Row(r), mean, centred);
                var output = result.Row(r);
                for (int k = 0; k < m; k++) output[k] = System.Numerics.Tensors.TensorPrimitives.Dot<float>(centred, axes.AsSpan(k * d, d));
            }
        });
        return result;
    }

    private static void EnsureFinite(Matrix data)
    {
        if (data.FindNonFinite() is { } bad)
            throw new ArgumentException($"Row {bad.Row}, column {bad.Column} of the data holds {bad.Value}; every value must be finite.", nameof(data));
    }
}
