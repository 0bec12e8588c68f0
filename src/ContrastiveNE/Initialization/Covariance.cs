using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ContrastiveNE.Data;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Initialization;

/// <summary>
/// Column means and the scatter matrix Σ_r (x_r − μ)(x_r − μ)ᵀ of a data matrix, accumulated in double precision.
/// </summary>
/// <remarks>
/// The rows are processed in blocks of <see cref="BlockRows"/>: each block is centred into a float buffer, its
/// scatter XᵀX is formed in float by an outer-product micro-kernel (4 output rows × 16 output columns held in eight
/// Vector256 accumulators; the inner loop broadcasts x[r, i] and loads x[r, j..j+15]), and the block's result is
/// added to the double-precision total. Float error therefore only spans one block of centred values. Work is split
/// over groups of 4 output rows, each owned by one worker, and blocks are added in row order, so the result is
/// bit-identical for any thread count. Only the upper triangle is computed; the lower one is mirrored.
/// </remarks>
internal static class Covariance
{
    internal const int BlockRows = 256;
    private const int TileRows = 4, TileColumns = 16;

    /// <summary>Returns (mean, scatter) with scatter a D × D row-major symmetric matrix (not divided by n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double[] Mean, double[] Scatter) Compute(Matrix data, int threads)
    {
        int n = data.Rows, d = data.Columns;
        var mean = new double[d];
        for (int r = 0; r < n; r++)
        {
            var row = data.Row(r);
            for (int c = 0; c < d; c++) mean[c] += row[c];
        }
        for (int c = 0; c < d; c++) mean[c] /= n;

        int width = (d + TileColumns - 1) / TileColumns * TileColumns; // padded: whole tiles, zero columns
        var meanF = new float[d];
        for (int c = 0; c < d; c++) meanF[c] = (float)mean[c];
        var block = new float[BlockRows * width];
        var scatter = new double[width * width];
        int tileRowCount = width / TileRows;
        for (int start = 0; start < n; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, n - start);
            for (int r = 0; r < rows; r++)
            {
                var src = data.Row(start + r);
                var dst = block.AsSpan(r * width, d);
                // Centring in float around the float-rounded mean: the residual mean error (≤ ulp of μ) shifts the
                // block's scatter by a rank-one term far below float accuracy for data on any reasonable scale.
                for (int c = 0; c < d; c++) dst[c] = src[c] - meanF[c];
            }
            Parallelism.For(tileRowCount, threads, t => AccumulateTileRow(block, rows, width, t * TileRows, scatter));
        }

        var result = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
            {
                double v = scatter[i * width + j];
                result[i * d + j] = v;
                result[j * d + i] = v;
            }
        return (mean, result);
    }

    /// <summary>Adds the block's scatter for output rows i0 … i0 + 3, columns from the tile holding i0 onwards.</summary>
    private static void AccumulateTileRow(float[] block, int rows, int width, int i0, double[] scatter)
    {
        Span<float> tile = stackalloc float[TileRows * TileColumns];
        for (int j0 = i0 / TileColumns * TileColumns; j0 < width; j0 += TileColumns)
        {
            if (Vector256.IsHardwareAccelerated) TileVector(block, rows, width, i0, j0, tile);
            else TileScalar(block, rows, width, i0, j0, tile);
            for (int a = 0; a < TileRows; a++)
            {
                int o = (i0 + a) * width + j0;
                for (int b = 0; b < TileColumns; b++) scatter[o + b] += tile[a * TileColumns + b];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileVector(float[] block, int rows, int width, int i0, int j0, Span<float> tile)
    {
        var z = Vector256<float>.Zero;
        Vector256<float> c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        ref float x = ref block[0];
        for (int r = 0; r < rows; r++)
        {
            int o = r * width;
            var b0 = Vector256.LoadUnsafe(ref x, (nuint)(o + j0));
            var b1 = Vector256.LoadUnsafe(ref x, (nuint)(o + j0 + 8));
            var a0 = Vector256.Create(Unsafe.Add(ref x, o + i0));
            var a1 = Vector256.Create(Unsafe.Add(ref x, o + i0 + 1));
            var a2 = Vector256.Create(Unsafe.Add(ref x, o + i0 + 2));
            var a3 = Vector256.Create(Unsafe.Add(ref x, o + i0 + 3));
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00); c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10); c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20); c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30); c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
        }
        c00.CopyTo(tile); c01.CopyTo(tile[8..]);
        c10.CopyTo(tile[16..]); c11.CopyTo(tile[24..]);
        c20.CopyTo(tile[32..]); c21.CopyTo(tile[40..]);
        c30.CopyTo(tile[48..]); c31.CopyTo(tile[56..]);
    }

    private static void TileScalar(float[] block, int rows, int width, int i0, int j0, Span<float> tile)
    {
        tile.Clear();
        for (int r = 0; r < rows; r++)
        {
            int o = r * width;
            for (int a = 0; a < TileRows; a++)
            {
                float xa = block[o + i0 + a];
                for (int b = 0; b < TileColumns; b++) tile[a * TileColumns + b] = MathF.FusedMultiplyAdd(xa, block[o + j0 + b], tile[a * TileColumns + b]);
            }
        }
    }
}
