using ContrastiveNE.Losses;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Losses;

public class FiniteDifferenceTests
{
    public static TheoryData<LossMode, SimilarityMetric, int> AllCombinations()
    {
        var data = new TheoryData<LossMode, SimilarityMetric, int>();
        foreach (var mode in Enum.GetValues<LossMode>())
            foreach (var metric in Enum.GetValues<SimilarityMetric>())
                foreach (int d in new[] { 1, 2, 3, 5 })
                    if (!(mode == LossMode.Umap && metric == SimilarityMetric.Cosine)) // umap needs q ≤ 1: the Cauchy kernel
                        data.Add(mode, metric, d);
        return data;
    }

    private static (double[] F, int[] Columns) RandomBatch(int b, int d, int m, ulong seed, double spread)
    {
        var random = Xoshiro256.Create(seed, 7);
        var f = new double[2 * b * d];
        for (int i = 0; i < f.Length; i++) f[i] = (float)(spread * random.NextGaussian()); // representable in float32
        var columns = new int[b * (m + 1)];
        for (int i = 0; i < b; i++)
        {
            columns[i * (m + 1)] = i + b;
            for (int k = 1; k <= m; k++) columns[i * (m + 1) + k] = (i + 1 + random.NextInt(2 * b - 1)) % (2 * b);
        }
        return (f, columns);
    }

    private static void AssertKernelMatches(ReferenceLoss reference, double[] f, int b, int d, int[] columns, int m, double tolerance = 2e-3)
    {
        var kernel = new BatchLoss(reference.Mode, reference.Metric, m, (float)reference.Eps, (float)reference.BaseTemperature,
            (float)reference.ClampLow, (float)reference.ClampHigh, reference.Aggregation);
        var features = f.Select(x => (float)x).ToArray();
        var gradient = new float[features.Length];
        var result = kernel.Compute(features, b, d, (float)reference.Spec, (float)reference.LogZ, (float)reference.Temperature, 0, 0, gradient, 1, columns, m);
        double expected = reference.Evaluate(f, b, d, columns, m);
        Assert.True(Math.Abs(result.Loss - expected) <= 1e-4 * Math.Abs(expected) + 1e-5, $"loss {result.Loss} vs {expected}");
        var numeric = reference.NumericGradient(f, b, d, columns, m);
        double scale = numeric.Max(Math.Abs) + 1e-12;
        for (int i = 0; i < f.Length; i++)
            Assert.True(Math.Abs(gradient[i] - numeric[i]) <= tolerance * Math.Abs(numeric[i]) + tolerance * 0.1 * scale + 1e-5,
                $"{reference.Mode}/{reference.Metric} d={d}: entry {i}: analytic {gradient[i]} vs numeric {numeric[i]}");
        if (reference.Mode == LossMode.Nce)
        {
            double gz = reference.NumericLogZGradient(f, b, d, columns, m);
            Assert.True(Math.Abs(result.LogZGradient - gz) <= tolerance * Math.Abs(gz) + 1e-4, $"d/dlogZ {result.LogZGradient} vs {gz}");
        }
    }

    private static ReferenceLoss Reference(LossMode mode, SimilarityMetric metric, double spec = 0.7, double eps = 1.0,
        LossAggregation aggregation = LossAggregation.Sum)
    {
        bool euclid = metric == SimilarityMetric.Euclidean;
        return new ReferenceLoss(mode, metric, spec, eps, 0.5, 1.0, 0.2, euclid ? 1e-4 : double.NegativeInfinity,
            euclid ? 1.0 : double.PositiveInfinity, aggregation);
    }

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void GradientMatchesFiniteDifferences(LossMode mode, SimilarityMetric metric, int d)
    {
        const int b = 7, m = 4;
        var (f, columns) = RandomBatch(b, d, m, (ulong)(d * 31 + (int)mode * 7 + (int)metric), 1.0);
        AssertKernelMatches(Reference(mode, metric), f, b, d, columns, m);
        AssertKernelMatches(Reference(mode, metric, aggregation: LossAggregation.Mean), f, b, d, columns, m);
    }

    [Theory]
    [InlineData(LossMode.Umap, 1000.0, 1.0, 1.0)]   // q ≈ 1e-6 < 1e-4: the positive's log argument is clamped
    [InlineData(LossMode.Neg, 1000.0, 1.0, 1.0)]    // ξ = q/(q + 1) ≈ 1e-6: clamped
    [InlineData(LossMode.InfoNce, 0.01, 0.01, 1.0)] // q = 1/(0.01 + 1e-4) > 1: clamped at the upper bound
    public void AClampedTermCarriesExactlyZeroGradient(LossMode mode, double distance, double eps, double spec)
    {
        float[] f = [0f, 0f, (float)distance, 0f]; // one pair, no negatives
        var kernel = new BatchLoss(mode, SimilarityMetric.Euclidean, 0, (float)eps, 1f, 1e-4f, 1f, LossAggregation.Sum);
        var gradient = new float[4];
        kernel.Compute(f, 1, 2, (float)spec, 0, 0.5f, 0, 0, gradient, 1, [1], 0);
        Assert.All(gradient, g => Assert.Equal(0f, g));
        f[2] = 1f; // unclamped for comparison
        kernel.Compute(f, 1, 2, (float)spec, 0, 0.5f, 0, 0, gradient, 1, [1], 0);
        if (mode != LossMode.InfoNce) Assert.NotEqual(0f, gradient[0]);
    }

