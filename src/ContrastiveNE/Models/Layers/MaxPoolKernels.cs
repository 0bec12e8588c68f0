using System.Runtime.Intrinsics;

namespace ContrastiveNE.Models.Layers;

/// <summary>SIMD rows of 2 × 2, stride-2 max pooling (the encoder's pooling), eight outputs at a time.</summary>
internal static unsafe class MaxPoolKernels
{
    /// <summary>
    /// Pools one output row: inputs at x[line …] (the top input row) and x[line + w …] (the bottom one), outputs and
    /// the chosen input indices at y and arg. Each lane makes the scalar loop's four comparisons in its order — a strict
    /// &gt; against a running best that starts at −∞ — so maxima, ties and NaN go exactly as there. Returns how many
    /// outputs it wrote from the start of the row (all of them, or none when the row is shorter than eight outputs or
    /// SIMD is unavailable; the caller finishes the rest). A row of fewer than eight outputs is still done in one group
    /// when <paramref name="mayOverrun"/> says that the group may read the 16 values from each of its two input rows and
    /// write eight outputs: the extra lanes then land on later outputs of the same image, which the caller overwrites
    /// when it gets there.
    /// </summary>
    public static int Row2x2(float* x, int line, int w, float* y, int* arg, int outW, bool mayOverrun)
    {
        if (!Vector512.IsHardwareAccelerated || (outW < Vector256<float>.Count && !mayOverrun)) return 0;
        var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
        var odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 1, 3, 5, 7, 9, 11, 13, 15);
        var lanes = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        var minusInfinity = Vector256.Create(float.NegativeInfinity);
        for (int ox = 0; ; ox += Vector256<float>.Count)
        {
            // The last group overlaps the one before instead of running past the row; it rewrites the same values.
            if (ox > outW - Vector256<float>.Count) ox = Math.Max(0, outW - Vector256<float>.Count);
            float* p = x + line + 2 * ox;
            var top = Vector512.Load(p);
            var bottom = Vector512.Load(p + w);
            var i0 = Vector256.Create(line + 2 * ox) + lanes;
            var best = minusInfinity;
            var index = i0;
            var v = Vector512.Shuffle(top, even).GetLower();
            var take = Vector256.GreaterThan(v, best);
            best = Vector256.ConditionalSelect(take, v, best);
            v = Vector512.Shuffle(top, odd).GetLower();
            take = Vector256.GreaterThan(v, best);
            best = Vector256.ConditionalSelect(take, v, best);
            index = Vector256.ConditionalSelect(take.AsInt32(), i0 + Vector256<int>.One, index);
            v = Vector512.Shuffle(bottom, even).GetLower();
            take = Vector256.GreaterThan(v, best);
            best = Vector256.ConditionalSelect(take, v, best);
            index = Vector256.ConditionalSelect(take.AsInt32(), i0 + Vector256.Create(w), index);
            v = Vector512.Shuffle(bottom, odd).GetLower();
            take = Vector256.GreaterThan(v, best);
            best = Vector256.ConditionalSelect(take, v, best);
            index = Vector256.ConditionalSelect(take.AsInt32(), i0 + Vector256.Create(w + 1), index);
            best.Store(y + ox);
            index.Store(arg + ox);
            if (ox >= outW - Vector256<float>.Count) return outW;
        }
    }
}
