using ContrastiveNE.Losses;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Losses;

/// <summary>
/// The full-batch cosine InfoNCE path (matrix products) against the per-pair kernel on the same columns, given
/// explicitly so that the general path runs.
/// </summary>
public class CosineInfoNceBatchTests
{
    [Theory]
    [InlineData(LossMode.InfoNce, 0.3f, LossAggregation.Mean, float.NegativeInfinity, float.PositiveInfinity, 37, 20)]
    [InlineData(LossMode.InfoNceAlt, 0.2f, LossAggregation.Sum, float.NegativeInfinity, float.PositiveInfinity, 16, 128)]
    [InlineData(LossMode.InfoNce, 0.01f, LossAggregation.Mean, float.NegativeInfinity, float.PositiveInfinity, 9, 7)] // floored τ
    [InlineData(LossMode.InfoNce, 0.5f, LossAggregation.Mean, 0.8f, 3f, 24, 16)]                                      // clamps bite
    [InlineData(LossMode.InfoNce, 0.5f, LossAggregation.Sum, float.NegativeInfinity, float.PositiveInfinity, 1, 5)]    // no negatives
    public void MatchesThePerPairKernel(LossMode mode, float temperature, LossAggregation aggregation, float low, float high, int b, int d)
    {
        var random = Xoshiro256.Create(91, (ulong)(b * 1000 + d));
        var features = new float[2 * b * d];
        for (int i = 0; i < features.Length; i++) features[i] = 2f * random.NextFloat() - 1f;
        // Positive pairs close together, as after training, so the loss is not dominated by random negatives.
        for (int i = 0; i < b * d; i++) features[b * d + i] = features[i] + 0.3f * (2f * random.NextFloat() - 1f);
        int m = 2 * b - 2;
        var columns = FullBatchColumns.For(b);

        BatchLoss Kernel() => new(mode, SimilarityMetric.Cosine, -1, 1f, 1f, low, high, aggregation);
        var expectedGradient = new float[features.Length];
        var expected = Kernel().Compute((float[])features.Clone(), b, d, 1f, 0, temperature, 5, 6, expectedGradient, 1, columns, m);
        var gradient = new float[features.Length];
        var actual = Kernel().Compute((float[])features.Clone(), b, d, 1f, 0, temperature, 5, 6, gradient, 1);

        Assert.Equal(m, actual.Negatives);
        Assert.Equal(expected.Loss, actual.Loss, 1e-5 * Math.Max(1, Math.Abs(expected.Loss)));
        Assert.Equal(expected.LogTemperatureGradient, actual.LogTemperatureGradient, 1e-5 * Math.Max(1, Math.Abs(expected.LogTemperatureGradient)));
        float largest = expectedGradient.Max(Math.Abs);
        Assert.True(b == 1 || largest > 0); // one pair alone: the loss is −log 1 whatever the features
        for (int i = 0; i < gradient.Length; i++) Assert.Equal(expectedGradient[i], gradient[i], 1e-4 * largest);

        // The same at two threads, bit for bit.
        var twoThreads = new float[features.Length];
        var again = Kernel().Compute((float[])features.Clone(), b, d, 1f, 0, temperature, 5, 6, twoThreads, 2);
        Assert.Equal(actual.Loss, again.Loss);
        Assert.Equal(actual.LogTemperatureGradient, again.LogTemperatureGradient);
        Assert.Equal(gradient, twoThreads);
    }
}
