using ILGPU;
using ILGPU.Algorithms;

namespace ContrastiveNE.Gpu.Kernels;

/// <summary>
/// One batch of docs/method.md §2 in one kernel: thread i owns head i, gathers its rows from the table, evaluates the row-wise
/// loss over its positive and m negatives and scatter-adds d(loss)/d(row) into the table's gradient with atomics
/// (several batch rows may be the same data point; their gradients add up in that row, as the spec asks).
/// </summary>
/// <remarks>
/// Every loss is written through dℓ/dq of each column's similarity q, and q's gradient is the similarity's:
/// Cauchy q = 1/(eps + d²) has ∂q/∂F_i = −2q²(F_i − F_j) = −∂q/∂F_j; cosine q = exp(cos/τ) has
/// ∂q/∂F_i = (q/τ)(F_j/(|F_i||F_j|) − cos·F_i/|F_i|²). A clamped logarithm argument contributes its (clamped) value
/// to the loss and zero gradient, as autograd does. Columns are visited twice where the loss couples them (InfoNCE's
/// normaliser): once for the sum, once for the gradients; Philox regenerates the same negatives for free.
/// </remarks>
internal static class BatchLossKernel
{
    /// <summary>The kernel. <paramref name="rows"/>[r] is the table row of batch row r (2b entries);
    /// <paramref name="columns"/> is the explicit column table (used only for <see cref="GpuNegativeSource.Explicit"/>);
    /// <paramref name="loss"/>[LossSlot] receives the batch loss; <paramref name="logZ"/> holds nce's [log Z, dℓ/dlog Z]
    /// (read from and added to on the device, so the learnable Z never needs a round trip to the host).</summary>
    public static void Run(Index1D head, BatchLossParams p, ArrayView<float> table, ArrayView<int> rows, ArrayView<int> columns,
        ArrayView<float> grad, ArrayView<float> loss, ArrayView<float> logZ)
    {
        int i = head;
        int d = p.Dim;
        int self = rows[i] * d;
        int cols = p.Negatives + 1;
        bool infoNce = p.Mode >= (int)GpuLossMode.InfoNce;
        float c = p.Mode == (int)GpuLossMode.Nce ? XMath.Exp(logZ[0]) * p.Negatives : p.Spec;
        float selfNorm = p.Cosine != 0 ? Norm(table, self, d) : 1f;

        // Pass 1 (InfoNCE only): the normaliser S = Σ q over the columns it includes.
        float sum = 0f;
        if (infoNce)
        {
            for (int k = p.Mode == (int)GpuLossMode.InfoNce ? 0 : 1; k < cols; k++)
            {
                int other = rows[Column(p, columns, i, k)] * d;
                sum += XMath.Clamp(Similarity(p, table, self, other, selfNorm), p.ClampLow, p.ClampHigh);
            }
        }
        float dSum = p.Kappa / (p.Spec * sum);

        float rowLoss = infoNce ? p.Kappa / p.Spec * XMath.Log(sum) : 0f;
        float dLogC = 0f;
        for (int k = 0; k < cols; k++)
        {
            int other = rows[Column(p, columns, i, k)] * d;
            float otherNorm = p.Cosine != 0 ? Norm(table, other, d) : 1f;
            float q = Similarity(p, table, self, other, selfNorm);
            float dq; // dℓ/dq for this column
            if (infoNce)
            {
                // The similarities are clamped before they enter both logarithms; a clamped one carries no gradient.
                bool live = q >= p.ClampLow && q <= p.ClampHigh;
                dq = k == 0 && p.Mode == (int)GpuLossMode.InfoNceAlt ? 0f : dSum;
                if (k == 0)
                {
                    float a = XMath.Clamp(q, p.ClampLow, p.ClampHigh);
                    rowLoss -= p.Kappa * XMath.Log(a);
                    dq -= p.Kappa / a;
                }
                if (!live) dq = 0f;
            }
            else if (p.Mode == (int)GpuLossMode.Umap)
            {
                // −log q⁺ and −log(1 − q⁻).
                float arg = k == 0 ? q : 1f - q;
                float a = XMath.Clamp(arg, p.ClampLow, p.ClampHigh);
                rowLoss -= XMath.Log(a);
                bool live = arg >= p.ClampLow && arg <= p.ClampHigh;
                dq = live ? (k == 0 ? -1f / a : 1f / a) : 0f;
            }
            else
            {
                // ξ = q/(q + c): −log ξ has ∂/∂q = −c/(q(q+c)), ∂/∂c = 1/(q+c); −log(1 − ξ) = −log(c/(q+c)) has
                // ∂/∂q = 1/(q+c), ∂/∂c = −q/(c(q+c)). For Cauchy, ξ = 1/(1 + c(d² + eps)) is the same number.
                float qc = q + c;
                float arg = k == 0 ? q / qc : c / qc;
                float a = XMath.Clamp(arg, p.ClampLow, p.ClampHigh);
                rowLoss -= XMath.Log(a);
                bool live = arg >= p.ClampLow && arg <= p.ClampHigh;
                if (live)
                {
                    dq = k == 0 ? -c / (q * qc) : 1f / qc;
                    dLogC += k == 0 ? c / qc : -q / qc; // (∂ℓ/∂c)·c = ∂ℓ/∂log c = ∂ℓ/∂log Z
                }
                else dq = 0f;
            }

            dq *= p.Scale;
            if (dq == 0f) continue;
            if (p.Cosine != 0)
            {
                float dot = 0f;
                for (int t = 0; t < d; t++) dot += table[self + t] * table[other + t];
                float inv = 1f / (selfNorm * otherNorm);
                float cos = dot * inv;
                float g = dq * q / p.Tau; // dℓ/d(cos)
                for (int t = 0; t < d; t++)
                {
                    float fi = table[self + t], fj = table[other + t];
                    Atomic.Add(ref grad[self + t], g * (fj * inv - cos * fi / (selfNorm * selfNorm)));
                    Atomic.Add(ref grad[other + t], g * (fi * inv - cos * fj / (otherNorm * otherNorm)));
                }
            }
            else
            {
                float g = -2f * q * q * dq;
                for (int t = 0; t < d; t++)
                {
                    float diff = g * (table[self + t] - table[other + t]);
                    Atomic.Add(ref grad[self + t], diff);
                    Atomic.Add(ref grad[other + t], -diff);
                }
            }
        }

        Atomic.Add(ref loss[p.LossSlot], rowLoss * p.Scale);
        if (p.Mode == (int)GpuLossMode.Nce) Atomic.Add(ref logZ[1], dLogC * p.Scale);
    }

