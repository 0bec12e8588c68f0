using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ContrastiveNE.LinearAlgebra;

/// <summary>
/// Packs operands into the layout the micro-kernels stream: a block of op(B) (kc rows × w columns) becomes
/// ⌈w / NR⌉ strips, strip s holding kc rows of NR contiguous values (zero past column w), so the kernel reads B
/// with unit stride from an L1-resident strip. A is read in place except for a last panel with fewer than MR rows,
/// which is copied into a zero-padded MR-wide panel so the kernel never reads past the matrix.
/// </summary>
internal static unsafe class GemmPacking
{
    [ThreadStatic] private static float[]? t_panelB;
    [ThreadStatic] private static float[]? t_panelA;

    /// <summary>This thread's 64-byte-aligned B buffer of at least <paramref name="floats"/> values (reused across calls).</summary>
    public static float* BufferB(int floats) => Aligned(ref t_panelB, floats);

    /// <summary>This thread's 64-byte-aligned buffer for an edge panel of A.</summary>
    public static float* BufferA(int floats) => Aligned(ref t_panelA, floats);

    private static float* Aligned(ref float[]? buffer, int floats)
    {
        // Pinned, so the raw pointer stays valid for the thread's lifetime; 16 spare floats allow 64-byte alignment.
        if (buffer == null || buffer.Length < floats + 16)
            buffer = GC.AllocateUninitializedArray<float>(Math.Max(floats + 16, 1024), pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((p + 63) & ~(nint)63);
    }

    /// <summary>
    /// Packs op(B)[p0 … p0+kc, j0 … j0+w] into strips of <paramref name="nr"/> columns at <paramref name="dst"/>;
    /// strip s starts at dst + s·kc·nr. With a row index (<paramref name="rows"/> ≠ null; B not transposed), row p of
    /// op(B) is the stored row rows[p].
    /// </summary>
    public static void PackB(Transpose transB, float* b, int* rows, nint ldb, int p0, int kc, int j0, int w, int nr, float* dst)
    {
        if (transB == Transpose.No)
        {
            PackRows(b, rows, ldb, p0, kc, j0, w, nr, dst);
            return;
        }
        for (int js = 0; js < w; js += nr)
        {
            int width = Math.Min(nr, w - js);
            float* strip = dst + (nint)(js / nr) * kc * nr;
            // op(B) column j is stored row j: read it contiguously, scatter with stride nr.
            for (int jj = 0; jj < width; jj++)
            {
                float* src = b + (j0 + js + jj) * ldb + p0;
                for (int p = 0; p < kc; p++) strip[p * nr + jj] = src[p];
            }
            for (int jj = width; jj < nr; jj++)
                for (int p = 0; p < kc; p++) strip[p * nr + jj] = 0;
        }
    }

    /// <summary>
    /// The untransposed case of <see cref="PackB"/>: op(B) rows are stored rows, so each stored row segment is read
    /// once, front to back, and dealt out to the strips NR values at a time. Rows named by an index are scattered
    /// over memory, where the hardware prefetcher cannot follow; the segment two rows ahead is prefetched instead.
    /// </summary>
    private static void PackRows(float* b, int* rows, nint ldb, int p0, int kc, int j0, int w, int nr, float* dst)
    {
        int fullStrips = w / nr, rest = w - fullStrips * nr;
        nint stripStride = (nint)kc * nr;
        bool wide = Vector512.IsHardwareAccelerated && nr % 16 == 0;
        for (int p = 0; p < kc; p++)
        {
            float* src = b + (rows == null ? p0 + p : rows[p0 + p]) * ldb + j0;
            if (rows != null && p + 2 < kc) PrefetchRows(b, rows, ldb, p0 + p + 2, 1, j0, w);
            float* row = dst + p * nr;
            for (int s = 0; s < fullStrips; s++, src += nr, row += stripStride)
            {
                if (wide)
                    for (int t = 0; t < nr; t += 16) Vector512.Store(Vector512.Load(src + t), row + t);
                else
                    new ReadOnlySpan<float>(src, nr).CopyTo(new Span<float>(row, nr));
            }
            if (rest > 0)
            {
                for (int t = 0; t < rest; t++) row[t] = src[t];
                for (int t = rest; t < nr; t++) row[t] = 0;
            }
        }
    }

    /// <summary>
    /// Prefetches the stored segments [j0, j0 + w) of op(B) rows p0 … p0 + count (B not transposed; row p is the stored
    /// row rows[p] when <paramref name="rows"/> ≠ null), one request per cache line.
    /// </summary>
    public static void PrefetchRows(float* b, int* rows, nint ldb, int p0, int count, int j0, int w)
    {
        if (!Sse.IsSupported) return;
        nint bytes = (nint)w * sizeof(float);
        for (int p = p0; p < p0 + count; p++)
        {
            byte* src = (byte*)(b + (rows == null ? p : rows[p]) * ldb + j0);
            for (nint line = 0; line < bytes; line += 64) Sse.Prefetch0(src + line);
        }
    }

    /// <summary>
    /// Copies the strided view a[i·rs + p·cs] (mr rows, kc columns; row i at a + rows[i]·rs when
    /// <paramref name="rows"/> ≠ null) into an MR-wide panel, rows past mr zero.
    /// </summary>
    public static void PackEdgeA(float* a, int* rows, nint rs, nint cs, int mr, int kc, int mrFull, float* dst)
    {
        for (int p = 0; p < kc; p++)
        {
            float* col = dst + p * mrFull;
            for (int i = 0; i < mr; i++) col[i] = a[(rows == null ? i : rows[i]) * rs + p * cs];
            for (int i = mr; i < mrFull; i++) col[i] = 0;
        }
    }
}