    [Theory]
    [InlineData(LossMode.Umap)]
    [InlineData(LossMode.Neg)]
    [InlineData(LossMode.InfoNce)]
    public void BatchesWithClampedTermsMatchFiniteDifferences(LossMode mode)
    {
        // Spread-out points drive umap's and NEG's (tiny c) positive estimators below 1e-4; eps = 0.01 with close
        // points drives InfoNCE's q above 1. The clamped reference is flat there, so agreement means zero gradients.
        const int b = 6, m = 3, d = 2;
        var (f, columns) = RandomBatch(b, d, m, 99, mode == LossMode.InfoNce ? 0.05 : 30.0);
        var reference = Reference(mode, SimilarityMetric.Euclidean, spec: mode == LossMode.Neg ? 1e-5 : 1.0, eps: mode == LossMode.InfoNce ? 0.01 : 1.0);
        AssertKernelMatches(reference, f, b, d, columns, m);
    }

    [Fact]
    public void SampledAndFullBatchNegativesAgreeWithTheReferenceOnTheirColumns()
    {
        // Full batch: m = 2b − 2 columns, all rows but the head and its partner.
        const int b = 5, d = 2;
        var (f, _) = RandomBatch(b, d, 1, 5, 1.0);
        int m = 2 * b - 2;
        var columns = FullBatchColumns.For(b);
        var reference = Reference(LossMode.InfoNce, SimilarityMetric.Euclidean, spec: 1.0);
        var full = new BatchLoss(LossMode.InfoNce, SimilarityMetric.Euclidean, -1, 1f, 1f, 1e-4f, 1f, LossAggregation.Sum);
        var gradient = new float[f.Length];
        var r = full.Compute(f.Select(x => (float)x).ToArray(), b, d, 1f, 0, 0.5f, 0, 0, gradient, 1);
        Assert.Equal(m, r.Negatives);
        Assert.Equal(reference.Evaluate(f, b, d, columns, m), r.Loss, 4);
    }

    [Fact]
    public void RandomNegativesNeverPickTheHeadAndCoverEveryOtherRow()
    {
        const int b = 4;
        var sampler = new RandomNegatives(b);
        var random = Xoshiro256.Create(3, 3);
        var columns = new int[2001];
        var seen = new HashSet<int>();
        for (int head = 0; head < b; head++)
        {
            seen.Clear();
            sampler.Fill(head, columns, ref random);
            Assert.Equal(head + b, columns[0]);
            for (int k = 1; k < columns.Length; k++)
            {
                Assert.NotEqual(head, columns[k]);
                Assert.InRange(columns[k], 0, 2 * b - 1);
                seen.Add(columns[k]);
            }
            Assert.Equal(2 * b - 1, seen.Count); // the partner included
        }
    }

    [Theory]
    [InlineData(LossMode.Neg)]
    [InlineData(LossMode.Nce)]
    [InlineData(LossMode.InfoNce)]
    [InlineData(LossMode.InfoNceAlt)]
    public void LearnableTemperatureGradientMatchesFiniteDifferences(LossMode mode)
    {
        // τ = 0.8 has been learned from τ₀ = 0.5: κ = τ₀/base stays 0.5 (the reference's κ), so τ reaches the loss only
        // through q = exp(cos/τ). The old code scaled κ with the current τ and added ℓ to dℓ/dlog τ.
        const int b = 5, m = 3, d = 3;
        const double tau0 = 0.5, tau = 0.8, h = 1e-5;
        var (f, columns) = RandomBatch(b, d, m, 17, 1.0);
        var features = f.Select(x => (float)x).ToArray();
        var kernel = new BatchLoss(mode, SimilarityMetric.Cosine, m, 1f, 1f, float.NegativeInfinity, float.PositiveInfinity, LossAggregation.Sum,
            kappaTemperature: (float)tau0);
        var r = kernel.Compute(features, b, d, 1.3f, 0.2f, (float)tau, 0, 0, new float[f.Length], 1, columns, m);
        ReferenceLoss At(double t) => new(mode, SimilarityMetric.Cosine, 1.3, 1.0, t, 1.0, 0.2, double.NegativeInfinity, double.PositiveInfinity,
            LossAggregation.Sum) { InitialTemperature = tau0 };
        Assert.Equal(At(tau).Evaluate(f, b, d, columns, m), r.Loss, 4);
        double numeric = (At(tau * Math.Exp(h)).Evaluate(f, b, d, columns, m) - At(tau * Math.Exp(-h)).Evaluate(f, b, d, columns, m)) / (2 * h);
        Assert.True(Math.Abs(numeric) > 1e-3, $"dℓ/dlog τ = {numeric} is too small to tell anything");
        Assert.True(Math.Abs(r.LogTemperatureGradient - numeric) <= 1e-3 * Math.Abs(numeric) + 1e-4, $"{mode}: dℓ/dlog τ {r.LogTemperatureGradient} vs {numeric}");
    }
}
