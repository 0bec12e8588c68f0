using System.Numerics.Tensors;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Initialization;

/// <summary>
/// The leading eigenpairs of a symmetric positive semi-definite matrix by subspace iteration with Rayleigh–Ritz
/// projection (Saad, "Numerical Methods for Large Eigenvalue Problems", §5.2): the block Q of p orthonormal
/// vectors is repeatedly replaced by an orthonormal basis of CQ; the Ritz vectors of the block converge to the
/// eigenvectors at rate λ_{p+1} / λ_k, so a block a few vectors wider than requested converges quickly on the
/// decaying spectra of real data.
/// </summary>
internal static class SubspaceIteration
{
    private const int MaxIterations = 1000;
    private const double Tolerance = 1e-10;

    /// <summary>
    /// The <paramref name="count"/> largest eigenvalues (descending) of the n × n symmetric matrix <paramref name="c"/>
    /// and their eigenvectors as the columns of an n × count row-major matrix.
    /// </summary>
    public static (double[] Values, double[] Vectors) Leading(double[] c, int n, int count, int threads) => Leading(c, n, count, threads, Tolerance);

    /// <summary>
    /// As <see cref="Leading(double[], int, int, int)"/>, stopping when every requested Ritz pair's relative residual is
    /// below <paramref name="tolerance"/>: a loose tolerance gives a good subspace (not exact axes) in a few iterations.
    /// </summary>
    public static (double[] Values, double[] Vectors) Leading(double[] c, int n, int count, int threads, double tolerance)
    {
        int p = Math.Min(n, Math.Max(2 * count, count + 10));
        // Vectors are stored as rows (p × n) so that every product below is a contiguous dot product or axpy.
        var q = new double[p * n];
        var z = new double[p * n];
        var ritzQ = new double[p * n];
        var ritzZ = new double[p * n];
        var h = new double[p * p];
        var rng = Xoshiro256.Create(0x9CA);
        for (int i = 0; i < q.Length; i++) q[i] = rng.NextGaussian();
        Orthonormalize(q, p, n, ref rng);

        double[] theta = [];
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            // Z = C Q: row j of Z is C q_j; C is symmetric, so entry i is the dot product of C's row i with q_j.
            Parallelism.ForRanges(n, 32, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var ci = c.AsSpan(i * n, n);
                    for (int j = 0; j < p; j++) z[j * n + i] = TensorPrimitives.Dot(ci, q.AsSpan(j * n, n));
                }
            });
            // Rayleigh–Ritz: H = Qᵀ C Q (symmetrised against rounding), H = V Θ Vᵀ, Ritz vectors Q V with C Q V = Z V.
            for (int a = 0; a < p; a++)
                for (int b = a; b < p; b++)
                {
                    double v = 0.5 * (TensorPrimitives.Dot(q.AsSpan(a * n, n), z.AsSpan(b * n, n)) + TensorPrimitives.Dot(q.AsSpan(b * n, n), z.AsSpan(a * n, n)));
                    h[a * p + b] = v;
                    h[b * p + a] = v;
                }
            var (values, vectors) = SymmetricEigen.Decompose((double[])h.Clone(), p);
            theta = values;
            Combine(q, vectors, p, n, ritzQ);
            Combine(z, vectors, p, n, ritzZ);

            double scale = Math.Max(Math.Abs(theta[0]), double.Epsilon);
            bool converged = true;
            for (int k = 0; k < count && converged; k++)
            {
                double r2 = 0;
                var qk = ritzQ.AsSpan(k * n, n);
                var zk = ritzZ.AsSpan(k * n, n);
                for (int i = 0; i < n; i++) { double e = zk[i] - theta[k] * qk[i]; r2 += e * e; }
                converged = Math.Sqrt(r2) <= tolerance * scale;
            }
            if (converged || iteration == MaxIterations - 1) break;
            Array.Copy(ritzZ, q, q.Length);
            Orthonormalize(q, p, n, ref rng);
        }

        var result = new double[n * count];
        for (int k = 0; k < count; k++)
            for (int i = 0; i < n; i++) result[i * count + k] = ritzQ[k * n + i];
        return (theta[..count], result);
    }

    /// <summary>output row k = Σ_a v[a, k] · input row a.</summary>
    private static void Combine(double[] input, double[] v, int p, int n, double[] output)
    {
        Array.Clear(output);
        for (int k = 0; k < p; k++)
        {
            var o = output.AsSpan(k * n, n);
            for (int a = 0; a < p; a++) TensorPrimitives.MultiplyAdd(input.AsSpan(a * n, n), v[a * p + k], o, o);
        }
    }

    /// <summary>
    /// Modified Gram–Schmidt with one re-orthogonalisation pass ("twice is enough"). A row that vanishes (the matrix
    /// has rank below p) is replaced by a fresh random direction, so the block always stays a full orthonormal basis.
    /// </summary>
    private static void Orthonormalize(double[] rows, int p, int n, ref Xoshiro256 rng)
    {
        for (int j = 0; j < p; j++)
        {
            var v = rows.AsSpan(j * n, n);
            for (int attempt = 0; ; attempt++)
            {
                double before = Math.Sqrt(TensorPrimitives.Dot(v, v));
                for (int pass = 0; pass < 2; pass++)
                    for (int a = 0; a < j; a++)
                    {
                        var u = rows.AsSpan(a * n, n);
                        TensorPrimitives.MultiplyAdd(u, -TensorPrimitives.Dot(u, v), v, v);
                    }
                double norm = Math.Sqrt(TensorPrimitives.Dot(v, v));
                if (norm > 1e-8 * before && norm > 0)
                {
                    TensorPrimitives.Multiply(v, 1 / norm, v);
                    break;
                }
                if (attempt > 10) throw new InvalidOperationException("Could not complete an orthonormal basis.");
                for (int i = 0; i < n; i++) v[i] = rng.NextGaussian();
            }
        }
    }
}
