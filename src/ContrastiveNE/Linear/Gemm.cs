using ContrastiveNE.Threading;

namespace ContrastiveNE.Linear;

/// <summary>
/// Single-precision general matrix multiply on row-major operands:
/// C ← α·op(A)·op(B) + β·C, where op(A) is m × k, op(B) is k × n and C is m × n.
/// lda, ldb, ldc are the row strides of the operands as
/// stored. With β = 0, C is overwritten (its old contents, even NaN, are ignored).
/// </summary>
/// <remarks>
/// Goto/BLIS blocking: C is cut into work units of Mc rows × (64 or 256) columns whose boundaries depend only on
/// the shape; a unit walks k in equal blocks of at most 256, packs its block of op(B) into NR-wide strips and runs
/// the MR × NR register kernel over it. Every element of C is produced by one unit with a fixed summation order, so
/// the result is bit-identical for any thread count.
/// </remarks>
public static partial class Gemm
{
    /// <summary>C ← α·op(A)·op(B) + β·C (row-major). <paramref name="threads"/> ≤ 0 uses every processor.</summary>
    /// <exception cref="ArgumentException">A dimension is negative, a stride is too small or a span too short.</exception>
    public static void Multiply(
        Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, int threads = 0)
        => Multiply(GemmPath.Auto, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads);

    /// <summary>As the public overload, on a chosen kernel path (tests force each path).</summary>
    internal static unsafe void Multiply(GemmPath path,
        Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckOperand(transA == Transpose.No ? m : k, transA == Transpose.No ? k : m, a.Length, lda, nameof(a), nameof(lda));
        CheckOperand(transB == Transpose.No ? k : n, transB == Transpose.No ? n : k, b.Length, ldb, nameof(b), nameof(ldb));
        CheckOperand(m, n, c.Length, ldc, nameof(c), nameof(ldc));
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
            MultiplyUnchecked(GemmGeometry.For(path), transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads);
    }

    private static void CheckOperand(int rows, int cols, int length, int ld, string name, string ldName)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(ldName, ld, $"The row stride must be at least {Math.Max(1, cols)} (the stored row length).");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"A stored {rows} × {cols} operand with row stride {ld} needs {needed} values; the span holds {length}.", name);
    }

    private static unsafe void MultiplyUnchecked(GemmGeometry g,
        Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc, int threads)
    {
        if (k == 0 || alpha == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        int mTiles = (m + g.Mc - 1) / g.Mc;
        // Wide units when there are many row blocks (packing B once per 256 columns); narrow ones when m is small
        // (e.g. the weight gradient, m = 100), so the columns still spread over the threads.
        int unitWidth = mTiles >= 8 ? 256 : 64;
        int nTiles = (n + unitWidth - 1) / unitWidth;
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        Parallelism.For(mTiles * nTiles, threads, unit =>
        {
            int i0 = unit / nTiles * g.Mc, j0 = unit % nTiles * unitWidth;
            RunUnit(g, transA, transB, i0, Math.Min(g.Mc, m - i0), j0, Math.Min(unitWidth, n - j0), k,
                alpha, (float*)pa, lda, (float*)pb, ldb, beta, (float*)pc, ldc);
        });
    }

    /// <summary>Computes the block C[i0 … i0+mc, j0 … j0+w] completely, k-block by k-block.</summary>
    private static unsafe void RunUnit(GemmGeometry g, Transpose transA, Transpose transB,
        int i0, int mc, int j0, int w, int k,
        float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        int mr = g.Mr, nr = g.Nr, kcMax = GemmGeometry.KcFor(k);
        int wPadded = (w + nr - 1) / nr * nr;
        float* packedB = GemmPacking.BufferB(kcMax * wPadded);
        float* edge = GemmPacking.BufferA(kcMax * mr);
        nint rs = transA == Transpose.No ? lda : 1, cs = transA == Transpose.No ? 1 : lda;
        int fullRows = mc / mr * mr;
        for (int p0 = 0; p0 < k; p0 += kcMax)
        {
            int kc = Math.Min(kcMax, k - p0);
            GemmPacking.PackB(transB, b, ldb, p0, kc, j0, w, nr, packedB);
            if (fullRows < mc)
                GemmPacking.PackEdgeA(a + (i0 + fullRows) * rs + p0 * cs, rs, cs, mc - fullRows, kc, mr, edge);
            // Later k-blocks add to what the first one wrote.
            float betaBlock = p0 == 0 ? beta : 1f;
            for (int jr = 0; jr < w; jr += nr)
            {
                float* strip = packedB + (nint)(jr / nr) * kc * nr;
                float* cCol = c + i0 * ldc + j0 + jr;
                int nrHere = Math.Min(nr, w - jr);
                for (int ir = 0; ir < fullRows; ir += mr)
                    GemmKernels.Tile(g.Path, kc, a + (i0 + ir) * rs + p0 * cs, rs, cs, strip, cCol + ir * ldc, ldc, mr, nrHere, alpha, betaBlock);
                if (fullRows < mc)
                    GemmKernels.Tile(g.Path, kc, edge, 1, mr, strip, cCol + fullRows * ldc, ldc, mc - fullRows, nrHere, alpha, betaBlock);
            }
        }
    }

    private static unsafe void ScaleC(int m, int n, float beta, float* c, nint ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + i * ldc, n);
            if (beta == 0) row.Clear();
            else if (beta != 1) for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }
}
