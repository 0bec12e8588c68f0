using System.Runtime.Intrinsics;

namespace ContrastiveNE.Models.Layers;

/// <summary>
/// The SIMD loops of batch normalisation over one contiguous block of a channel (the pixels of one image's plane, or
/// one value for 1-D normalisation). Sums widen each float to double before adding, in lanes, so they are as precise
/// as the element-by-element double sums they replace; element-wise outputs use the scalar formula's float operations
/// in the same order, so a lane computes exactly what the scalar tail would.
/// </summary>
internal static unsafe class ChannelKernels
{
    /// <summary>Σ p[k] in double.</summary>
    public static double Sum(float* p, int n)
    {
        int k = 0;
        double total = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<double> a = Vector512<double>.Zero, b = Vector512<double>.Zero;
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
            {
                var (lo, hi) = Vector512.Widen(Vector512.Load(p + k));
                a += lo;
                b += hi;
            }
            total = Vector512.Sum(a + b);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            Vector256<double> a = Vector256<double>.Zero, b = Vector256<double>.Zero;
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Load(p + k));
                a += lo;
                b += hi;
            }
            total = Vector256.Sum(a + b);
        }
        for (; k < n; k++) total += p[k];
        return total;
    }

    /// <summary>Σ (p[k] − mean)² in double.</summary>
    public static double SquaredDeviations(float* p, int n, double mean)
    {
        int k = 0;
        double total = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var m = Vector512.Create(mean);
            Vector512<double> a = Vector512<double>.Zero, b = Vector512<double>.Zero;
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
            {
                var (lo, hi) = Vector512.Widen(Vector512.Load(p + k));
                lo -= m;
                hi -= m;
                a += lo * lo;
                b += hi * hi;
            }
            total = Vector512.Sum(a + b);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var m = Vector256.Create(mean);
            Vector256<double> a = Vector256<double>.Zero, b = Vector256<double>.Zero;
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Load(p + k));
                lo -= m;
                hi -= m;
                a += lo * lo;
                b += hi * hi;
            }
            total = Vector256.Sum(a + b);
        }
        for (; k < n; k++) { double d = p[k] - mean; total += d * d; }
        return total;
    }

    /// <summary>
    /// A channel's normalisation x̂ = (x − mean)·invStd and output γ·x̂ + β, optionally rectified. The backward loops
    /// recompute x̂ and the rectifier's mask from the input with these operations, so they see exactly the forward values.
    /// </summary>
    public readonly record struct ChannelAffine(float Mean, float InvStd, float Gamma, float Beta, bool Relu);

    /// <summary>y = γ·x̂ + β with x̂ = (x − mean)·invStd, then max(y, 0) when <paramref name="relu"/> (as <see cref="Models.Relu"/> computes it).</summary>
    public static void Normalise(float* x, float* y, int n, float mean, float invStd, float gamma, float beta, bool relu)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> m = Vector512.Create(mean), s = Vector512.Create(invStd), g = Vector512.Create(gamma), b = Vector512.Create(beta);
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
            {
                var v = g * ((Vector512.Load(x + k) - m) * s) + b;
                if (relu) v = Vector512.Max(v, Vector512<float>.Zero);
                Vector512.Store(v, y + k);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> m = Vector256.Create(mean), s = Vector256.Create(invStd), g = Vector256.Create(gamma), b = Vector256.Create(beta);
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var v = g * ((Vector256.Load(x + k) - m) * s) + b;
                if (relu) v = Vector256.Max(v, Vector256<float>.Zero);
                Vector256.Store(v, y + k);
            }
        }
        for (; k < n; k++)
        {
            float v = gamma * ((x[k] - mean) * invStd) + beta;
            y[k] = relu ? MathF.Max(v, 0) : v;
        }
    }

    /// <summary>y = scale·x + shift.</summary>
    public static void Affine(float* x, float* y, int n, float scale, float shift)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a = Vector512.Create(scale), b = Vector512.Create(shift);
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
                Vector512.Store(a * Vector512.Load(x + k) + b, y + k);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a = Vector256.Create(scale), b = Vector256.Create(shift);
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
                Vector256.Store(a * Vector256.Load(x + k) + b, y + k);
        }
        for (; k < n; k++) y[k] = scale * x[k] + shift;
    }

    /// <summary>
    /// Σ g and Σ g·x̂ in double (each product formed in float), where x̂ is recomputed from the input x and g is dy,
    /// or dy masked by γ·x̂ + β &gt; 0 when the forward pass was rectified (as the rectifier's backward pass masks it).
    /// </summary>
    public static void GradientSums(float* dy, float* x, int n, ChannelAffine f, ref double sumDy, ref double sumDyXhat)
    {
        int k = 0;
        double s0 = 0, s1 = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<float> m = Vector512.Create(f.Mean), s = Vector512.Create(f.InvStd), ga = Vector512.Create(f.Gamma), be = Vector512.Create(f.Beta);
            Vector512<double> a0 = Vector512<double>.Zero, a1 = Vector512<double>.Zero, b0 = Vector512<double>.Zero, b1 = Vector512<double>.Zero;
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
            {
                var h = (Vector512.Load(x + k) - m) * s;
                var g = Vector512.Load(dy + k);
                if (f.Relu) g = Vector512.BitwiseAnd(g, Vector512.GreaterThan(ga * h + be, Vector512<float>.Zero));
                var (glo, ghi) = Vector512.Widen(g);
                var (plo, phi) = Vector512.Widen(g * h);
                a0 += glo; a1 += ghi;
                b0 += plo; b1 += phi;
            }
            s0 = Vector512.Sum(a0 + a1);
            s1 = Vector512.Sum(b0 + b1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            Vector256<float> m = Vector256.Create(f.Mean), s = Vector256.Create(f.InvStd), ga = Vector256.Create(f.Gamma), be = Vector256.Create(f.Beta);
            Vector256<double> a0 = Vector256<double>.Zero, a1 = Vector256<double>.Zero, b0 = Vector256<double>.Zero, b1 = Vector256<double>.Zero;
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var h = (Vector256.Load(x + k) - m) * s;
                var g = Vector256.Load(dy + k);
                if (f.Relu) g = Vector256.BitwiseAnd(g, Vector256.GreaterThan(ga * h + be, Vector256<float>.Zero));
                var (glo, ghi) = Vector256.Widen(g);
                var (plo, phi) = Vector256.Widen(g * h);
                a0 += glo; a1 += ghi;
                b0 += plo; b1 += phi;
            }
            s0 = Vector256.Sum(a0 + a1);
            s1 = Vector256.Sum(b0 + b1);
        }
        for (; k < n; k++)
        {
            float h = (x[k] - f.Mean) * f.InvStd;
            float g = f.Relu && !(f.Gamma * h + f.Beta > 0) ? 0f : dy[k];
            s0 += g;
            s1 += g * h;
        }
        sumDy += s0;
        sumDyXhat += s1;
    }

    /// <summary>dx = factor·(g − meanDy − x̂·meanDyXhat), with x̂ and g as in <see cref="GradientSums"/>.</summary>
    public static void InputGradient(float* dy, float* x, float* dx, int n, ChannelAffine f, float factor, float meanDy, float meanDyXhat)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> m = Vector512.Create(f.Mean), s = Vector512.Create(f.InvStd), ga = Vector512.Create(f.Gamma), be = Vector512.Create(f.Beta);
            Vector512<float> fa = Vector512.Create(factor), md = Vector512.Create(meanDy), mx = Vector512.Create(meanDyXhat);
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
            {
                var h = (Vector512.Load(x + k) - m) * s;
                var g = Vector512.Load(dy + k);
                if (f.Relu) g = Vector512.BitwiseAnd(g, Vector512.GreaterThan(ga * h + be, Vector512<float>.Zero));
                Vector512.Store(fa * (g - md - h * mx), dx + k);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> m = Vector256.Create(f.Mean), s = Vector256.Create(f.InvStd), ga = Vector256.Create(f.Gamma), be = Vector256.Create(f.Beta);
            Vector256<float> fa = Vector256.Create(factor), md = Vector256.Create(meanDy), mx = Vector256.Create(meanDyXhat);
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var h = (Vector256.Load(x + k) - m) * s;
                var g = Vector256.Load(dy + k);
                if (f.Relu) g = Vector256.BitwiseAnd(g, Vector256.GreaterThan(ga * h + be, Vector256<float>.Zero));
                Vector256.Store(fa * (g - md - h * mx), dx + k);
            }
        }
        for (; k < n; k++)
        {
            float h = (x[k] - f.Mean) * f.InvStd;
            float g = f.Relu && !(f.Gamma * h + f.Beta > 0) ? 0f : dy[k];
            dx[k] = factor * (g - meanDy - h * meanDyXhat);
        }
    }
}
