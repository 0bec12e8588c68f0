using ILGPU;
using ILGPU.Algorithms;

namespace ContrastiveNE.Gpu.Kernels;

/// <summary>The scalars of one optimiser step (learning rate already scheduled, Adam's bias corrections precomputed on the host).</summary>
internal struct OptimizerParams
{
    /// <summary>This step's learning rate.</summary>
    public float LearningRate;
    /// <summary>Gradient entries are clipped to [−Clip, Clip] first; +∞ turns clipping off.</summary>
    public float Clip;
    /// <summary>SGD momentum μ (0 = plain SGD).</summary>
    public float Momentum;
    /// <summary>L2 weight decay added to the gradient (PyTorch's coupled form).</summary>
    public float WeightDecay;
    /// <summary>Adam β₁.</summary>
    public float Beta1;
    /// <summary>Adam β₂.</summary>
    public float Beta2;
    /// <summary>Adam ε.</summary>
    public float AdamEps;
    /// <summary>Adam: 1 − β₁ᵗ.</summary>
    public float BiasCorrection1;
    /// <summary>Adam: √(1 − β₂ᵗ).</summary>
    public float BiasCorrection2Sqrt;
}

/// <summary>
/// Clip-then-step kernels over a flat parameter vector, one thread per entry, following PyTorch's SGD and Adam
/// exactly (the gradient is dense: entries with zero gradient still see momentum, weight decay and Adam's moment
/// decay, as docs/method.md §1.5 says). Each kernel zeroes the gradient it consumed, ready for the next batch's atomics.
/// </summary>
internal static class OptimizerKernels
{
    /// <summary>SGD with optional momentum and weight decay; <paramref name="velocity"/> is unused when μ = 0.</summary>
    public static void Sgd(Index1D i, OptimizerParams p, ArrayView<float> value, ArrayView<float> grad, ArrayView<float> velocity)
    {
        float g = XMath.Clamp(grad[i], -p.Clip, p.Clip) + p.WeightDecay * value[i];
        grad[i] = 0f;
        if (p.Momentum != 0f)
        {
            // PyTorch starts the buffer at the first gradient; μ·0 + g is that same number.
            g = p.Momentum * velocity[i] + g;
            velocity[i] = g;
        }
        value[i] -= p.LearningRate * g;
    }

    /// <summary>Adam (PyTorch's form: lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε)).</summary>
    public static void Adam(Index1D i, OptimizerParams p, ArrayView<float> value, ArrayView<float> grad, ArrayView<float> m, ArrayView<float> v)
    {
        float g = XMath.Clamp(grad[i], -p.Clip, p.Clip) + p.WeightDecay * value[i];
        grad[i] = 0f;
        float mi = p.Beta1 * m[i] + (1f - p.Beta1) * g;
        float vi = p.Beta2 * v[i] + (1f - p.Beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        value[i] -= p.LearningRate / p.BiasCorrection1 * mi / (XMath.Sqrt(vi) / p.BiasCorrection2Sqrt + p.AdamEps);
    }
}
