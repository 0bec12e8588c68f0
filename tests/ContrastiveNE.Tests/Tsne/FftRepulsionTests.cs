using ContrastiveNE.Randomness;
using ContrastiveNE.Tsne;

namespace ContrastiveNE.Tests.Tsne;

public class FftRepulsionTests
{
    private static float[] Points(int n, double spread, ulong seed)
    {
        // Gaussian clusters of different sizes, like an embedding mid-run.
        var random = Xoshiro256.Create(seed, 3);
        var y = new float[2 * n];
        for (int i = 0; i < n; i++)
        {
            int c = i % 5;
            y[2 * i] = (float)(spread * (c - 2) + (1 + c) * random.NextGaussian());
            y[2 * i + 1] = (float)(spread * ((c * 7) % 5 - 2) + random.NextGaussian());
        }
        return y;
    }

    // Measured relative errors (Z, RMS force) with p = 3, box ≤ 1: 4.2e-5 / 4.9e-3, 4.3e-4 / 8.5e-3, and for the
    // wide set 6.7e-5 / 3.0e-3 on a 1024 grid, 1.1e-3 / 2.4e-2 on the default cap of 512 (boxes ≈ 1.3 wide);
    // with p = 4: 7e-8 / 9.4e-5, 1.7e-7 / 2.5e-4, 1.2e-4 / 1.2e-3 (1024 grid).
    [Theory]
    [InlineData(500, 0.01, 3, 512, 1e-3, 1.5e-2)]
    [InlineData(800, 3.0, 3, 512, 1e-3, 1.5e-2)]
    [InlineData(1500, 20.0, 3, 1024, 1e-3, 1.5e-2)]
    [InlineData(1500, 20.0, 3, 512, 3e-3, 4e-2)]
    [InlineData(500, 0.01, 4, 512, 1e-5, 5e-4)]
    [InlineData(800, 3.0, 4, 512, 1e-5, 1e-3)]
    [InlineData(1500, 20.0, 4, 1024, 1e-3, 3e-3)]
    public void MatchesTheExactSums(int n, double spread, int points, int maxGrid, double zTolerance, double forceTolerance)
    {
        var y = Points(n, spread, (ulong)n);
        var exact = new double[2 * n];
        double zExact = FftRepulsion.Exact(y, exact);
        var fast = new double[2 * n];
        double z = new FftRepulsion { InterpolationPoints = points, MaxGridSize = maxGrid }.Compute(y, fast, threads: 2);
        Assert.InRange(Math.Abs(z - zExact) / zExact, 0, zTolerance);
        // Force errors relative to the typical force size.
        double norm = 0, error = 0;
        for (int i = 0; i < 2 * n; i++) { norm += exact[i] * exact[i]; error += (fast[i] - exact[i]) * (fast[i] - exact[i]); }
        Assert.InRange(Math.Sqrt(error / norm), 0, forceTolerance);
    }

    [Fact]
    public void ResultDoesNotDependOnTheThreadCount()
    {
        var y = Points(3000, 10, 9);
        var one = new double[y.Length];
        var two = new double[y.Length];
        double z1 = new FftRepulsion().Compute(y, one, 1);
        double z2 = new FftRepulsion().Compute(y, two, 2);
        Assert.Equal(z1, z2);
        Assert.Equal(one, two);
    }

    [Fact]
    public void FourierTransformRoundTripsAndMatchesTheDefinition()
    {
        const int m = 16;
        var fft = new Fft2d(m);
        var random = Xoshiro256.Create(1, 1);
        var re = new double[m];
        var im = new double[m];
        for (int i = 0; i < m; i++) { re[i] = random.NextGaussian(); im[i] = random.NextGaussian(); }
        var (r0, i0) = ((double[])re.Clone(), (double[])im.Clone());
        fft.Transform(re, im, inverse: false);
        for (int k = 0; k < m; k++)
        {
            double sr = 0, si = 0;
            for (int t = 0; t < m; t++)
            {
                double a = -2 * Math.PI * k * t / m;
                sr += r0[t] * Math.Cos(a) - i0[t] * Math.Sin(a);
                si += r0[t] * Math.Sin(a) + i0[t] * Math.Cos(a);
            }
            Assert.Equal(sr, re[k], 1e-9);
            Assert.Equal(si, im[k], 1e-9);
        }
        fft.Transform(re, im, inverse: true);
        for (int t = 0; t < m; t++)
        {
            Assert.Equal(r0[t], re[t] / m, 1e-12);
            Assert.Equal(i0[t], im[t] / m, 1e-12);
        }
    }
}
