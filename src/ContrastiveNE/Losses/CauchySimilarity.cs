using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ContrastiveNE.Losses;

/// <summary>
/// The Cauchy kernel q = 1 / (eps + ‖F_i − F_j‖²); ∂q/∂F_i = −2q²(F_i − F_j) = −∂q/∂F_j.
/// d = 2, the common case, is unrolled (a predictable branch, hoisted by the JIT).
/// </summary>
internal readonly struct CauchySimilarity(float[] features, int dimension, float eps) : ISimilarity
{
    private readonly float[] _f = features;
    private readonly int _d = dimension;
    private readonly float _eps = eps;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Q(int i, int j)
    {
        ref float f = ref MemoryMarshal.GetArrayDataReference(_f);
        int d = _d;
        float d2;
        if (d == 2)
        {
            float dx = Unsafe.Add(ref f, 2 * i) - Unsafe.Add(ref f, 2 * j);
            float dy = Unsafe.Add(ref f, 2 * i + 1) - Unsafe.Add(ref f, 2 * j + 1);
            d2 = dx * dx + dy * dy;
        }
        else
        {
            ref float fi = ref Unsafe.Add(ref f, i * d);
            ref float fj = ref Unsafe.Add(ref f, j * d);
            d2 = 0f;
            for (int t = 0; t < d; t++)
            {
                float diff = Unsafe.Add(ref fi, t) - Unsafe.Add(ref fj, t);
                d2 += diff * diff;
            }
        }
        return 1f / (_eps + d2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Backward(int i, int j, float q, float g, ref float gi, ref float gj)
    {
        ref float f = ref MemoryMarshal.GetArrayDataReference(_f);
        int d = _d;
        float coef = -2f * g * q * q;
        if (d == 2)
        {
            float dx = coef * (Unsafe.Add(ref f, 2 * i) - Unsafe.Add(ref f, 2 * j));
            float dy = coef * (Unsafe.Add(ref f, 2 * i + 1) - Unsafe.Add(ref f, 2 * j + 1));
            gi += dx;
            Unsafe.Add(ref gi, 1) += dy;
            gj -= dx;
            Unsafe.Add(ref gj, 1) -= dy;
            return;
        }
        ref float fi = ref Unsafe.Add(ref f, i * d);
        ref float fj = ref Unsafe.Add(ref f, j * d);
        for (int t = 0; t < d; t++)
        {
            float v = coef * (Unsafe.Add(ref fi, t) - Unsafe.Add(ref fj, t));
            Unsafe.Add(ref gi, t) += v;
            Unsafe.Add(ref gj, t) -= v;
        }
    }

    public float LogTemperatureGradient(float q) => 0f;
}
