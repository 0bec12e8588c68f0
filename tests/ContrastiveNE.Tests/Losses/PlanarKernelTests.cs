using ContrastiveNE.Losses;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Losses;

/// <summary>
/// The eight-lane kernels (InfoNCE and NEG/NCE; Cauchy, d = 2, sampled negatives) draw their own negatives, so it is checked on whole
/// sampled batches: for a fixed (seed, stream) the negatives do not depend on the positions, so the batch loss is a
/// smooth function of them and its central differences must match the returned gradient.
/// </summary>
public class PlanarKernelTests
{
    [Theory]
    [InlineData(LossMode.InfoNce, 1f, 19)]
    [InlineData(LossMode.InfoNce, 0.7f, 19)]
    [InlineData(LossMode.InfoNceAlt, 1f, 19)]
    [InlineData(LossMode.Neg, 1f, 19)]
    [InlineData(LossMode.Neg, 0.05f, 19)]
    [InlineData(LossMode.Neg, 40f, 19)]
    [InlineData(LossMode.Nce, 1f, 19)]
    [InlineData(LossMode.InfoNce, 0.7f, 27)]
    [InlineData(LossMode.Neg, 1f, 27)]
    [InlineData(LossMode.Nce, 1f, 27)]
    public void SampledBatchGradientMatchesCentralDifferences(LossMode mode, float rho, int b)
    {
        // 19 heads: one sixteen-lane group (or two eight-lane groups) and a scalar tail of three; 27 heads: a
        // sixteen-lane group, an eight-lane group and three scalar heads where AVX-512 runs.
        const int d = 2;
        var random = Xoshiro256.Create(11, 2);
        var f = new float[2 * b * d];
        for (int i = 0; i < f.Length; i++) f[i] = (float)(1.5 * random.NextGaussian());
        var kernel = new BatchLoss(mode, SimilarityMetric.Euclidean, 5, 1f, 1f, mode is LossMode.Neg or LossMode.Nce ? 1e-4f : 1e-10f, 1f,
            LossAggregation.Sum);
        var gradient = new float[f.Length];
        var result = kernel.Compute((float[])f.Clone(), b, d, rho, 0, 1f, 42, 9, gradient, 1);
        Assert.Equal(5, result.Negatives);
        double scale = gradient.Max(Math.Abs);
        Assert.True(scale > 1e-3, "the batch should have a non-trivial gradient");
        const float h = 1e-2f;
        if (mode == LossMode.Nce)
        {
            // log Z enters through c = Z·m; its gradient comes from the lane sums of dℓ/dc.
            double up = kernel.Compute((float[])f.Clone(), b, d, rho, 0.05f, 1f, 42, 9, new float[f.Length], 1).Loss;
            double down = kernel.Compute((float[])f.Clone(), b, d, rho, -0.05f, 1f, 42, 9, new float[f.Length], 1).Loss;
            double numericZ = (up - down) / 0.1;
            Assert.True(Math.Abs(result.LogZGradient - numericZ) <= 1e-2 * Math.Abs(numericZ) + 1e-3, $"d/dlogZ {result.LogZGradient} vs {numericZ}");
        }
        var scratch = new float[f.Length];
        for (int e = 0; e < f.Length; e++)
        {
            var plus = (float[])f.Clone();
            plus[e] += h;
            var minus = (float[])f.Clone();
            minus[e] -= h;
            double up = kernel.Compute(plus, b, d, rho, 0, 1f, 42, 9, scratch, 1).Loss;
            double down = kernel.Compute(minus, b, d, rho, 0, 1f, 42, 9, scratch, 1).Loss;
            double numeric = (up - down) / (plus[e] - minus[e]);
            Assert.True(Math.Abs(gradient[e] - numeric) <= 2e-2 * Math.Abs(numeric) + 2e-3 * scale,
                $"{mode} ρ={rho}: entry {e}: analytic {gradient[e]} vs numeric {numeric}");
        }
    }

    [Fact]
    public void SameSeedAndStreamGiveBitIdenticalBatchesAtOneAndTwoThreads()
    {
        const int b = 40000, d = 2; // two work units
        var random = Xoshiro256.Create(5, 1);
        var f = new float[2 * b * d];
        for (int i = 0; i < f.Length; i++) f[i] = (float)(10 * random.NextGaussian());
        var kernel = new BatchLoss(LossMode.InfoNce, SimilarityMetric.Euclidean, 5, 1f, 1f, 1e-10f, 1f, LossAggregation.Sum);
        var one = new float[f.Length];
        var two = new float[f.Length];
        double lossOne = kernel.Compute(f, b, d, 1f, 0, 1f, 3, 4, one, 1).Loss;
        double lossTwo = kernel.Compute(f, b, d, 1f, 0, 1f, 3, 4, two, 2).Loss;
        Assert.Equal(lossOne, lossTwo);
        Assert.Equal(one, two);
        Assert.Contains(one, v => v != 0f);
    }
}
