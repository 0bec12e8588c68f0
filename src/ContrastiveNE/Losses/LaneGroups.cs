using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ContrastiveNE.Losses;

/// <summary>
/// The negative draw of the lane kernels (<see cref="PlanarInfoNceKernel"/>, <see cref="PlanarEstimatorKernel"/>):
/// eight batch rows from one 64-bit output per lane pair, as docs/method.md §2 asks — r uniform in [0, 2b − 1) by Lemire's
/// multiply-shift on each 32-bit half, row (i + 1 + r) mod 2b, every row but the head.
/// </summary>
internal readonly struct LaneNegatives(int rows)
{
    private readonly Vector256<uint> _bound = Vector256.Create((ulong)(uint)(rows - 1)).AsUInt32();
    private readonly Vector256<ulong> _highMask = Vector256.Create(0xFFFFFFFF00000000UL);
    private readonly Vector256<int> _rows = Vector256.Create(rows);

    /// <summary>
    /// The rows drawn from <paramref name="bits"/> for heads whose next row is <paramref name="start"/>, also stored at
    /// <paramref name="column"/> for the write-back (which maps them to targets one by one: a scalar load per row is
    /// cheaper than a gather's).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe Vector256<int> Draw(Vector256<ulong> bits, Vector256<int> start, int* column)
    {
        var r = (Avx2.Multiply(bits.AsUInt32(), _bound) >>> 32) | (Avx2.Multiply((bits >>> 32).AsUInt32(), _bound) & _highMask);
        var j = start + r.AsInt32();
        j -= Vector256.GreaterThanOrEqual(j, _rows) & _rows;
        Vector256.Store(j, column);
        return j;
    }
}

/// <summary>
/// Loads of eight 2-D rows for the lane kernels, split into their x and y lanes. A row is one 64-bit element, so eight
/// rows are two four-element gathers (or four 128-bit loads when consecutive) and two shuffles, where gathering x and y
/// apart takes sixteen element loads — and on the CPU measured here a gather costs per element.
/// </summary>
internal static class LaneRows
{
    /// <summary>x and y of rows <paramref name="rows"/> of <paramref name="f"/> (two floats per row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Gather(float* f, Vector256<int> rows, out Vector256<float> x, out Vector256<float> y)
    {
        // Rows 0 1 4 5 into one register and 2 3 6 7 into the other: the shuffles, which work within 128-bit halves,
        // then leave x and y in lane order.
        var order = Avx2.Permute4x64(rows.AsInt64(), 0b11_01_10_00).AsInt32();
        var low = Avx2.GatherVector256((long*)f, order.GetLower(), 8).AsSingle();
        var high = Avx2.GatherVector256((long*)f, order.GetUpper(), 8).AsSingle();
        x = Avx.Shuffle(low, high, 0b10_00_10_00);
        y = Avx.Shuffle(low, high, 0b11_01_11_01);
    }

