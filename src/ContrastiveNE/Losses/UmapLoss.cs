using System.Runtime.CompilerServices;

namespace ContrastiveNE.Losses;

/// <summary>
/// UMAP's cross entropy (docs/method.md §2): ℓ = −log q₊ − Σ log(1 − q₋) with clamped arguments;
/// d(−log q)/dq = −1/q, d(−log(1 − q))/dq = 1/(1 − q).
/// </summary>
internal readonly struct UmapLoss(float clampLow, float clampHigh) : IRowLoss
{
    private readonly float _low = clampLow;
    private readonly float _high = clampHigh;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Row(ReadOnlySpan<float> q, Span<float> dq, ref float specGradient)
    {
        // One logarithm of the product per row, flushed before underflow (see EstimatorLoss).
        float q0 = q[0];
        double product, logs = 0;
        if (q0 >= _low && q0 <= _high) { product = q0; dq[0] = -1f / q0; }
        else { product = Math.Clamp(q0, _low, _high); dq[0] = 0f; }
        for (int k = 1; k < q.Length; k++)
        {
            float rest = 1f - q[k];
            if (rest >= _low && rest <= _high) { product *= rest; dq[k] = 1f / rest; }
            else { product *= Math.Clamp(rest, _low, _high); dq[k] = 0f; }
            if (product < 1e-250) { logs += Math.Log(product); product = 1; }
        }
        return (float)-(logs + Math.Log(product));
    }

    public int TermsPerHead(int negatives) => negatives + 1;
}
