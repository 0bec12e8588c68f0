using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ContrastiveNE.LinearAlgebra;

/// <summary>
/// The register-blocked micro-kernels: C[0..mr, 0..nr] ← α·A·B + β·C for one MR × NR tile, where B is a packed
/// strip (kc rows of NR contiguous values, zero-padded past n) and A is read in place as a[i·rs + p·cs]
/// (a strided view: row-major A has rs = lda, cs = 1; transposed A has rs = 1, cs = lda; a packed edge panel has
/// rs = 1, cs = MR). Reading A in place needs no packing because each step broadcasts one scalar per row anyway.
/// Each accumulator sums over p in order, so a C element's value never depends on how the work was split.
/// </summary>
internal static unsafe class GemmKernels
{
    /// <summary>Runs the tile kernel of <paramref name="path"/> (a resolved path) for one tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile(GemmPath path, int kc, float* a, int* rows, nint rs, nint cs, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        switch (path)
        {
            case GemmPath.Vector512:
                // A strip at most 16 wide (n's remainder) wastes half the work on the 32-wide tile.
                if (nr > 16) Tile8x32(kc, a, rows, rs, cs, b, c, ldc, mr, nr, alpha, beta);
                else Tile8x16(kc, a, rows, rs, cs, b, c, ldc, mr, nr, alpha, beta);
                break;
            case GemmPath.Vector256:
                Tile6x16(kc, a, rows, rs, cs, b, c, ldc, mr, nr, alpha, beta);
                break;
            default:
                TileScalar(kc, a, rows, rs, cs, b, c, ldc, mr, nr, alpha, beta);
                break;
        }
    }

    /// <summary>Row i of the tile's A: a + i·rs, or a + rows[i]·rs when the rows are named by an index (a gathered view).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Row(float* a, int* rows, nint rs, int i) => rows == null ? a + i * rs : a + rows[i] * rs;

    /// <summary>8 × 32 tile on Vector512 (B strips packed 32 wide).</summary>
    private static void Tile8x32(int kc, float* a, int* rows, nint rs, nint cs, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        float* a0 = Row(a, rows, rs, 0);
        float* a1 = Row(a, rows, rs, 1);
        float* a2 = Row(a, rows, rs, 2);
        float* a3 = Row(a, rows, rs, 3);
        float* a4 = Row(a, rows, rs, 4);
        float* a5 = Row(a, rows, rs, 5);
        float* a6 = Row(a, rows, rs, 6);
        float* a7 = Row(a, rows, rs, 7);
        Vector512<float> c00 = default; Vector512<float> c01 = default;
        Vector512<float> c10 = default; Vector512<float> c11 = default;
        Vector512<float> c20 = default; Vector512<float> c21 = default;
        Vector512<float> c30 = default; Vector512<float> c31 = default;
        Vector512<float> c40 = default; Vector512<float> c41 = default;
        Vector512<float> c50 = default; Vector512<float> c51 = default;
        Vector512<float> c60 = default; Vector512<float> c61 = default;
        Vector512<float> c70 = default; Vector512<float> c71 = default;
        nint off = 0;
        for (int p = 0; p < kc; p++, off += cs, b += 32)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> x0 = Vector512.Create(a0[off]);
            c00 = Vector512.FusedMultiplyAdd(x0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(x0, b1, c01);
            Vector512<float> x1 = Vector512.Create(a1[off]);
            c10 = Vector512.FusedMultiplyAdd(x1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(x1, b1, c11);
            Vector512<float> x2 = Vector512.Create(a2[off]);
            c20 = Vector512.FusedMultiplyAdd(x2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(x2, b1, c21);
            Vector512<float> x3 = Vector512.Create(a3[off]);
            c30 = Vector512.FusedMultiplyAdd(x3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(x3, b1, c31);
            Vector512<float> x4 = Vector512.Create(a4[off]);
            c40 = Vector512.FusedMultiplyAdd(x4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(x4, b1, c41);
            Vector512<float> x5 = Vector512.Create(a5[off]);
            c50 = Vector512.FusedMultiplyAdd(x5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(x5, b1, c51);
            Vector512<float> x6 = Vector512.Create(a6[off]);
            c60 = Vector512.FusedMultiplyAdd(x6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(x6, b1, c61);
            Vector512<float> x7 = Vector512.Create(a7[off]);
            c70 = Vector512.FusedMultiplyAdd(x7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(x7, b1, c71);
        }
        if (mr == 8 && nr == 32)
        {
            Store512(c + 0 * ldc, c00, c01, alpha, beta);
            Store512(c + 1 * ldc, c10, c11, alpha, beta);
            Store512(c + 2 * ldc, c20, c21, alpha, beta);
            Store512(c + 3 * ldc, c30, c31, alpha, beta);
            Store512(c + 4 * ldc, c40, c41, alpha, beta);
            Store512(c + 5 * ldc, c50, c51, alpha, beta);
            Store512(c + 6 * ldc, c60, c61, alpha, beta);
            Store512(c + 7 * ldc, c70, c71, alpha, beta);
            return;
        }
        float* tile = stackalloc float[256];
        c00.Store(tile + 0);
        c01.Store(tile + 16);
        c10.Store(tile + 32);
        c11.Store(tile + 48);
        c20.Store(tile + 64);
        c21.Store(tile + 80);
        c30.Store(tile + 96);
        c31.Store(tile + 112);
        c40.Store(tile + 128);
        c41.Store(tile + 144);
        c50.Store(tile + 160);
        c51.Store(tile + 176);
        c60.Store(tile + 192);
        c61.Store(tile + 208);
        c70.Store(tile + 224);
        c71.Store(tile + 240);
        MergeTile(tile, 32, c, ldc, mr, nr, alpha, beta);
    }

    /// <summary>8 × 16 tile on Vector512 (B strips packed 32 wide).</summary>
    private static void Tile8x16(int kc, float* a, int* rows, nint rs, nint cs, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        float* a0 = Row(a, rows, rs, 0);
        float* a1 = Row(a, rows, rs, 1);
        float* a2 = Row(a, rows, rs, 2);
        float* a3 = Row(a, rows, rs, 3);
        float* a4 = Row(a, rows, rs, 4);
        float* a5 = Row(a, rows, rs, 5);
        float* a6 = Row(a, rows, rs, 6);
        float* a7 = Row(a, rows, rs, 7);
        Vector512<float> c00 = default;
        Vector512<float> c10 = default;
        Vector512<float> c20 = default;
        Vector512<float> c30 = default;
        Vector512<float> c40 = default;
        Vector512<float> c50 = default;
        Vector512<float> c60 = default;
        Vector512<float> c70 = default;
        nint off = 0;
        for (int p = 0; p < kc; p++, off += cs, b += 32)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> x0 = Vector512.Create(a0[off]);
            c00 = Vector512.FusedMultiplyAdd(x0, b0, c00);
            Vector512<float> x1 = Vector512.Create(a1[off]);
            c10 = Vector512.FusedMultiplyAdd(x1, b0, c10);
            Vector512<float> x2 = Vector512.Create(a2[off]);
            c20 = Vector512.FusedMultiplyAdd(x2, b0, c20);
            Vector512<float> x3 = Vector512.Create(a3[off]);
            c30 = Vector512.FusedMultiplyAdd(x3, b0, c30);
            Vector512<float> x4 = Vector512.Create(a4[off]);
            c40 = Vector512.FusedMultiplyAdd(x4, b0, c40);
            Vector512<float> x5 = Vector512.Create(a5[off]);
            c50 = Vector512.FusedMultiplyAdd(x5, b0, c50);
            Vector512<float> x6 = Vector512.Create(a6[off]);
            c60 = Vector512.FusedMultiplyAdd(x6, b0, c60);
            Vector512<float> x7 = Vector512.Create(a7[off]);
            c70 = Vector512.FusedMultiplyAdd(x7, b0, c70);
        }
        if (mr == 8 && nr == 16)
        {
            Store512(c + 0 * ldc, c00, alpha, beta);
            Store512(c + 1 * ldc, c10, alpha, beta);
            Store512(c + 2 * ldc, c20, alpha, beta);
            Store512(c + 3 * ldc, c30, alpha, beta);
            Store512(c + 4 * ldc, c40, alpha, beta);
            Store512(c + 5 * ldc, c50, alpha, beta);
            Store512(c + 6 * ldc, c60, alpha, beta);
            Store512(c + 7 * ldc, c70, alpha, beta);
            return;
        }
        float* tile = stackalloc float[128];
        c00.Store(tile + 0);
        c10.Store(tile + 16);
        c20.Store(tile + 32);
        c30.Store(tile + 48);
        c40.Store(tile + 64);
        c50.Store(tile + 80);
        c60.Store(tile + 96);
        c70.Store(tile + 112);
        MergeTile(tile, 16, c, ldc, mr, nr, alpha, beta);
    }

    /// <summary>6 × 16 tile on Vector256 (B strips packed 16 wide).</summary>
    private static void Tile6x16(int kc, float* a, int* rows, nint rs, nint cs, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        float* a0 = Row(a, rows, rs, 0);
        float* a1 = Row(a, rows, rs, 1);
        float* a2 = Row(a, rows, rs, 2);
        float* a3 = Row(a, rows, rs, 3);
        float* a4 = Row(a, rows, rs, 4);
        float* a5 = Row(a, rows, rs, 5);
        Vector256<float> c00 = default; Vector256<float> c01 = default;
        Vector256<float> c10 = default; Vector256<float> c11 = default;
        Vector256<float> c20 = default; Vector256<float> c21 = default;
        Vector256<float> c30 = default; Vector256<float> c31 = default;
        Vector256<float> c40 = default; Vector256<float> c41 = default;
        Vector256<float> c50 = default; Vector256<float> c51 = default;
        nint off = 0;
        for (int p = 0; p < kc; p++, off += cs, b += 16)
        {
            Vector256<float> b0 = Vector256.Load(b + 0);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> x0 = Vector256.Create(a0[off]);
            c00 = Vector256.FusedMultiplyAdd(x0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x0, b1, c01);
            Vector256<float> x1 = Vector256.Create(a1[off]);
            c10 = Vector256.FusedMultiplyAdd(x1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x1, b1, c11);
            Vector256<float> x2 = Vector256.Create(a2[off]);
            c20 = Vector256.FusedMultiplyAdd(x2, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x2, b1, c21);
            Vector256<float> x3 = Vector256.Create(a3[off]);
            c30 = Vector256.FusedMultiplyAdd(x3, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x3, b1, c31);
            Vector256<float> x4 = Vector256.Create(a4[off]);
            c40 = Vector256.FusedMultiplyAdd(x4, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(x4, b1, c41);
            Vector256<float> x5 = Vector256.Create(a5[off]);
            c50 = Vector256.FusedMultiplyAdd(x5, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(x5, b1, c51);
        }
        float* tile = stackalloc float[96];
        c00.Store(tile + 0);
        c01.Store(tile + 8);
        c10.Store(tile + 16);
        c11.Store(tile + 24);
        c20.Store(tile + 32);
        c21.Store(tile + 40);
        c30.Store(tile + 48);
        c31.Store(tile + 56);
        c40.Store(tile + 64);
        c41.Store(tile + 72);
        c50.Store(tile + 80);
        c51.Store(tile + 88);
        MergeTile(tile, 16, c, ldc, mr, nr, alpha, beta);
    }

    /// <summary>4 × 4 tile in scalar code, the fallback without vector hardware (B strips packed 4 wide).</summary>
    private static void TileScalar(int kc, float* a, int* rows, nint rs, nint cs, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        float* tile = stackalloc float[16];
        for (int t = 0; t < 16; t++) tile[t] = 0;
        nint off = 0;
        for (int p = 0; p < kc; p++, off += cs, b += 4)
        {
            for (int i = 0; i < 4; i++)
            {
                float x = Row(a, rows, rs, i)[off];
                float* row = tile + 4 * i;
                row[0] = MathF.FusedMultiplyAdd(x, b[0], row[0]);
                row[1] = MathF.FusedMultiplyAdd(x, b[1], row[1]);
                row[2] = MathF.FusedMultiplyAdd(x, b[2], row[2]);
                row[3] = MathF.FusedMultiplyAdd(x, b[3], row[3]);
            }
        }
        MergeTile(tile, 4, c, ldc, mr, nr, alpha, beta);
    }

    /// <summary>Writes one full row of a 32-wide tile: α·acc, or α·acc + β·C when β ≠ 0 (β = 0 never reads C, so NaN there is ignored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, Vector512<float> lo, Vector512<float> hi, float alpha, float beta)
    {
        if (beta == 0)
        {
            (lo * alpha).Store(c);
            (hi * alpha).Store(c + 16);
        }
        else
        {
            (lo * alpha + Vector512.Load(c) * beta).Store(c);
            (hi * alpha + Vector512.Load(c + 16) * beta).Store(c + 16);
        }
    }

    /// <summary>Writes one full row of a 16-wide tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, Vector512<float> v, float alpha, float beta)
    {
        if (beta == 0) (v * alpha).Store(c);
        else (v * alpha + Vector512.Load(c) * beta).Store(c);
    }

    /// <summary>Widest remainder of a column block that <see cref="DotColumns"/> computes instead of a register tile.</summary>
    public const int DotColumnsMax = 4;

    /// <summary>
    /// C[i, j] ← α·⟨A row i, B row j⟩ + β·C[i, j] for rows i &lt; <paramref name="rows"/> and at most
    /// <see cref="DotColumnsMax"/> columns j, where B is stored transposed (op(B) column j is the stored row
    /// b + j·ldb) and A is not (row i at a + i·lda, or a + rows[i]·lda through an index). A register tile spends as
    /// many broadcasts and FMAs on a 4-column remainder as on 16 columns; as dot products along k, each FMA does 16
    /// useful products. Each value is summed in a fixed order (16 lanes, then the lanes, then the tail).
    /// </summary>
    public static void DotColumns(int rows, int cols, int k, float* a, int* aRows, nint lda, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
        // Missing columns repeat the last one (cheap L1 loads) and are not stored.
        float* b0 = b, b1 = b + Math.Min(1, cols - 1) * ldb, b2 = b + Math.Min(2, cols - 1) * ldb, b3 = b + Math.Min(3, cols - 1) * ldb;
        float* sums = stackalloc float[DotColumnsMax];
        for (int i = 0; i < rows; i++)
        {
            float* x = aRows == null ? a + i * lda : a + aRows[i] * lda;
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            var s2 = Vector512<float>.Zero;
            var s3 = Vector512<float>.Zero;
            int p = 0;
            for (; p <= k - 16; p += 16)
            {
                var v = Vector512.Load(x + p);
                s0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b0 + p), s0);
                s1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b1 + p), s1);
                s2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b2 + p), s2);
                s3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b3 + p), s3);
            }
            sums[0] = Vector512.Sum(s0);
            sums[1] = Vector512.Sum(s1);
            sums[2] = Vector512.Sum(s2);
            sums[3] = Vector512.Sum(s3);
            for (; p < k; p++)
            {
                float v = x[p];
                sums[0] += v * b0[p];
                sums[1] += v * b1[p];
                sums[2] += v * b2[p];
                sums[3] += v * b3[p];
            }
            float* dst = c + i * ldc;
            if (beta == 0)
                for (int j = 0; j < cols; j++) dst[j] = sums[j] * alpha;
            else
                for (int j = 0; j < cols; j++) dst[j] = sums[j] * alpha + dst[j] * beta;
        }
    }

    /// <summary>
    /// Merges the valid mr × nr corner of a spilled tile into C, with the same operations (α·acc, then + β·C) as
    /// the vector stores so a value does not depend on which store wrote it.
    /// </summary>
    private static void MergeTile(float* tile, int tileStride, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        for (int i = 0; i < mr; i++)
        {
            float* src = tile + i * tileStride;
            float* dst = c + i * ldc;
            if (beta == 0)
                for (int j = 0; j < nr; j++) dst[j] = src[j] * alpha;
            else
                for (int j = 0; j < nr; j++) dst[j] = src[j] * alpha + dst[j] * beta;
        }
    }
}