    /// <summary>The batch row of column k of head i (k = 0 is the positive).</summary>
    internal static int Column(BatchLossParams p, ArrayView<int> columns, int i, int k)
    {
        if (p.Source == (int)GpuNegativeSource.Explicit) return columns[i * (p.Negatives + 1) + k];
        int partner = i + p.Batch;
        if (k == 0) return partner;
        int j = k - 1;
        if (p.Source == (int)GpuNegativeSource.FullBatch)
        {
            // Enumerate the 2b rows without i and i + b (i < i + b always).
            if (j >= i) j++;
            if (j >= partner) j++;
            return j;
        }
        // Uniform over the 2b − 1 rows other than i: draw in [0, 2b − 1) and step over i. Four negatives per block.
        uint word = Philox.Word((uint)(j >> 2), (uint)i, p.BatchCounter, 0x6E656773u, p.KeyLo, p.KeyHi, j & 3);
        int r = Philox.Below(word, 2 * p.Batch - 1);
        return r >= i ? r + 1 : r;
    }

    private static float Similarity(BatchLossParams p, ArrayView<float> table, int self, int other, float selfNorm)
    {
        int d = p.Dim;
        if (p.Cosine != 0)
        {
            float dot = 0f;
            for (int t = 0; t < d; t++) dot += table[self + t] * table[other + t];
            return XMath.Exp(dot / (selfNorm * Norm(table, other, d)) / p.Tau);
        }
        float d2 = 0f;
        for (int t = 0; t < d; t++)
        {
            float diff = table[self + t] - table[other + t];
            d2 += diff * diff;
        }
        return 1f / (p.Eps + d2);
    }

    private static float Norm(ArrayView<float> table, int start, int d)
    {
        float s = 0f;
        for (int t = 0; t < d; t++) s += table[start + t] * table[start + t];
        return XMath.Max(XMath.Sqrt(s), 1e-12f); // the CPU engine's floor: a zero row has cos = 0, not NaN
    }
}
