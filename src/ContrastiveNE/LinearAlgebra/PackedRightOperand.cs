using System.Runtime.InteropServices;
using ContrastiveNE.Data;
using ContrastiveNE.Threading;

namespace ContrastiveNE.LinearAlgebra;

/// <summary>
/// The right operand Bᵀ of many products A·Bᵀ packed once into the GEMM's strip layout, so a caller that multiplies
/// many small A blocks against the same large B (the exact kNN search: query tiles × all data rows) does not repack
/// B for every block. B is stored row-major n × k; block p of k (of the GEMM's k-blocking) occupies
/// k-block-size × padded-n values, cut into NR-wide strips. Native memory, freed by <see cref="Dispose"/>.
/// </summary>
internal sealed unsafe class PackedRightOperand : IDisposable
{
    private readonly GemmGeometry _geometry;
    private readonly int _k, _kc, _paddedN;
    private float* _buffer;

    /// <summary>
    /// Packs the rows of <paramref name="b"/> (used transposed): a contiguous matrix straight from its buffer, a chunked
    /// one (more values than one array holds) through a scratch copy of each range of strips. The packed buffer is
    /// native memory, so it may exceed 2³¹ values; the result is the same either way.
    /// </summary>
    public PackedRightOperand(GemmPath path, Matrix b, int threads)
        : this(path, b.IsContiguous ? b.Data : default, b.Rows, b.Columns, threads, b.IsContiguous ? null : b)
    {
    }

    /// <summary>Packs the <paramref name="n"/> × <paramref name="k"/> row-major <paramref name="b"/> (used transposed).</summary>
    public PackedRightOperand(GemmPath path, ReadOnlySpan<float> b, int n, int k, int threads) : this(path, b, n, k, threads, null)
    {
    }

    private PackedRightOperand(GemmPath path, ReadOnlySpan<float> b, int n, int k, int threads, Matrix? chunked)
    {
        _geometry = GemmGeometry.For(path);
        _k = k;
        _kc = GemmGeometry.KcFor(k);
        int nr = _geometry.Nr;
        _paddedN = (n + nr - 1) / nr * nr;
        _buffer = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1L, (long)k * _paddedN) * sizeof(float), 64);
        int kc = _kc, paddedN = _paddedN, strips = _paddedN / nr;
        nint dst = (nint)_buffer;
        fixed (float* pb = b)
        {
            nint src = (nint)pb;
            // Ranges of 64 strips: each writes only its own strips, so packing splits over threads freely.
            Parallelism.ForRanges(strips, 64, threads, (s0, s1) =>
            {
                int j0 = s0 * nr, w = Math.Min(n, s1 * nr) - j0;
                if (chunked is null)
                {
                    for (int p0 = 0; p0 < k; p0 += kc)
                    {
                        int kcp = Math.Min(kc, k - p0);
                        GemmPacking.PackB(Transpose.Yes, (float*)src, null, k, p0, kcp, j0, w, nr, (float*)dst + (nint)p0 * paddedN + (nint)s0 * kcp * nr);
                    }
                    return;
                }
                // Chunked rows: gather the range's rows into one scratch block, pack it as rows 0 … w − 1.
                var rows = new float[(long)w * k];
                for (int r = 0; r < w; r++) chunked.Row(j0 + r).CopyTo(rows.AsSpan(r * k, k));
                fixed (float* gathered = rows)
                {
                    for (int p0 = 0; p0 < k; p0 += kc)
                    {
                        int kcp = Math.Min(kc, k - p0);
                        GemmPacking.PackB(Transpose.Yes, gathered, null, k, p0, kcp, 0, w, nr, (float*)dst + (nint)p0 * paddedN + (nint)s0 * kcp * nr);
                    }
                }
            });
        }
    }

    /// <summary>Row count that A blocks must be a multiple of (the kernel's MR; pad A with zero rows).</summary>
    public int RowMultiple => _geometry.Mr;

    /// <summary>Column offsets <see cref="Multiply"/> accepts are multiples of this (the strip width NR).</summary>
    public int ColumnMultiple => _geometry.Nr;

    /// <summary>
    /// C[0 … rows, 0 … w] ← α·A·Bᵀ[:, j0 … j0+w] for a row-major A (rows × k, stride lda; rows a multiple of
    /// <see cref="RowMultiple"/>) and j0 a multiple of <see cref="ColumnMultiple"/>. Single-threaded: callers
    /// parallelise over their own blocks.
    /// </summary>
    public void Multiply(float* a, nint lda, int rows, int j0, int w, float alpha, float* c, nint ldc)
    {
        ObjectDisposedException.ThrowIf(_buffer == null, this);
        int mr = _geometry.Mr, nr = _geometry.Nr;
        for (int p0 = 0; p0 < _k; p0 += _kc)
        {
            int kcp = Math.Min(_kc, _k - p0);
            float beta = p0 == 0 ? 0f : 1f;
            float* block = _buffer + (nint)p0 * _paddedN;
            for (int jr = 0; jr < w; jr += nr)
            {
                // One strip stays in L1 while every row panel of the (L2-resident) A block passes over it.
                float* strip = block + (nint)((j0 + jr) / nr) * kcp * nr;
                int nrHere = Math.Min(nr, w - jr);
                for (int ir = 0; ir < rows; ir += mr)
                    GemmKernels.Tile(_geometry.Path, kcp, a + ir * lda + p0, null, lda, 1, strip, c + ir * ldc + jr, ldc, mr, nrHere, alpha, beta);
            }
        }
    }

    /// <summary>Frees the packed buffer.</summary>
    public void Dispose()
    {
        if (_buffer != null)
        {
            NativeMemory.AlignedFree(_buffer);
            _buffer = null;
        }
    }
}
