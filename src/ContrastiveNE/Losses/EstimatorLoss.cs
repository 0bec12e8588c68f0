using System.Runtime.CompilerServices;

namespace ContrastiveNE.Losses;

/// <summary>
/// NEG and NCE (docs/method.md §2): the estimator ξ = q / (q + c) is the probability that a pair is a positive;
/// ℓ = −log ξ₊ − Σ log(1 − ξ₋). NEG takes c = neg_spec; NCE takes c = Z·m with a learnable log Z.
/// </summary>
/// <remarks>
/// The reference writes the Euclidean estimator as 1 / (1 + c(d² + eps)), which is q/(q + c) for the Cauchy q, and
/// the cosine NCE estimator as (q/Z) / (q/Z + m) = q / (q + Zm): one formula covers all four cases.
/// 1 − ξ is computed as c / (q + c) rather than by subtraction, which avoids the cancellation for ξ near 1.
/// Derivatives (clamped arguments contribute zero, as autograd's clamp does):
///   d(−log ξ)/dq = −c / (q (q + c)),  d(−log ξ)/dc = 1 / (q + c),
///   d(−log(1−ξ))/dq = 1 / (q + c),    d(−log(1−ξ))/dc = −q / (c (q + c)).
/// </remarks>
internal readonly struct EstimatorLoss(float c, float clampLow, float clampHigh) : IRowLoss
{
    private readonly float _c = c;
    private readonly float _low = clampLow;
    private readonly float _high = clampHigh;

    /// <summary>The noise constant c.</summary>
    public float C => _c;

    /// <summary>The clamp's lower bound.</summary>
    public float Low => _low;

    /// <summary>The clamp's upper bound.</summary>
    public float High => _high;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Row(ReadOnlySpan<float> q, Span<float> dq, ref float specGradient)
    {
        // −Σ log x_k = −log Π x_k: one logarithm per row instead of one per term. Every factor is clamped to
        // [1e-4, 1] (or is at most 1 for cosine), so the double product is flushed into the sum before it can underflow.
        float c = _c;
        float q0 = q[0];
        float inv = 1f / (q0 + c);
        float xi = q0 * inv;
        float dc = 0f, negatives = 0f;
        double product, logs = 0;
        if (xi >= _low && xi <= _high)
        {
            product = xi;
            dq[0] = -c * inv / q0;
            dc = inv;
        }
        else
        {
            product = Math.Clamp(xi, _low, _high);
            dq[0] = 0f;
        }
        for (int k = 1; k < q.Length; k++)
        {
            float qk = q[k];
            float ik = 1f / (qk + c);
            float rest = c * ik; // 1 − ξ
            if (rest >= _low && rest <= _high)
            {
                product *= rest;
                dq[k] = ik;
                negatives += qk * ik;
            }
            else
            {
                product *= Math.Clamp(rest, _low, _high);
                dq[k] = 0f;
            }
            if (product < 1e-250) { logs += Math.Log(product); product = 1; }
        }
        specGradient += dc - negatives / c;
        return (float)-(logs + Math.Log(product));
    }

    public int TermsPerHead(int negatives) => negatives + 1;
}
