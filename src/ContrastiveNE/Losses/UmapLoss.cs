using System.Runtime.CompilerServices;

namespace ContrastiveNE.Losses;

/// <summary>
/// UMAP's cross entropy (SPEC §2): ℓ = −log q₊ − Σ log(1 − q₋) with clamped arguments;
/// d(−log q)/dq = −1/q, d(−log(1 − q))/dq = 1/(1 − q).
/// </summary>
internal readonly struct UmapLoss(float clampLow, float clampHigh) : IRowLoss
{
    private readonly float _low = clampLow;
    private readonly float _high = clampHigh;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Row(ReadOnlySpan<float> q, Span<float> dq, ref float specGradient)
    {
        float q0 = q[0];
        float loss;
        if (q0 >= _low && q0 <= _high) { loss = -MathF.Log(q0); dq[0] = -1f / q0; }
        else { loss = -MathF.Log(Math.Clamp(q0, _low, _high)); dq[0] = 0f; }
        for (int k = 1; k < q.Length; k++)
        {
            float rest = 1f - q[k];
            if (rest >= _low && rest <= _high) { loss -= MathF.Log(rest); dq[k] = 1f / rest; }
            else { loss -= MathF.Log(Math.Clamp(rest, _low, _high)); dq[k] = 0f; }
        }
        return loss;
    }

    public int TermsPerHead(int negatives) => negatives + 1;
}
