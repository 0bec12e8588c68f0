using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ContrastiveNE.Losses;

/// <summary>
/// The default configuration — InfoNCE, Cauchy kernel, d = 2, negatives drawn from the batch — eight heads at a time
/// in AVX2 lanes: negatives from four interleaved xoshiro256** streams (two indices per 64-bit output, Lemire's
/// multiply-shift on each half), positions by 64-bit row loads (<see cref="LaneRows"/>), q, the row normaliser and the loss for eight rows at once.
/// Only the pushes onto the negatives stay scalar, in head order then column order as in the scalar kernel.
/// </summary>
/// <remarks>
/// A scalar head is one long dependency chain of about fifty instructions per pair; eight lanes cut that to a few
/// per pair. The lane streams are seeded from the unit's own stream, so the result stays thread-count independent.
/// </remarks>
internal static class PlanarInfoNceKernel
{
    /// <summary>Heads per group.</summary>
    public const int Lanes = 8;

    /// <summary>Heads per group of the widest lane kernel (the scratch buffers are sized for it).</summary>
    public const int MaxLanes = 16;

    /// <summary>Whether the CPU has what the kernel needs.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// Runs the whole groups of eight heads in [<paramref name="first"/>, <paramref name="end"/>) and returns the first
    /// head not done (the caller runs the rest with the scalar kernel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int Run(in InfoNceLoss loss, int first, int end, int b, int m, float eps, ref Xoshiro256Lanes random,
        float* f, float* g, float* a, int* targets, float* scratch, int* columns, ref double lossSum, int* record = null)
    {
        int rows = 2 * b, width = m + 1;
        float* dxs = scratch, dys = scratch + Lanes * width, qs = scratch + 2 * Lanes * width;
        float* own = stackalloc float[4 * Lanes];
        var writeBack = new LaneWriteBack(scratch + 3 * Lanes * width, columns, own, m, Lanes, record);
        var negatives = new LaneNegatives(rows);
        var laneOffsets = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var epsV = Vector256.Create(eps);
        var one = Vector256<float>.One;
        var low = Vector256.Create(loss.Low);
        var high = Vector256.Create(loss.High);
        var kappa = Vector256.Create(loss.Kappa);
        var sharedScale = Vector256.Create(loss.Kappa * loss.InverseRho);
        var minusTwo = Vector256.Create(-2f);
        float invRho = loss.InverseRho;
        bool includePositive = loss.IncludePositive;
        // A local copy keeps the lane states in registers; through the ref every draw went via memory.
        var rng = random;
        int i0 = first;
        for (; i0 + Lanes <= end; i0 += Lanes)
        {
            var heads = Vector256.Create(i0) + laneOffsets;
            LaneRows.Load(f, i0, out var hx, out var hy);
            LaneRows.Load(f, i0 + b, out var px, out var py);
            var dx0 = hx - px;
            var dy0 = hy - py;
            var q0 = one / (epsV + (dx0 * dx0 + dy0 * dy0));
            var c0 = Avx.Min(Avx.Max(q0, low), high);
            var sum = includePositive ? c0 : Vector256<float>.Zero;
            var start = heads + Vector256<int>.One;
            for (int k = 1; k <= m; k++)
            {
                var j = negatives.Draw(rng.Next(), start, writeBack.Columns + Lanes * k);
                LaneRows.Gather(f, j, out var nx, out var ny);
                var dx = hx - nx;
                var dy = hy - ny;
                var q = one / (epsV + (dx * dx + dy * dy));
                sum += Avx.Min(Avx.Max(q, low), high);
                // Keep dx, dy and q until the row's normaliser is known: dq is shared by all its negatives.
                Vector256.Store(dx, dxs + Lanes * k);
                Vector256.Store(dy, dys + Lanes * k);
                Vector256.Store(q, qs + Lanes * k);
            }
            var active0 = Vector256.GreaterThanOrEqual(q0, low) & Vector256.LessThanOrEqual(q0, high);
            var shared = sharedScale / sum;
            var dq0 = active0 & ((-kappa / c0) + (includePositive ? shared : Vector256<float>.Zero));
            var rowLoss = invRho == 1f
                ? -kappa * LaneMath.Log(c0 / sum)
                : -kappa * (LaneMath.Log(c0) - Vector256.Create(invRho) * LaneMath.Log(sum));
            lossSum += Vector256.Sum(rowLoss);
            var coef0 = minusTwo * dq0 * q0 * q0;
            var sx = coef0 * dx0;
            var sy = coef0 * dy0;
            StorePairs(sx, sy, writeBack.Pairs);
            for (int k = 1; k <= m; k++)
            {
                var q = Vector256.Load(qs + Lanes * k);
                var dq = (Vector256.GreaterThanOrEqual(q, low) & Vector256.LessThanOrEqual(q, high)) & shared;
                var coef = minusTwo * dq * q * q;
                var vx = coef * Vector256.Load(dxs + Lanes * k);
                var vy = coef * Vector256.Load(dys + Lanes * k);
                sx += vx;
                sy += vy;
                StorePairs(vx, vy, writeBack.Pairs + 2 * Lanes * k);
            }
            StorePairs(sx, sy, writeBack.Own);
            writeBack.Advance(i0, b, m, g, a, targets);
        }
        writeBack.Flush(b, m, g, a, targets);
        random = rng;
        return i0;
    }

    /// <summary>
    /// <see cref="Run"/> with sixteen heads per group (AVX-512, <see cref="WideLanes.IsSupported"/>): the same arithmetic
    /// per lane and the same write-back order, negatives from eight lane streams.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int RunWide(in InfoNceLoss loss, int first, int end, int b, int m, float eps, ref Xoshiro256WideLanes random,
        float* f, float* g, float* a, int* targets, float* scratch, int* columns, ref double lossSum, int* record = null)
    {
        const int Lanes = WideLanes.Lanes;
        int rows = 2 * b, width = m + 1;
        float* dxs = scratch, dys = scratch + Lanes * width, qs = scratch + 2 * Lanes * width;
        float* own = stackalloc float[4 * Lanes];
        var writeBack = new LaneWriteBack(scratch + 3 * Lanes * width, columns, own, m, Lanes, record);
        var negatives = new WideLanes(rows);
        var laneOffsets = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var epsV = Vector512.Create(eps);
        var one = Vector512<float>.One;
        var low = Vector512.Create(loss.Low);
        var high = Vector512.Create(loss.High);
        var kappa = Vector512.Create(loss.Kappa);
        var sharedScale = Vector512.Create(loss.Kappa * loss.InverseRho);
        var minusTwo = Vector512.Create(-2f);
        float invRho = loss.InverseRho;
        bool includePositive = loss.IncludePositive;
        // A local copy keeps the lane states in registers.
        var rng = random;
        int i0 = first;
        for (; i0 + Lanes <= end; i0 += Lanes)
        {
            var heads = Vector512.Create(i0) + laneOffsets;
            WideLanes.Load(f, i0, out var hx, out var hy);
            WideLanes.Load(f, i0 + b, out var px, out var py);
            var dx0 = hx - px;
            var dy0 = hy - py;
            var q0 = one / (epsV + (dx0 * dx0 + dy0 * dy0));
            var c0 = Avx512F.Min(Avx512F.Max(q0, low), high);
            var sum = includePositive ? c0 : Vector512<float>.Zero;
            var start = heads + Vector512<int>.One;
            for (int k = 1; k <= m; k++)
            {
                var j = negatives.Draw(rng.Next(), start, writeBack.Columns + Lanes * k);
                WideLanes.Gather(f, j, out var nx, out var ny);
                var dx = hx - nx;
                var dy = hy - ny;
                var q = one / (epsV + (dx * dx + dy * dy));
                sum += Avx512F.Min(Avx512F.Max(q, low), high);
                // Keep dx, dy and q until the row's normaliser is known: dq is shared by all its negatives.
                Vector512.Store(dx, dxs + Lanes * k);
                Vector512.Store(dy, dys + Lanes * k);
                Vector512.Store(q, qs + Lanes * k);
            }
            var active0 = Vector512.GreaterThanOrEqual(q0, low) & Vector512.LessThanOrEqual(q0, high);
            var shared = sharedScale / sum;
            var dq0 = active0 & ((-kappa / c0) + (includePositive ? shared : Vector512<float>.Zero));
            var rowLoss = invRho == 1f
                ? -kappa * WideLanes.Log(c0 / sum)
                : -kappa * (WideLanes.Log(c0) - Vector512.Create(invRho) * WideLanes.Log(sum));
            lossSum += Vector512.Sum(rowLoss);
            var coef0 = minusTwo * dq0 * q0 * q0;
            var sx = coef0 * dx0;
            var sy = coef0 * dy0;
            WideLanes.StorePairs(sx, sy, writeBack.Pairs);
            for (int k = 1; k <= m; k++)
            {
                var q = Vector512.Load(qs + Lanes * k);
                var dq = (Vector512.GreaterThanOrEqual(q, low) & Vector512.LessThanOrEqual(q, high)) & shared;
                var coef = minusTwo * dq * q * q;
                var vx = coef * Vector512.Load(dxs + Lanes * k);
                var vy = coef * Vector512.Load(dys + Lanes * k);
                sx += vx;
                sy += vy;
                WideLanes.StorePairs(vx, vy, writeBack.Pairs + 2 * Lanes * k);
            }
            WideLanes.StorePairs(sx, sy, writeBack.Own);
            writeBack.Advance(i0, b, m, g, a, targets);
        }
        writeBack.Flush(b, m, g, a, targets);
        random = rng;
        return i0;
    }

    /// <summary>Float buffer size the lane kernels need in their scratch, for m negatives.</summary>
    public static int ScratchFloats(int m) => 7 * MaxLanes * (m + 1);

    /// <summary>Int buffer size the lane kernels need for their columns, for m negatives.</summary>
    public static int ColumnInts(int m) => 2 * MaxLanes * (m + 1);

    /// <summary>Stores eight (x, y) pairs interleaved, lane order kept: x0 y0 x1 y1 … x7 y7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void StorePairs(Vector256<float> x, Vector256<float> y, float* destination)
    {
        var lowHalves = Avx.UnpackLow(x, y);   // x0 y0 x1 y1 | x4 y4 x5 y5
        var highHalves = Avx.UnpackHigh(x, y); // x2 y2 x3 y3 | x6 y6 x7 y7
        Vector256.Store(Avx.Permute2x128(lowHalves, highHalves, 0x20), destination);
        Vector256.Store(Avx.Permute2x128(lowHalves, highHalves, 0x31), destination + Lanes);
    }

    /// <summary>
    /// Writes one group of <see cref="Lanes"/> heads back (shared by the InfoNCE and estimator lane kernels). Pairs are
    /// interleaved (x, y): <paramref name="own"/> holds each head's own gradient, block k of <paramref name="pairs"/>
    /// the term of column k (0 = partner). Without targets the head's gradient and the negated partner term are
    /// written to rows i and i + b of g, and the negated negative terms are added to the private accumulator rows
    /// given in <paramref name="columns"/> (scalar: indices may repeat). With <paramref name="targets"/> everything is
    /// added to accumulator rows: targets[i], targets[i + b], and the targets of the batch rows in columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void WriteLaneGradients(int lanes, int i0, int b, int m, float* g, float* a, int* targets, int* columns,
        float* own, float* pairs)
    {
        for (int l = 0; l < lanes; l++)
        {
            int i = i0 + l;
            if (targets != null)
            {
                AddPair(a + 2 * targets[i], own + 2 * l);
                SubtractPair(a + 2 * targets[i + b], pairs + 2 * l);
                for (int k = 1; k <= m; k++)
                    SubtractPair(a + 2 * targets[columns[lanes * k + l]], pairs + 2 * (lanes * k + l));
            }
            else
            {
                *(double*)(g + 2 * i) = *(double*)(own + 2 * l);
                float* p = g + 2 * (i + b);
                p[0] = -pairs[2 * l];
                p[1] = -pairs[2 * l + 1];
                for (int k = 1; k <= m; k++)
                    SubtractPair(a + 2 * columns[lanes * k + l], pairs + 2 * (lanes * k + l));
            }
        }
    }

    /// <summary>t ← t − v for one (x, y) pair, as one 64-bit load, subtract and store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void SubtractPair(float* t, float* v)
    {
        var current = Sse2.LoadScalarVector128((double*)t).AsSingle();
        var term = Sse2.LoadScalarVector128((double*)v).AsSingle();
        Sse2.StoreScalar((double*)t, Sse.Subtract(current, term).AsDouble());
    }

    /// <summary>t ← t + v for one (x, y) pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddPair(float* t, float* v)
    {
        var current = Sse2.LoadScalarVector128((double*)t).AsSingle();
        var term = Sse2.LoadScalarVector128((double*)v).AsSingle();
        Sse2.StoreScalar((double*)t, Sse.Add(current, term).AsDouble());
    }
}

