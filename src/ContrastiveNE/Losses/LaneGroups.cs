using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ContrastiveNE.Losses;

/// <summary>
/// The negative draw of the lane kernels (<see cref="PlanarInfoNceKernel"/>, <see cref="PlanarEstimatorKernel"/>):
/// eight batch rows from one 64-bit output per lane pair, as SPEC §2 asks — r uniform in [0, 2b − 1) by Lemire's
/// multiply-shift on each 32-bit half, row (i + 1 + r) mod 2b, every row but the head.
/// </summary>
internal readonly struct LaneNegatives(int rows)
{
    private readonly Vector256<uint> _bound = Vector256.Create((ulong)(uint)(rows - 1)).AsUInt32();
    private readonly Vector256<ulong> _highMask = Vector256.Create(0xFFFFFFFF00000000UL);
    private readonly Vector256<int> _rows = Vector256.Create(rows);

    /// <summary>
    /// The rows drawn from <paramref name="bits"/> for heads whose next row is <paramref name="start"/>. The write-back
    /// needs each negative's accumulator row, stored at <paramref name="column"/>: the batch row, or with
    /// <paramref name="targets"/> that row's target.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe Vector256<int> Draw(Vector256<ulong> bits, Vector256<int> start, int* targets, int* column)
    {
        var r = (Avx2.Multiply(bits.AsUInt32(), _bound) >>> 32) | (Avx2.Multiply((bits >>> 32).AsUInt32(), _bound) & _highMask);
        var j = start + r.AsInt32();
        j -= Vector256.GreaterThanOrEqual(j, _rows) & _rows;
        Vector256.Store(targets != null ? Avx2.GatherVector256(targets, j, 4) : j, column);
        return j;
    }
}

/// <summary>
/// The write-back buffers of the lane kernels, in two sets: a group's pushes are written back while the next group
/// computes, so the scalar reads never wait on the vector stores that just filled them (a store-forwarding stall
/// per element).
/// </summary>
internal unsafe struct LaneWriteBack
{
    private float* _pairs, _pairsPrevious, _own, _ownPrevious;
    private int* _columns, _columnsPrevious;
    private int _previous;

    /// <summary>
    /// Uses <paramref name="pairs"/> (4 · Lanes · (m + 1) floats), <paramref name="columns"/> (2 · Lanes · (m + 1)
    /// ints) and <paramref name="own"/> (4 · Lanes floats).
    /// </summary>
    public LaneWriteBack(float* pairs, int* columns, float* own, int m)
    {
        int block = PlanarInfoNceKernel.Lanes * (m + 1);
        _pairs = pairs;
        _pairsPrevious = pairs + 2 * block;
        _columns = columns;
        _columnsPrevious = columns + block;
        _own = own;
        _ownPrevious = own + 2 * PlanarInfoNceKernel.Lanes;
        _previous = -1;
    }

    /// <summary>The current group's interleaved pair terms, block k for column k (0 = partner).</summary>
    public readonly float* Pairs => _pairs;

    /// <summary>The current group's columns (accumulator rows of its negatives, from block 1 on).</summary>
    public readonly int* Columns => _columns;

    /// <summary>The current group's own gradients, interleaved.</summary>
    public readonly float* Own => _own;

    /// <summary>Writes the previous group back and makes the group of heads from <paramref name="i0"/> the previous one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int i0, int b, int m, float* g, float* a, int* targets)
    {
        Flush(b, m, g, a, targets);
        _previous = i0;
        float* swap = _pairs; _pairs = _pairsPrevious; _pairsPrevious = swap;
        swap = _own; _own = _ownPrevious; _ownPrevious = swap;
        int* swapColumns = _columns; _columns = _columnsPrevious; _columnsPrevious = swapColumns;
    }

    /// <summary>Writes the previous group back, if any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Flush(int b, int m, float* g, float* a, int* targets)
    {
        if (_previous >= 0) PlanarInfoNceKernel.WriteLaneGradients(_previous, b, m, g, a, targets, _columnsPrevious, _ownPrevious, _pairsPrevious);
        _previous = -1;
    }
}
