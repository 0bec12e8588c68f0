using ContrastiveNE.Data;
using ContrastiveNE.Initialization;
using ContrastiveNE.Randomness;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Initialization;

public sealed class PcaTests
{
    /// <summary>n rows whose coordinates along a random orthonormal basis have the given standard deviations, plus an offset.</summary>
    internal static Matrix Planted(int n, double[] spreads, ulong seed)
    {
        int d = spreads.Length;
        var rng = Xoshiro256.Create(seed);
        var basis = RandomOrthonormal(d, ref rng);
        var m = new Matrix(n, d);
        for (int r = 0; r < n; r++)
            for (int k = 0; k < d; k++)
            {
                double z = rng.NextGaussian() * spreads[k];
                for (int c = 0; c < d; c++) m[r, c] += (float)(z * basis[k][c]);
            }
        for (int r = 0; r < n; r++)
            for (int c = 0; c < d; c++) m[r, c] += 3 + c;
        return m;
    }

    internal static double[][] RandomOrthonormal(int d, ref Xoshiro256 rng)
    {
        var rows = new double[d][];
        for (int k = 0; k < d; k++)
        {
            var v = new double[d];
            for (int c = 0; c < d; c++) v[c] = rng.NextGaussian();
            for (int pass = 0; pass < 2; pass++)
                for (int a = 0; a < k; a++)
                {
                    double dot = v.Zip(rows[a], (x, y) => x * y).Sum();
                    for (int c = 0; c < d; c++) v[c] -= dot * rows[a][c];
                }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            rows[k] = v.Select(x => x / norm).ToArray();
        }
        return rows;
    }

