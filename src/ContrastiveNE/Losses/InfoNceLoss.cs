using System.Runtime.CompilerServices;

namespace ContrastiveNE.Losses;

/// <summary>
/// InfoNCE (docs/method.md §2): ℓ = −κ[log q̃₊ − (1/ρ) log S] with q̃ the clamped similarities and S = q̃₊ + Σ q̃₋
/// (or Σ q̃₋ alone for SimCLR's form, <paramref name="includePositive"/> = false).
/// dℓ/dq₊ = −κ(1/q̃₊ − [positive in S]/(ρS)), dℓ/dq₋ = κ/(ρS), each zero where its clamp is active.
/// </summary>
internal readonly struct InfoNceLoss(float kappa, float rho, float clampLow, float clampHigh, bool includePositive) : IRowLoss
{
    private readonly float _kappa = kappa;
    private readonly float _invRho = 1f / rho;
    private readonly float _low = clampLow;
    private readonly float _high = clampHigh;
    private readonly bool _includePositive = includePositive;

    /// <summary>κ.</summary>
    public float Kappa => _kappa;

    /// <summary>1/ρ.</summary>
    public float InverseRho => _invRho;

    /// <summary>The clamp's lower bound.</summary>
    public float Low => _low;

    /// <summary>The clamp's upper bound.</summary>
    public float High => _high;

    /// <summary>Whether the positive is part of the normaliser S.</summary>
    public bool IncludePositive => _includePositive;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Row(ReadOnlySpan<float> q, Span<float> dq, ref float specGradient)
    {
        float q0 = q[0];
        bool active0 = q0 >= _low && q0 <= _high;
        float c0 = active0 ? q0 : MathF.Min(MathF.Max(q0, _low), _high);
        float sum = _includePositive ? c0 : 0f;
        for (int k = 1; k < q.Length; k++) sum += MathF.Min(MathF.Max(q[k], _low), _high);
        float kappa = _kappa;
        float shared = kappa * _invRho / sum; // κ/(ρS)
        for (int k = 1; k < q.Length; k++)
        {
            float qk = q[k];
            dq[k] = qk >= _low && qk <= _high ? shared : 0f;
        }
        dq[0] = active0 ? -kappa / c0 + (_includePositive ? shared : 0f) : 0f;
        // ρ = 1 is the common case (InfoNC-t-SNE): one logarithm per row instead of two.
        return _invRho == 1f ? -kappa * MathF.Log(c0 / sum) : -kappa * (MathF.Log(c0) - _invRho * MathF.Log(sum));
    }

    public int TermsPerHead(int negatives) => 1;
}