/// <summary>Four xoshiro256** streams in the 64-bit lanes of one AVX2 register set, seeded from a scalar stream.</summary>
internal struct Xoshiro256Lanes
{
    private Vector256<ulong> _s0, _s1, _s2, _s3;

    /// <summary>Seeds the four lanes with sixteen draws of <paramref name="seed"/>.</summary>
    public static Xoshiro256Lanes Create(ref ContrastiveNE.Randomness.Xoshiro256 seed)
    {
        var s = new Xoshiro256Lanes();
        s._s0 = Vector256.Create(seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64());
        s._s1 = Vector256.Create(seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64());
        s._s2 = Vector256.Create(seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64());
        s._s3 = Vector256.Create(seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64(), seed.NextUInt64());
        // xoshiro's one fixed point is the all-zero state; sixteen zero draws in a row do not happen in practice,
        // but a lane that gets them is set off it as the scalar generator does.
        var zero = Vector256.Equals(s._s0 | s._s1 | s._s2 | s._s3, Vector256<ulong>.Zero);
        s._s0 |= zero & Vector256<ulong>.One;
        return s;
    }

    /// <summary>The next 64 random bits of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<ulong> Next()
    {
        var s1 = _s1;
        var x = (s1 << 2) + s1;                // s1·5
        x = (x << 7) | (x >>> 57);             // rotl 7
        var result = (x << 3) + x;             // ·9
        var t = s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = (_s3 << 45) | (_s3 >>> 19);
        return result;
    }
}
