using System.Runtime.Intrinsics;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Tsne;

/// <summary>
/// Square two-dimensional discrete Fourier transforms of size M × M (M a power of two) in double precision, for the
/// circular convolutions of <see cref="FftRepulsion"/>: radix-2 decimation-in-time transforms of the rows, a blocked
/// transpose, the rows again. A forward transform leaves the spectrum transposed; the inverse transform expects that
/// layout and returns the plain one, so a forward–multiply–inverse chain never pays for the second transpose, and
/// two spectra computed the same way multiply elementwise. Rows known to be zero (the forward input) or not needed
/// (the inverse output) are skipped: the interpolation grid fills only the first N ≤ M/2 rows and columns.
/// </summary>
internal sealed class Fft2d
{
    private readonly int _m;
    private readonly int _log;
    private readonly int[] _reverse;
    private readonly double[] _stageCos;
    private readonly double[] _stageSin;

    /// <summary>Plans transforms of size <paramref name="m"/> × <paramref name="m"/>.</summary>
    public Fft2d(int m)
    {
        if (m < 2 || (m & (m - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(m), m, "The FFT size must be a power of two ≥ 2.");
        _m = m;
        _log = System.Numerics.BitOperations.Log2((uint)m);
        // Stage tables: entries half … 2·half − 1 hold exp(−2πi k / (2·half)), k < half.
        _stageCos = new double[m];
        _stageSin = new double[m];
        for (int half = 1; half < m; half *= 2)
        {
            for (int k = 0; k < half; k++)
            {
                double angle = -Math.PI * k / half;
                _stageCos[half + k] = Math.Cos(angle);
                _stageSin[half + k] = Math.Sin(angle);
            }
        }
        _reverse = new int[m];
        for (int i = 0; i < m; i++)
        {
            int r = 0;
            for (int b = 0; b < _log; b++) r |= ((i >> b) & 1) << (_log - 1 - b);
            _reverse[i] = r;
        }
    }

    /// <summary>The side M.</summary>
    public int Size => _m;

    /// <summary>
    /// Forward transform of the M × M array (re, im) whose rows ≥ <paramref name="nonZeroRows"/> are zero; the
    /// spectrum is left transposed (element [u, v] holds frequency (v, u)).
    /// </summary>
    public void Forward(double[] re, double[] im, int nonZeroRows, int threads)
    {
        Rows(re, im, 0, nonZeroRows, inverse: false, threads);
        Transpose(re, im, threads);
        Rows(re, im, 0, _m, inverse: false, threads);
    }

    /// <summary>
    /// Inverse transform (scaled by 1/M²) of a transposed spectrum from <see cref="Forward"/>; only the first
    /// <paramref name="neededRows"/> rows of the result are computed, the others hold intermediate values.
    /// </summary>
    public void Inverse(double[] re, double[] im, int neededRows, int threads)
    {
        Rows(re, im, 0, _m, inverse: true, threads);
        Transpose(re, im, threads);
        Rows(re, im, 0, neededRows, inverse: true, threads);
        double scale = 1.0 / ((double)_m * _m);
        Parallelism.ForRanges(neededRows, 64, threads, (s, e) =>
        {
            for (int i = s * _m; i < e * _m; i++) { re[i] *= scale; im[i] *= scale; }
        });
    }

    private void Rows(double[] re, double[] im, int first, int end, bool inverse, int threads)
        => Parallelism.ForRanges(end - first, 16, threads, (s, e) =>
        {
            for (int r = first + s; r < first + e; r++) Transform(re.AsSpan(r * _m, _m), im.AsSpan(r * _m, _m), inverse);
        });

    /// <summary>
    /// In-place radix-2 transform of one row (sign −1 forward, +1 inverse, unscaled). Each stage's twiddles lie
    /// contiguous in <see cref="_stageCos"/>/<see cref="_stageSin"/> from index half, so stages with half ≥ 4 run their
    /// butterflies four at a time on 256-bit vectors (re and im are separate arrays: no shuffles).
    /// </summary>
    internal void Transform(Span<double> re, Span<double> im, bool inverse)
    {
        int m = _m;
        for (int i = 0; i < m; i++)
        {
            int j = _reverse[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        // half = 1: twiddle 1.
        for (int a = 0; a + 1 < m; a += 2)
        {
            double br = re[a + 1], bi = im[a + 1];
            re[a + 1] = re[a] - br; im[a + 1] = im[a] - bi;
            re[a] += br; im[a] += bi;
        }
        double sign = inverse ? -1 : 1;
        var signVector = Vector256.Create(sign);
        for (int half = 2; half < m; half *= 2)
        {
            var wrTable = _stageCos.AsSpan(half, half);
            var wiTable = _stageSin.AsSpan(half, half);
            for (int start = 0; start < m; start += 2 * half)
            {
                var ar = re.Slice(start, half);
                var ai = im.Slice(start, half);
                var brs = re.Slice(start + half, half);
                var bis = im.Slice(start + half, half);
                int k = 0;
                if (Vector256.IsHardwareAccelerated && half >= 4)
                {
                    for (; k + 4 <= half; k += 4)
                    {
                        var wr = Vector256.Create<double>(wrTable.Slice(k, 4));
                        var wi = Vector256.Create<double>(wiTable.Slice(k, 4)) * signVector;
                        var xr = Vector256.Create<double>(brs.Slice(k, 4));
                        var xi = Vector256.Create<double>(bis.Slice(k, 4));
                        var tr = xr * wr - xi * wi;
                        var ti = xr * wi + xi * wr;
                        var yr = Vector256.Create<double>(ar.Slice(k, 4));
                        var yi = Vector256.Create<double>(ai.Slice(k, 4));
                        (yr - tr).CopyTo(brs.Slice(k, 4));
                        (yi - ti).CopyTo(bis.Slice(k, 4));
                        (yr + tr).CopyTo(ar.Slice(k, 4));
                        (yi + ti).CopyTo(ai.Slice(k, 4));
                    }
                }
                for (; k < half; k++)
                {
                    double wr = wrTable[k], wi = sign * wiTable[k];
                    double br = brs[k] * wr - bis[k] * wi, bi = brs[k] * wi + bis[k] * wr;
                    brs[k] = ar[k] - br;
                    bis[k] = ai[k] - bi;
                    ar[k] += br;
                    ai[k] += bi;
                }
            }
        }
    }

    private void Transpose(double[] re, double[] im, int threads)
    {
        const int Block = 32;
        int blocks = (_m + Block - 1) / Block;
        // Block rows in parallel; block (bi, bj) with bj ≥ bi swaps with (bj, bi), so each pair has one owner.
        Parallelism.For(blocks, threads, bi =>
        {
            for (int bj = bi; bj < blocks; bj++)
            {
                for (int i = bi * Block; i < Math.Min(_m, (bi + 1) * Block); i++)
                {
                    int j0 = bj == bi ? i + 1 : bj * Block;
                    for (int j = j0; j < Math.Min(_m, (bj + 1) * Block); j++)
                    {
                        int a = i * _m + j, b = j * _m + i;
                        (re[a], re[b]) = (re[b], re[a]);
                        (im[a], im[b]) = (im[b], im[a]);
                    }
                }
            }
        });
    }
}
