using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ContrastiveNE.Losses;

/// <summary>
/// q = exp(cos(F_i, F_j) / τ) over rows pre-normalised to unit length (u = F / max(‖F‖, 1e-12), as PyTorch's
/// normalize). With c = u_i·u_j: ∂c/∂F_i = (u_j − c u_i)/‖F_i‖, so ∂q/∂F_i = (q/τ)(u_j − c u_i)/‖F_i‖.
/// A learnable τ = exp(log τ) gives ∂q/∂log τ = −q c/τ = −q ln q (zero while τ sits on its 0.02 floor).
/// </summary>
internal readonly struct CosineSimilarity(float[] unitRows, float[] inverseNorms, int dimension, float temperature, bool temperatureFloored) : ISimilarity
{
    private readonly float[] _u = unitRows;
    private readonly float[] _invNorm = inverseNorms;
    private readonly int _d = dimension;
    private readonly float _invTau = 1f / temperature;
    private readonly bool _floored = temperatureFloored;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Cos(int i, int j)
    {
        ref float u = ref MemoryMarshal.GetArrayDataReference(_u);
        ref float ui = ref Unsafe.Add(ref u, i * _d);
        ref float uj = ref Unsafe.Add(ref u, j * _d);
        float c = 0f;
        for (int t = 0; t < _d; t++) c += Unsafe.Add(ref ui, t) * Unsafe.Add(ref uj, t);
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Q(int i, int j) => MathF.Exp(Cos(i, j) * _invTau);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Backward(int i, int j, float q, float g, ref float gi, ref float gj)
    {
        float c = Cos(i, j);
        float s = g * q * _invTau;
        float si = s * _invNorm[i], sj = s * _invNorm[j];
        ref float u = ref MemoryMarshal.GetArrayDataReference(_u);
        ref float ui = ref Unsafe.Add(ref u, i * _d);
        ref float uj = ref Unsafe.Add(ref u, j * _d);
        for (int t = 0; t < _d; t++)
        {
            float a = Unsafe.Add(ref ui, t), b = Unsafe.Add(ref uj, t);
            Unsafe.Add(ref gi, t) += si * (b - c * a);
            Unsafe.Add(ref gj, t) += sj * (a - c * b);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float LogTemperatureGradient(float q) => _floored ? 0f : -q * MathF.Log(q);
}
