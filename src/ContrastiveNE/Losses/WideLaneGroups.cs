using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Losses;

/// <summary>Eight xoshiro256** streams in the 64-bit lanes of one AVX-512 register set, seeded from a scalar stream.</summary>
internal struct Xoshiro256WideLanes
{
    private Vector512<ulong> _s0, _s1, _s2, _s3;

    /// <summary>Seeds the eight lanes with thirty-two draws of <paramref name="seed"/>.</summary>
    public static Xoshiro256WideLanes Create(ref Xoshiro256 seed)
    {
        var s = new Xoshiro256WideLanes();
        s._s0 = Draw(ref seed);
        s._s1 = Draw(ref seed);
        s._s2 = Draw(ref seed);
        s._s3 = Draw(ref seed);
        var zero = Vector512.Equals(s._s0 | s._s1 | s._s2 | s._s3, Vector512<ulong>.Zero);
        s._s0 |= zero & Vector512<ulong>.One;
        return s;
    }

    private static Vector512<ulong> Draw(ref Xoshiro256 seed) => Vector512.Create(
        Vector256.Create(seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64()),
        Vector256.Create(seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64()));

    /// <summary>The next 64 random bits of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> Next()
    {
        var s1 = _s1;
        var result = Avx512F.RotateLeft((s1 << 2) + s1, 7); // rotl(s1·5, 7)·9
        result = (result << 3) + result;
        var t = s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = Avx512F.RotateLeft(_s3, 45);
        return result;
    }
}

/// <summary>
/// The sixteen-lane (AVX-512) counterparts of <see cref="LaneNegatives"/>, <see cref="LaneRows"/>,
/// <see cref="PlanarInfoNceKernel.StorePairs"/> and <see cref="LaneMath"/>, for the wide lane kernels. The same
/// operations on twice the lanes: where AVX-512 runs at full width the kernels' arithmetic takes half the instructions.
/// </summary>
internal readonly struct WideLanes(int rows)
{
    /// <summary>Heads per group.</summary>
    public const int Lanes = 16;

    /// <summary>Whether the CPU runs the wide kernels (AVX-512 and AVX2's gathers, which AVX-512 has no API for here).</summary>
    public static bool IsSupported => Avx512F.IsSupported && Avx2.IsSupported && Vector512.IsHardwareAccelerated;

    private readonly Vector512<uint> _bound = Vector512.Create((ulong)(uint)(rows - 1)).AsUInt32();
    private readonly Vector512<ulong> _highMask = Vector512.Create(0xFFFFFFFF00000000UL);
    private readonly Vector512<int> _rows = Vector512.Create(rows);
    private static readonly Vector512<int> Even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> Odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    private static readonly Vector512<int> InterleaveLow = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> InterleaveHigh = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);

    /// <summary>Sixteen rows drawn as <see cref="LaneNegatives.Draw"/> draws eight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe Vector512<int> Draw(Vector512<ulong> bits, Vector512<int> start, int* column)
    {
        var r = (Avx512F.Multiply(bits.AsUInt32(), _bound) >>> 32) | (Avx512F.Multiply((bits >>> 32).AsUInt32(), _bound) & _highMask);
        var j = start + r.AsInt32();
        j -= Vector512.GreaterThanOrEqual(j, _rows) & _rows;
        Vector512.Store(j, column);
        return j;
    }

    /// <summary>x and y of sixteen rows of <paramref name="f"/> (two floats per row), as four four-row gathers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Gather(float* f, Vector512<int> rows, out Vector512<float> x, out Vector512<float> y)
    {
        var lowRows = rows.GetLower();
        var highRows = rows.GetUpper();
        var low = Vector512.Create(Avx2.GatherVector256((long*)f, lowRows.GetLower(), 8), Avx2.GatherVector256((long*)f, lowRows.GetUpper(), 8)).AsSingle();
        var high = Vector512.Create(Avx2.GatherVector256((long*)f, highRows.GetLower(), 8), Avx2.GatherVector256((long*)f, highRows.GetUpper(), 8)).AsSingle();
        x = Avx512F.PermuteVar16x32x2(low, Even, high);
        y = Avx512F.PermuteVar16x32x2(low, Odd, high);
    }

    /// <summary>x and y of the sixteen consecutive rows from <paramref name="first"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Load(float* f, int first, out Vector512<float> x, out Vector512<float> y)
    {
        var low = Vector512.Load(f + 2 * first);
        var high = Vector512.Load(f + 2 * first + 16);
        x = Avx512F.PermuteVar16x32x2(low, Even, high);
        y = Avx512F.PermuteVar16x32x2(low, Odd, high);
    }

    /// <summary>Stores sixteen (x, y) pairs interleaved, lane order kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StorePairs(Vector512<float> x, Vector512<float> y, float* destination)
    {
        Vector512.Store(Avx512F.PermuteVar16x32x2(x, InterleaveLow, y), destination);
        Vector512.Store(Avx512F.PermuteVar16x32x2(x, InterleaveHigh, y), destination + 16);
    }

    /// <summary><see cref="LaneMath.Split"/> on sixteen lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Split(Vector512<float> x, ref Vector512<int> exponent)
    {
        var bits = x.AsInt32();
        var e = (bits - Vector512.Create(LaneMath.SqrtHalfBits)) >> 23;
        exponent += e;
        return (bits - (e << 23)).AsSingle() + (x - x); // NaN and ∞ stay NaN
    }

    /// <summary><see cref="LaneMath.Log(Vector256{float})"/> on sixteen lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x) => Log(x, Vector512<int>.Zero);

    /// <summary><see cref="LaneMath.Log(Vector256{float}, Vector256{int})"/> on sixteen lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x, Vector512<int> exponent)
    {
        if (Vector512.LessThanAny(x, Vector512.Create(LaneMath.SmallestNormal)))
            return Vector512.Log(x) + Vector512.ConvertToSingle(exponent) * Vector512.Create(MathF.Log(2f));
        var m = Split(x, ref exponent);
        var one = Vector512<float>.One;
        var s = (m - one) / (m + one);
        var s2 = s * s;
        var series = ((s2 * Vector512.Create(1f / 9) + Vector512.Create(1f / 7)) * s2 + Vector512.Create(1f / 5)) * s2 + Vector512.Create(1f / 3);
        var twoS = s + s;
        var e = Vector512.ConvertToSingle(exponent);
        return e * Vector512.Create(LaneMath.Ln2High) + (twoS + (twoS * s2 * series + e * Vector512.Create(LaneMath.Ln2Low)));
    }
}

