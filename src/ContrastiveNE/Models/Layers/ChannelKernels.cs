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

    /// <summary>x̂ = (x − mean)·invStd and y = γ·x̂ + β (y may be null: x̂ only).</summary>
    public static void Normalise(float* x, float* xhat, float* y, int n, float mean, float invStd, float gamma, float beta)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> m = Vector512.Create(mean), s = Vector512.Create(invStd), g = Vector512.Create(gamma), b = Vector512.Create(beta);
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
            {
                var h = (Vector512.Load(x + k) - m) * s;
                Vector512.Store(h, xhat + k);
                Vector512.Store(g * h + b, y + k);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> m = Vector256.Create(mean), s = Vector256.Create(invStd), g = Vector256.Create(gamma), b = Vector256.Create(beta);
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var h = (Vector256.Load(x + k) - m) * s;
                Vector256.Store(h, xhat + k);
                Vector256.Store(g * h + b, y + k);
            }
        }
        for (; k < n; k++)
        {
            float h = (x[k] - mean) * invStd;
            xhat[k] = h;
            y[k] = gamma * h + beta;
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

    /// <summary>Σ dy and Σ dy·x̂ in double (each product formed in float, as the scalar loop did).</summary>
    public static void GradientSums(float* dy, float* xhat, int n, ref double sumDy, ref double sumDyXhat)
    {
        int k = 0;
        double s0 = 0, s1 = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<double> a0 = Vector512<double>.Zero, a1 = Vector512<double>.Zero, b0 = Vector512<double>.Zero, b1 = Vector512<double>.Zero;
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
            {
                var g = Vector512.Load(dy + k);
                var (glo, ghi) = Vector512.Widen(g);
                var (plo, phi) = Vector512.Widen(g * Vector512.Load(xhat + k));
                a0 += glo; a1 += ghi;
                b0 += plo; b1 += phi;
            }
            s0 = Vector512.Sum(a0 + a1);
            s1 = Vector512.Sum(b0 + b1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            Vector256<double> a0 = Vector256<double>.Zero, a1 = Vector256<double>.Zero, b0 = Vector256<double>.Zero, b1 = Vector256<double>.Zero;
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var g = Vector256.Load(dy + k);
                var (glo, ghi) = Vector256.Widen(g);
                var (plo, phi) = Vector256.Widen(g * Vector256.Load(xhat + k));
                a0 += glo; a1 += ghi;
                b0 += plo; b1 += phi;
            }
            s0 = Vector256.Sum(a0 + a1);
            s1 = Vector256.Sum(b0 + b1);
        }
        for (; k < n; k++)
        {
            float g = dy[k];
            s0 += g;
            s1 += g * xhat[k];
        }
        sumDy += s0;
        sumDyXhat += s1;
    }

    /// <summary>dx = factor·(dy − meanDy − x̂·meanDyXhat).</summary>
    public static void InputGradient(float* dy, float* xhat, float* dx, int n, float factor, float meanDy, float meanDyXhat)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> f = Vector512.Create(factor), m = Vector512.Create(meanDy), mx = Vector512.Create(meanDyXhat);
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
                Vector512.Store(f * (Vector512.Load(dy + k) - m - Vector512.Load(xhat + k) * mx), dx + k);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> f = Vector256.Create(factor), m = Vector256.Create(meanDy), mx = Vector256.Create(meanDyXhat);
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
                Vector256.Store(f * (Vector256.Load(dy + k) - m - Vector256.Load(xhat + k) * mx), dx + k);
        }
        for (; k < n; k++) dx[k] = factor * (dy[k] - meanDy - xhat[k] * meanDyXhat);
    }
}