    /// <summary>x and y of the eight consecutive rows from <paramref name="first"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Load(float* f, int first, out Vector256<float> x, out Vector256<float> y)
    {
        float* p = f + 2 * first;
        var low = Vector256.Create(Vector128.Load(p), Vector128.Load(p + 8));       // rows 0 1 | 4 5
        var high = Vector256.Create(Vector128.Load(p + 4), Vector128.Load(p + 12)); // rows 2 3 | 6 7
        x = Avx.Shuffle(low, high, 0b10_00_10_00);
        y = Avx.Shuffle(low, high, 0b11_01_11_01);
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
    private readonly int _lanes;
    private readonly int* _record;

    /// <summary>
    /// Uses <paramref name="pairs"/> (4 · lanes · (m + 1) floats), <paramref name="columns"/> (2 · lanes · (m + 1)
    /// ints) and <paramref name="own"/> (4 · lanes floats), for groups of <paramref name="lanes"/> heads. With
    /// <paramref name="record"/> (a test hook, see BatchLoss.RecordedColumns) each group's columns are also written
    /// there, head i's at i · (m + 1), when the group is written back.
    /// </summary>
    public LaneWriteBack(float* pairs, int* columns, float* own, int m, int lanes, int* record = null)
    {
        _lanes = lanes;
        _record = record;
        int block = lanes * (m + 1);
        _pairs = pairs;
        _pairsPrevious = pairs + 2 * block;
        _columns = columns;
        _columnsPrevious = columns + block;
        _own = own;
        _ownPrevious = own + 2 * lanes;
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
        if (_previous < 0) return;
        if (_record != null) Record(b, m);
        PlanarInfoNceKernel.WriteLaneGradients(_lanes, _previous, b, m, g, a, targets, _columnsPrevious, _ownPrevious, _pairsPrevious);
        _previous = -1;
    }

    /// <summary>The previous group's columns, lane-major in the buffer, head-major into the record.</summary>
    private readonly void Record(int b, int m)
    {
        for (int lane = 0; lane < _lanes; lane++)
        {
            int i = _previous + lane;
            int* row = _record + i * (m + 1);
            row[0] = i + b;
            for (int k = 1; k <= m; k++) row[k] = _columnsPrevious[_lanes * k + lane];
        }
    }
}

/// <summary>Lane arithmetic the kernels need faster than the library gives it.</summary>
internal static class LaneMath
{
    internal const int SqrtHalfBits = 0x3F3504F3; // √½ as float bits
    internal const float SmallestNormal = 1.17549435e-38f;
    internal const float Ln2High = 0.693359375f;  // ln 2 in few bits, so e · Ln2High is exact
    internal const float Ln2Low = -2.12194440e-4f; // ln 2 − Ln2High

    /// <summary>
    /// Splits positive normal floats into x = m · 2^e with m in [√½, √2): returns m and adds e to
    /// <paramref name="exponent"/>. NaN and ∞ give NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Split(Vector256<float> x, ref Vector256<int> exponent)
    {
        var bits = x.AsInt32();
        var e = (bits - Vector256.Create(SqrtHalfBits)) >> 23;
        exponent += e;
        // x − x: 0 for finite x, NaN for NaN and ∞, so neither turns into a finite mantissa.
        return (bits - (e << 23)).AsSingle() + (x - x);
    }

    /// <summary>ln x for eight floats; see <see cref="Log(Vector256{float}, Vector256{int})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x) => Log(x, Vector256<int>.Zero);

    /// <summary>
    /// ln(x · 2^<paramref name="exponent"/>) for eight floats, within a few units in the last place: x = m · 2^e
    /// (<see cref="Split"/>), ln m = 2·atanh(s) with s = (m − 1)/(m + 1), |s| ≤ 0.172, by its series up to s⁹ (the
    /// first term left out, 2s¹¹/11, is below 1e-9). Cheaper than <see cref="Vector256.Log(Vector256{float})"/>: with
    /// two logarithms per row of six pairs the NEG lane kernel spent 1.2 ns per pair on the library's and 0.7 on this
    /// one (1 thread, here). NaN and ∞ give NaN; zero, subnormal and negative x (which the kernels' clamps rule out) go
    /// to the library's logarithm.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x, Vector256<int> exponent)
    {
        if (Vector256.LessThanAny(x, Vector256.Create(SmallestNormal)))
            return Vector256.Log(x) + Vector256.ConvertToSingle(exponent) * Vector256.Create(MathF.Log(2f));
        var m = Split(x, ref exponent);
        var one = Vector256<float>.One;
        var s = (m - one) / (m + one);
        var s2 = s * s;
        var series = ((s2 * Vector256.Create(1f / 9) + Vector256.Create(1f / 7)) * s2 + Vector256.Create(1f / 5)) * s2 + Vector256.Create(1f / 3);
        var twoS = s + s;
        var e = Vector256.ConvertToSingle(exponent);
        return e * Vector256.Create(Ln2High) + (twoS + (twoS * s2 * series + e * Vector256.Create(Ln2Low)));
    }
}
