using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Losses;

/// <summary>
/// NEG / NCE with the Cauchy kernel, d = 2 and sampled negatives, eight heads at a time: the counterpart of
/// <see cref="PlanarInfoNceKernel"/> (same lane streams, gathers and scalar pushes onto the negatives) for
/// <see cref="EstimatorLoss"/>. −Σ log of the clamped factors is taken as one log of their product per row
/// (<see cref="LaneMath"/>); every four columns the product is split into mantissa and exponent: each factor is at
/// least the lower clamp and at most 1, so a mantissa times four of them cannot underflow a float.
/// </summary>
internal static class PlanarEstimatorKernel
{
    /// <summary>The smallest lower clamp for which four factors stay far from float underflow.</summary>
    public const float MinimumClamp = 1e-9f;

    /// <summary>
    /// Runs the whole groups of eight heads in [<paramref name="first"/>, <paramref name="end"/>) and returns the first
    /// head not done; dℓ/dc is added to <paramref name="specGradient"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int Run(in EstimatorLoss loss, int first, int end, int b, int m, float eps, ref Xoshiro256Lanes random,
        float* f, float* g, float* a, int* targets, float* scratch, int* columns, ref double lossSum, ref float specGradient, int* record = null)
    {
        const int Lanes = PlanarInfoNceKernel.Lanes;
        int rows = 2 * b;
        float* own = stackalloc float[4 * Lanes];
        var writeBack = new LaneWriteBack(scratch, columns, own, m, Lanes, record); // the pairs are the only per-column buffer here
        var negativeRows = new LaneNegatives(rows);
        var laneOffsets = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var epsV = Vector256.Create(eps);
        var one = Vector256<float>.One;
        var low = Vector256.Create(loss.Low);
        var high = Vector256.Create(loss.High);
        var c = Vector256.Create(loss.C);
        var minusTwo = Vector256.Create(-2f);
        var specSum = Vector256<float>.Zero;
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
            var inv = one / (q0 + c);
            var xi = q0 * inv;
            var active0 = Vector256.GreaterThanOrEqual(xi, low) & Vector256.LessThanOrEqual(xi, high);
            var product = Avx.Min(Avx.Max(xi, low), high);
            var dq0 = active0 & (-c * inv / q0);
            var dc = active0 & inv;
            var negatives = Vector256<float>.Zero;
            var exponents = Vector256<int>.Zero;
            // The partner's term is known before the negatives': the head's sum starts with it, in column order.
            var coef0 = minusTwo * dq0 * q0 * q0;
            var sx = coef0 * dx0;
            var sy = coef0 * dy0;
            PlanarInfoNceKernel.StorePairs(sx, sy, writeBack.Pairs);
            var start = heads + Vector256<int>.One;
            for (int k = 1; k <= m; k++)
            {
                var j = negativeRows.Draw(rng.Next(), start, writeBack.Columns + Lanes * k);
                LaneRows.Gather(f, j, out var nx, out var ny);
                var dx = hx - nx;
                var dy = hy - ny;
                var q = one / (epsV + (dx * dx + dy * dy));
                var ik = one / (q + c);
                var rest = c * ik; // 1 − ξ
                var active = Vector256.GreaterThanOrEqual(rest, low) & Vector256.LessThanOrEqual(rest, high);
                product *= Avx.Min(Avx.Max(rest, low), high);
                negatives += active & (q * ik);
                var coef = minusTwo * (active & ik) * q * q;
                var vx = coef * dx;
                var vy = coef * dy;
                sx += vx;
                sy += vy;
                PlanarInfoNceKernel.StorePairs(vx, vy, writeBack.Pairs + 2 * Lanes * k);
                if ((k & 3) == 3) product = LaneMath.Split(product, ref exponents);
            }
            lossSum -= Vector256.Sum(LaneMath.Log(product, exponents));
            specSum += dc - negatives / c;
            PlanarInfoNceKernel.StorePairs(sx, sy, writeBack.Own);
            writeBack.Advance(i0, b, m, g, a, targets);
        }
        specGradient += Vector256.Sum(specSum);
        writeBack.Flush(b, m, g, a, targets);
        random = rng;
        return i0;
    }

    /// <summary>
    /// <see cref="Run"/> with sixteen heads per group (AVX-512, <see cref="WideLanes.IsSupported"/>): the same arithmetic
    /// per lane and the same write-back order, negatives from eight lane streams.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int RunWide(in EstimatorLoss loss, int first, int end, int b, int m, float eps, ref Xoshiro256WideLanes random,
        float* f, float* g, float* a, int* targets, float* scratch, int* columns, ref double lossSum, ref float specGradient, int* record = null)
    {
        const int Lanes = WideLanes.Lanes;
        int rows = 2 * b;
        float* own = stackalloc float[4 * Lanes];
        var writeBack = new LaneWriteBack(scratch, columns, own, m, Lanes, record); // the pairs are the only per-column buffer here
        var negativeRows = new WideLanes(rows);
        var laneOffsets = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var epsV = Vector512.Create(eps);
        var one = Vector512<float>.One;
        var low = Vector512.Create(loss.Low);
        var high = Vector512.Create(loss.High);
        var c = Vector512.Create(loss.C);
        var minusTwo = Vector512.Create(-2f);
        var specSum = Vector512<float>.Zero;
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
            var inv = one / (q0 + c);
            var xi = q0 * inv;
            var active0 = Vector512.GreaterThanOrEqual(xi, low) & Vector512.LessThanOrEqual(xi, high);
            var product = Avx512F.Min(Avx512F.Max(xi, low), high);
            var dq0 = active0 & (-c * inv / q0);
            var dc = active0 & inv;
            var negatives = Vector512<float>.Zero;
            var exponents = Vector512<int>.Zero;
            // The partner's term is known before the negatives': the head's sum starts with it, in column order.
            var coef0 = minusTwo * dq0 * q0 * q0;
            var sx = coef0 * dx0;
            var sy = coef0 * dy0;
            WideLanes.StorePairs(sx, sy, writeBack.Pairs);
            var start = heads + Vector512<int>.One;
            for (int k = 1; k <= m; k++)
            {
                var j = negativeRows.Draw(rng.Next(), start, writeBack.Columns + Lanes * k);
                WideLanes.Gather(f, j, out var nx, out var ny);
                var dx = hx - nx;
                var dy = hy - ny;
                var q = one / (epsV + (dx * dx + dy * dy));
                var ik = one / (q + c);
                var rest = c * ik; // 1 − ξ
                var active = Vector512.GreaterThanOrEqual(rest, low) & Vector512.LessThanOrEqual(rest, high);
                product *= Avx512F.Min(Avx512F.Max(rest, low), high);
                negatives += active & (q * ik);
                var coef = minusTwo * (active & ik) * q * q;
                var vx = coef * dx;
                var vy = coef * dy;
                sx += vx;
                sy += vy;
                WideLanes.StorePairs(vx, vy, writeBack.Pairs + 2 * Lanes * k);
                if ((k & 3) == 3) product = WideLanes.Split(product, ref exponents);
            }
            lossSum -= Vector512.Sum(WideLanes.Log(product, exponents));
            specSum += dc - negatives / c;
            WideLanes.StorePairs(sx, sy, writeBack.Own);
            writeBack.Advance(i0, b, m, g, a, targets);
        }
        specGradient += Vector512.Sum(specSum);
        writeBack.Flush(b, m, g, a, targets);
        random = rng;
        return i0;
    }
}
