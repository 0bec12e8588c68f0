using System.Buffers;
using System.Numerics.Tensors;
using ContrastiveNE.Threading;

namespace ContrastiveNE.LinearAlgebra;

/// <summary>
/// Single-precision general matrix multiply on row-major operands:
/// C ← α·op(A)·op(B) + β·C, where op(A) is m × k, op(B) is k × n and C is m × n.
/// lda, ldb, ldc are the row strides of the operands as
/// stored. With β = 0, C is overwritten (its old contents, even NaN, are ignored).
/// </summary>
/// <remarks>
/// Goto/BLIS blocking: C is cut into work units of Mc rows × (64 or 256) columns whose boundaries depend only on
/// the shape; a unit walks k in equal blocks of at most 256, packs its block of op(B) into NR-wide strips (or uses
/// op(B) packed once for all units when it is small) and runs the MR × NR register kernel over it. A k much longer
/// than C's sides is also cut into fixed chunks whose partial products are summed in chunk order. Every element of
/// C is produced with a summation order fixed by the shape alone, so the result is bit-identical for any thread
/// count (kernel paths may differ from each other in the last bits).
/// </remarks>
internal static partial class Gemm
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
        => Multiply(path, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, default, relu: false, default);

    /// <summary>
    /// As <see cref="Multiply(Transpose, Transpose, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int, int)"/>,
    /// then, on each finished (L1-resident) tile, adds <paramref name="bias"/>[j] to column j (when not empty), applies max(·, 0)
    /// (<paramref name="relu"/>) and zeroes every value whose entry of <paramref name="mask"/> (m × n, row stride ldc;
    /// when not empty) is not positive: bit-identical to the product followed by those passes over C.
    /// A non-empty <paramref name="aRows"/> (A not transposed) makes row i of A the stored row aRows[i] of
    /// <paramref name="a"/>; a non-empty <paramref name="bRows"/> (B not transposed) makes row p of B the stored row
    /// bRows[p] of <paramref name="b"/>: the product of a gathered matrix without gathering it.
    /// </summary>
    internal static void Multiply(
        Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, int threads,
        ReadOnlySpan<float> bias, bool relu, ReadOnlySpan<float> mask,
        ReadOnlySpan<int> aRows = default, ReadOnlySpan<int> bRows = default)
        => Multiply(GemmPath.Auto, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, bias, relu, mask, aRows, bRows);

    /// <summary>The fused product on a chosen kernel path (tests force each path).</summary>
    internal static unsafe void Multiply(GemmPath path,
        Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, int threads,
        ReadOnlySpan<float> bias, bool relu, ReadOnlySpan<float> mask,
        ReadOnlySpan<int> aRows = default, ReadOnlySpan<int> bRows = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (aRows.IsEmpty)
            CheckOperand(transA == Transpose.No ? m : k, transA == Transpose.No ? k : m, a.Length, lda, nameof(a), nameof(lda));
        else
            CheckIndexedOperand(transA, m, k, a.Length, lda, aRows, nameof(aRows), nameof(lda));
        if (bRows.IsEmpty)
            CheckOperand(transB == Transpose.No ? k : n, transB == Transpose.No ? n : k, b.Length, ldb, nameof(b), nameof(ldb));
        else
            CheckIndexedOperand(transB, k, n, b.Length, ldb, bRows, nameof(bRows), nameof(ldb));
        CheckOperand(m, n, c.Length, ldc, nameof(c), nameof(ldc));
        if (!bias.IsEmpty && bias.Length < n)
            throw new ArgumentException($"The bias holds {bias.Length} values; C has {n} columns.", nameof(bias));
        if (!mask.IsEmpty) CheckOperand(m, n, mask.Length, ldc, nameof(mask), nameof(ldc));
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c, pBias = bias, pMask = mask)
        fixed (int* pra = aRows, prb = bRows)
        {
            var epilogue = new GemmEpilogue(bias.IsEmpty ? null : pBias, relu, mask.IsEmpty ? null : pMask, ldc);
            MultiplyUnchecked(GemmGeometry.For(path), transA, transB, m, n, k, alpha, pa, aRows.IsEmpty ? null : pra, lda,
                pb, bRows.IsEmpty ? null : prb, ldb, beta, pc, ldc, threads, epilogue);
        }
    }

    /// <summary>An operand whose rows are named by an index: not transposed, enough indices, every named row inside the span.</summary>
    private static void CheckIndexedOperand(Transpose trans, int rows, int cols, int length, int ld, ReadOnlySpan<int> index, string name, string ldName)
    {
        if (trans != Transpose.No)
            throw new ArgumentException("Only an operand that is not transposed can have its rows named by an index.", name);
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(ldName, ld, $"The row stride must be at least {Math.Max(1, cols)} (the stored row length).");
        if (index.Length < rows)
            throw new ArgumentException($"The row index holds {index.Length} entries; the operand has {rows} rows.", name);
        if (cols == 0) return;
        long storedRows = length < cols ? 0 : (length - cols) / ld + 1;
        for (int i = 0; i < rows; i++)
            if ((uint)index[i] >= (ulong)storedRows)
                throw new ArgumentException($"Entry {i} of the row index names row {index[i]}, outside the {storedRows} stored rows.", name);
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
        float alpha, float* a, int* aRows, nint lda, float* b, int* bRows, nint ldb, float beta, float* c, nint ldc, int threads, GemmEpilogue epilogue)
    {
        if (k == 0 || alpha == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            if (epilogue.Active)
                for (int i = 0; i < m; i++) epilogue.ApplyRow(c + i * ldc, i, n);
            return;
        }
        int mTiles = (m + g.Mc - 1) / g.Mc;
        // Wide units when there are many row blocks (packing B once per 256 columns); narrow ones when m is small
        // (e.g. the weight gradient, m = 100), so the columns still spread over the threads, unless there is one thread.
        int unitWidth = mTiles >= 8 || Parallelism.Resolve(threads) == 1 ? 256 : 64;
        int nTiles = (n + unitWidth - 1) / unitWidth;
        if (k >= 2 * SplitKChunk && k > SplitKRatio * Math.Max(m, n))
        {
            MultiplySplitK(g, transA, transB, m, n, k, alpha, a, aRows, lda, b, bRows, ldb, beta, c, ldc, threads, epilogue);
            return;
        }
        int kc = GemmGeometry.KcFor(k), nr = g.Nr;
        int paddedN = (n + nr - 1) / nr * nr;
        long packedSize = (long)k * paddedN;
        // When op(B) is small (a layer's weights) and shared by several row blocks, pack it once for all units
        // rather than once per unit: repacking a transposed 784 × 100 weight matrix per 128 rows would cost a third
        // of the multiply.
        float[]? shared = mTiles > 1 && packedSize <= SharedPackLimit ? ArrayPool<float>.Shared.Rent((int)packedSize + 16) : null;
        try
        {
            fixed (float* sharedPtr = shared)
            {
                nint pa = (nint)a, pb = (nint)b, pc = (nint)c, pra = (nint)aRows, prb = (nint)bRows;
                nint packed = shared == null ? 0 : ((nint)sharedPtr + 63) & ~(nint)63;
                if (packed != 0)
                {
                    int strips = paddedN / nr;
                    Parallelism.ForRanges(strips, 16, threads, (s0, s1) =>
                    {
                        int j0 = s0 * nr, w = Math.Min(n, s1 * nr) - j0;
                        for (int p0 = 0; p0 < k; p0 += kc)
                        {
                            int kcp = Math.Min(kc, k - p0);
                            GemmPacking.PackB(transB, (float*)pb, (int*)prb, ldb, p0, kcp, j0, w, nr, (float*)packed + (nint)p0 * paddedN + (nint)s0 * kcp * nr);
                        }
                    });
                }
                Parallelism.For(mTiles * nTiles, threads, unit =>
                {
                    int i0 = unit / nTiles * g.Mc, j0 = unit % nTiles * unitWidth;
                    RunUnit(g, transA, transB, i0, Math.Min(g.Mc, m - i0), j0, Math.Min(unitWidth, n - j0), k,
                        alpha, (float*)pa, (int*)pra, lda, (float*)pb, (int*)prb, ldb, beta, (float*)pc, ldc, (float*)packed, paddedN, epilogue);
                });
            }
        }
        finally
        {
            if (shared != null) ArrayPool<float>.Shared.Return(shared);
        }
    }

    /// <summary>
    /// A k this many times longer than C's sides is split as well (the weight gradient, 100 × 784 × 65,536): C then
    /// has too few blocks to share out, and every column block would stream the whole of A again.
    /// </summary>
    private const int SplitKRatio = 8;

    /// <summary>Smallest k-chunk of the split (a multiple of the 256 k-block).</summary>
    private const int SplitKChunk = 4096;

    /// <summary>Bound on the partial products' storage, in floats (64 MB).</summary>
    private const long SplitKPartialLimit = 1 << 24;

    /// <summary>
    /// C ← α·Σ_chunks op(A)[:, chunk]·op(B)[chunk, :] + β·C for a small C and a long k: each (chunk, block of C) is a
    /// unit writing its own partial product, and the partials are summed in chunk order afterwards. Chunk bounds
    /// depend only on k, so the sum is the same at any thread count; it streams A and B once instead of once per
    /// narrow column block.
    /// </summary>
    private static unsafe void MultiplySplitK(GemmGeometry g, Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float* a, int* aRows, nint lda, float* b, int* bRows, nint ldb, float beta, float* c, nint ldc, int threads, GemmEpilogue epilogue)
    {
        long mn = (long)m * n;
        int chunk = SplitKChunk;
        while ((long)(k + chunk - 1) / chunk * mn > SplitKPartialLimit && chunk < k) chunk *= 2;
        int chunks = (k + chunk - 1) / chunk;
        int mTiles = (m + g.Mc - 1) / g.Mc, unitWidth = 256, nTiles = (n + unitWidth - 1) / unitWidth;
        float[] partial = ArrayPool<float>.Shared.Rent(checked((int)(chunks * mn)));
        try
        {
            fixed (float* pp = partial)
            {
                nint pa = (nint)a, pb = (nint)b, pPartial = (nint)pp, pc = (nint)c, pra = (nint)aRows, prb = (nint)bRows;
                // A chunk of k starts p0 columns into A and p0 rows into B; indexed B rows start p0 entries into the index.
                nint aStep = transA == Transpose.No ? 1 : lda, bStep = transB == Transpose.No ? (bRows == null ? ldb : 0) : 1;
                Parallelism.For(chunks * mTiles * nTiles, threads, unit =>
                {
                    int ch = unit / (mTiles * nTiles), tile = unit % (mTiles * nTiles);
                    int i0 = tile / nTiles * g.Mc, j0 = tile % nTiles * unitWidth;
                    int p0 = ch * chunk, kLen = Math.Min(chunk, k - p0);
                    RunUnit(g, transA, transB, i0, Math.Min(g.Mc, m - i0), j0, Math.Min(unitWidth, n - j0), kLen,
                        1f, (float*)pa + p0 * aStep, (int*)pra, lda, (float*)pb + p0 * bStep, prb == 0 ? null : (int*)prb + p0, ldb,
                        0f, (float*)pPartial + ch * mn, n, null, 0, default);
                });
                Parallelism.ForRanges(m, 16, threads, (r0, r1) =>
                {
                    for (int i = r0; i < r1; i++)
                    {
                        var sum = new Span<float>((float*)pPartial + (nint)i * n, n);
                        for (int ch = 1; ch < chunks; ch++)
                            TensorPrimitives.Add(sum, new ReadOnlySpan<float>((float*)pPartial + ch * mn + (nint)i * n, n), sum);
                        var row = new Span<float>((float*)pc + i * ldc, n);
                        if (beta == 0)
                        {
                            TensorPrimitives.Multiply(sum, alpha, row);
                        }
                        else
                        {
                            TensorPrimitives.Multiply(row, beta, row);
                            TensorPrimitives.MultiplyAdd(sum, alpha, row, row);
                        }
                        if (epilogue.Active) epilogue.ApplyRow((float*)pc + i * ldc, i, n);
                    }
                });
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partial);
        }
    }

    /// <summary>Largest op(B) (in floats, padded) packed once per call and shared by all units: 16 MB.</summary>
    private const long SharedPackLimit = 1 << 22;

    /// <summary>Computes the block C[i0 … i0+mc, j0 … j0+w] completely, k-block by k-block.</summary>
    private static unsafe void RunUnit(GemmGeometry g, Transpose transA, Transpose transB,
        int i0, int mc, int j0, int w, int k,
        float alpha, float* a, int* aRows, nint lda, float* b, int* bRows, nint ldb, float beta, float* c, nint ldc, float* prepacked, int paddedN, GemmEpilogue epilogue)
    {
        int mr = g.Mr, nr = g.Nr, kcMax = GemmGeometry.KcFor(k);
        int wPadded = (w + nr - 1) / nr * nr;
        float* packedB = prepacked != null ? null : GemmPacking.BufferB(kcMax * wPadded);
        float* edge = GemmPacking.BufferA(kcMax * mr);
        nint rs = transA == Transpose.No ? lda : 1, cs = transA == Transpose.No ? 1 : lda;
        int fullRows = mc / mr * mr;
        // A remainder of at most 4 columns (100 = 3 × 32 + 4, the default network's width) whose op(B) columns are
        // stored rows is computed as dot products after the tiles; the tiles cover the rest.
        int dotColumns = w % nr;
        if (dotColumns > GemmKernels.DotColumnsMax || g.Path != GemmPath.Vector512 || transA != Transpose.No || transB != Transpose.Yes)
            dotColumns = 0;
        w -= dotColumns;
        for (int p0 = 0; p0 < k && w > 0; p0 += kcMax)
        {
            int kc = Math.Min(kcMax, k - p0);
            // Strips of this unit's columns: the shared pack's block p0, or the unit's own pack.
            float* strips = prepacked != null ? prepacked + (nint)p0 * paddedN + (nint)(j0 / nr) * kc * nr : packedB;
            if (prepacked == null) GemmPacking.PackB(transB, b, bRows, ldb, p0, kc, j0, w, nr, packedB);
            if (fullRows < mc)
                GemmPacking.PackEdgeA(aRows == null ? a + (i0 + fullRows) * rs + p0 * cs : a + p0, aRows == null ? null : aRows + i0 + fullRows,
                    rs, cs, mc - fullRows, kc, mr, edge);
            // Later k-blocks add to what the first one wrote; the last one finishes the values (the epilogue).
            float betaBlock = p0 == 0 ? beta : 1f;
            bool last = p0 + kc >= k;
            // Packing streams a block of stored B rows from memory, a stall the kernels cannot hide; the next block's
            // rows are prefetched while this one computes, a share of them before each strip.
            int nextKc = prepacked == null && transB == Transpose.No && !last ? Math.Min(kcMax, k - p0 - kc) : 0;
            int stripCount = (w + nr - 1) / nr, prefetchShare = (nextKc + stripCount - 1) / stripCount;
            for (int jr = 0; jr < w; jr += nr)
            {
                if (nextKc > 0)
                {
                    int first = jr / nr * prefetchShare;
                    GemmPacking.PrefetchRows(b, bRows, ldb, p0 + kc + first, Math.Min(prefetchShare, nextKc - first), j0, w);
                }
                float* strip = strips + (nint)(jr / nr) * kc * nr;
                float* cCol = c + i0 * ldc + j0 + jr;
                int nrHere = Math.Min(nr, w - jr);
                // The epilogue runs on each finished tile while it is still in L1 (kept out of the register kernels,
                // whose code it would otherwise worsen).
                bool finish = last && epilogue.Active;
                for (int ir = 0; ir < fullRows; ir += mr)
                {
                    if (aRows != null)
                        GemmKernels.Tile(g.Path, kc, a + p0, aRows + i0 + ir, rs, cs, strip, cCol + ir * ldc, ldc, mr, nrHere, alpha, betaBlock);
                    else
                        GemmKernels.Tile(g.Path, kc, a + (i0 + ir) * rs + p0 * cs, null, rs, cs, strip, cCol + ir * ldc, ldc, mr, nrHere, alpha, betaBlock);
                    if (finish) epilogue.At(i0 + ir, j0 + jr).ApplyTile(cCol + ir * ldc, ldc, mr, nrHere);
                }
                if (fullRows < mc)
                {
                    GemmKernels.Tile(g.Path, kc, edge, null, 1, mr, strip, cCol + fullRows * ldc, ldc, mc - fullRows, nrHere, alpha, betaBlock);
                    if (finish) epilogue.At(i0 + fullRows, j0 + jr).ApplyTile(cCol + fullRows * ldc, ldc, mc - fullRows, nrHere);
                }
            }
        }
        if (dotColumns > 0)
        {
            float* cDot = c + i0 * ldc + j0 + w;
            GemmKernels.DotColumns(mc, dotColumns, k, aRows == null ? a + i0 * lda : a, aRows == null ? null : aRows + i0, lda,
                b + (j0 + w) * ldb, ldb, cDot, ldc, alpha, beta);
            if (epilogue.Active) epilogue.At(i0, j0 + w).ApplyTile(cDot, ldc, mc, dotColumns);
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