    /// <summary>The covariance (divisor n − 1) by the textbook two-pass formula in double.</summary>
    internal static double[,] NaiveCovariance(Matrix m)
    {
        int n = m.Rows, d = m.Columns;
        var mean = new double[d];
        for (int r = 0; r < n; r++) for (int c = 0; c < d; c++) mean[c] += m[r, c];
        for (int c = 0; c < d; c++) mean[c] /= n;
        var cov = new double[d, d];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) cov[i, j] += (m[r, i] - mean[i]) * (m[r, j] - mean[j]);
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) cov[i, j] /= n - 1;
        return cov;
    }

    /// <summary>A plain reference eigen-decomposition: power iteration with deflation (independent of the library).</summary>
    private static (double Value, double[] Vector)[] PowerIteration(double[,] a, int count)
    {
        int d = a.GetLength(0);
        var m = (double[,])a.Clone();
        var result = new (double, double[])[count];
        for (int k = 0; k < count; k++)
        {
            var v = Enumerable.Range(0, d).Select(i => 1.0 + i * 0.1).ToArray();
            double lambda = 0;
            for (int it = 0; it < 5000; it++)
            {
                var w = new double[d];
                for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) w[i] += m[i, j] * v[j];
                double norm = Math.Sqrt(w.Sum(x => x * x));
                lambda = norm;
                v = w.Select(x => x / norm).ToArray();
            }
            result[k] = (lambda, v);
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) m[i, j] -= lambda * v[i] * v[j];
        }
        return result;
    }

    [Fact]
    public void Matches_a_plain_eigen_decomposition_on_small_data()
    {
        var data = Planted(200, [3, 2, 1.2, 0.5, 0.3, 0.1], seed: 1);
        var reference = PowerIteration(NaiveCovariance(data), 3);
        var pca = Pca.Fit(data, 3, threads: 1);
        Assert.Equal((3, 6), (pca.Components.Rows, pca.Components.Columns));
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(reference[k].Value, pca.Eigenvalues[k], reference[k].Value * 1e-5);
            double dot = 0;
            for (int c = 0; c < 6; c++) dot += pca.Components[k, c] * reference[k].Vector[c];
            Assert.Equal(1.0, Math.Abs(dot), 1e-5);
            AssertSignConvention(pca.Components, k);
        }
        for (int c = 0; c < 6; c++) Assert.Equal(data.Data.Where((_, i) => i % 6 == c).Average(x => (double)x), pca.Mean[c], 1e-9);
    }

    private static void AssertSignConvention(Matrix components, int k)
    {
        var row = components.Row(k).ToArray();
        int arg = Array.IndexOf(row, row.MaxBy(Math.Abs));
        Assert.True(row[arg] > 0, $"component {k}: the largest-magnitude loading {row[arg]} must be positive");
    }

    [Fact]
    public void Scatter_matrix_matches_a_double_reference_and_is_thread_independent()
    {
        // 300 rows: one full block of 256 and a partial one; 37 columns: not a multiple of the 16-column tile.
        var rng = Xoshiro256.Create(5);
        var data = new Matrix(300, 37);
        for (int i = 0; i < data.Data.Length; i++) data.Data[i] = (float)(rng.NextGaussian() * (1 + i % 37) + 100);
        var naive = NaiveCovariance(data);
        var (mean1, scatter1) = Covariance.Compute(data, threads: 1);
        var (mean2, scatter2) = Covariance.Compute(data, threads: 2);
        Assert.Equal(scatter1, scatter2);
        Assert.Equal(mean1, mean2);
        double scale = naive[36, 36];
        for (int i = 0; i < 37; i++)
            for (int j = 0; j < 37; j++)
                Assert.Equal(naive[i, j], scatter1[i * 37 + j] / 299, scale * 2e-6);
    }

    [Fact]
    public void Jacobi_recovers_a_planted_spectrum()
    {
        var rng = Xoshiro256.Create(8);
        int n = 9;
        var u = RandomOrthonormal(n, ref rng);
        double[] lambda = [5, -1, 3, 0, 2.5, 2.5, 7, 1e-3, -4];
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) a[i * n + j] += u[k][i] * lambda[k] * u[k][j];
        var original = (double[])a.Clone();
        var (values, vectors) = SymmetricEigen.Decompose(a, n);
        Assert.Equal(lambda.OrderDescending().ToArray(), values.Select(v => Math.Round(v, 10)).ToArray());
        for (int k = 0; k < n; k++)
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int j = 0; j < n; j++) av += original[i * n + j] * vectors[j * n + k];
                Assert.Equal(values[k] * vectors[i * n + k], av, 1e-12);
            }
    }

    [Fact]
    public void Subspace_iteration_agrees_with_the_full_decomposition()
    {
        var spreads = Enumerable.Range(0, 150).Select(i => 10.0 / (1 + i)).ToArray();
        var data = Planted(400, spreads, seed: 2);
        var full = Pca.Fit(data, 3, threads: 2, fullDecompositionMaxColumns: 1000);
        var subspace = Pca.Fit(data, 3, threads: 2, fullDecompositionMaxColumns: 0);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(full.Eigenvalues[k], subspace.Eigenvalues[k], full.Eigenvalues[k] * 1e-9);
            for (int c = 0; c < 150; c++) Assert.Equal(full.Components[k, c], subspace.Components[k, c], 1e-5);
            AssertSignConvention(subspace.Components, k);
        }
        Assert.Equal(subspace.Components.Data, Pca.Fit(data, 3, threads: 1, fullDecompositionMaxColumns: 0).Components.Data);
    }

    [Fact]
    public void Rank_deficient_data_still_gives_orthonormal_axes()
    {
        // 200 columns but rank 2 (every row a combination of two directions): the subspace block must refill itself.
        var rng = Xoshiro256.Create(3);
        var data = new Matrix(300, 200);
        for (int r = 0; r < 300; r++)
        {
            double s = rng.NextGaussian() * 2, t = rng.NextGaussian();
            for (int c = 0; c < 200; c++) data[r, c] = (float)(s * Math.Sin(c) + t * Math.Cos(3 * c));
        }
        var pca = Pca.Fit(data, 4);
        Assert.Equal(0, pca.Eigenvalues[2], 1e-6 * pca.Eigenvalues[0]);
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
            {
                double dot = 0;
                for (int c = 0; c < 200; c++) dot += pca.Components[a, c] * (double)pca.Components[b, c];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 1e-5);
            }
    }

    [Fact]
    public void Invalid_arguments_name_the_parameter()
    {
        var data = Planted(10, [1, 1, 1], seed: 4);
        Assert.Equal("components", Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(data, 0)).ParamName);
        Assert.Equal("components", Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(data, 4)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => Pca.Fit(new Matrix(1, 3), 1)).ParamName);
        data[2, 1] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => Pca.Fit(data, 1));
        Assert.Equal("data", e.ParamName);
        Assert.Contains("Row 2, column 1", e.Message);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => Pca.Fit(Planted(10, [1, 1, 1], 4), 1).Transform(new Matrix(2, 2))).ParamName);
    }
}
