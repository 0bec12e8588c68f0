using ContrastiveNE.Losses;
using ContrastiveNE.Randomness;
using Xunit.Abstractions;

namespace ContrastiveNE.Tests.Losses;

/// <summary>
/// The default hot path — Cauchy kernel, d = 2, negatives drawn inside the kernel — checked against the independent
/// double-precision transcription <see cref="ReferenceLoss"/>: the kernels report the negatives they drew
/// (<c>BatchLoss.RecordedColumns</c>), and loss and gradient must equal the reference's for those same negatives.
/// With 27 heads one batch runs a sixteen-lane group (where AVX-512 runs), an eight-lane group and three scalar heads
/// (without AVX-512: three eight-lane groups and the scalar tail; without AVX2: the scalar blocks only).
/// </summary>
public class LaneKernelReferenceTests(ITestOutputHelper output)
{
    private const int B = 27, D = 2, M = 5;

    public static TheoryData<LossMode, bool> Cases()
    {
        var data = new TheoryData<LossMode, bool>();
        foreach (var mode in new[] { LossMode.Neg, LossMode.Nce, LossMode.InfoNce, LossMode.InfoNceAlt, LossMode.Umap })
            foreach (bool clamped in new[] { false, true })
                data.Add(mode, clamped);
        return data;
    }

    /// <summary>
    /// Positions, eps and clamps. Unclamped: unit spread, eps = 1 and bounds no value reaches. Clamped: the default
    /// bounds [1e-4, 1] with eps = 1e-5 and a batch that mixes near-duplicate rows (q up to ~1e5: above 1, and 1 − ξ
    /// below 1e-4) with far rows (q ~ 1e-6: below 1e-4), so every mode has clamped terms.
    /// </summary>
    private static (double[] F, double Eps, double Low, double High) Batch(bool clamped, ulong seed)
    {
        var random = Xoshiro256.Create(seed, 5);
        var f = new double[2 * B * D];
        for (int i = 0; i < f.Length; i++) f[i] = (float)(1.0 * random.NextGaussian());
        if (!clamped) return (f, 1.0, 1e-9, 1e9);
        for (int r = 0; r < 2 * B; r++)
        {
            int kind = random.NextInt(3);
            if (kind == 0) // a near-duplicate of row 0
                for (int t = 0; t < D; t++) f[r * D + t] = (float)(f[t] + 1e-3 * random.NextGaussian());
            else if (kind == 1) // far away
                for (int t = 0; t < D; t++) f[r * D + t] = (float)(1000 * random.NextGaussian());
        }
        return (f, 1e-5, 1e-4, 1.0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LaneKernelsMatchTheReferenceOnTheNegativesTheyDrew(LossMode mode, bool clamped)
    {
        output.WriteLine($"16-lane kernels: {(WideLanes.IsSupported ? "run (AVX-512)" : "not on this CPU")}; 8-lane: {(PlanarInfoNceKernel.IsSupported ? "run" : "not on this CPU")}.");
        const float spec = 1.3f, logZ = 0.3f, temperature = 0.5f;
        int clampedTerms = 0;
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var (f, eps, low, high) = Batch(clamped, seed);
            var kernel = new BatchLoss(mode, SimilarityMetric.Euclidean, M, (float)eps, 1f, (float)low, (float)high, LossAggregation.Sum,
                kappaTemperature: temperature);
            var record = new int[B * (M + 1)];
            Array.Fill(record, -1);
            kernel.RecordedColumns = record;
            var gradient = new float[f.Length];
            var result = kernel.Compute(f.Select(x => (float)x).ToArray(), B, D, spec, logZ, temperature, 42, seed, gradient, 1);

            for (int i = 0; i < B; i++)
            {
                Assert.Equal(i + B, record[i * (M + 1)]);
                for (int k = 1; k <= M; k++)
                {
                    int j = record[i * (M + 1) + k];
                    Assert.InRange(j, 0, 2 * B - 1);
                    Assert.NotEqual(i, j);
                }
            }
            var reference = new ReferenceLoss(mode, SimilarityMetric.Euclidean, spec, eps, temperature, 1.0, logZ, low, high, LossAggregation.Sum);
            double expected = reference.Evaluate(f, B, D, record, M);
            Assert.True(Math.Abs(result.Loss - expected) <= 2e-5 * Math.Abs(expected) + 1e-4, $"{mode}: loss {result.Loss} vs reference {expected}");
            var numeric = reference.NumericGradient(f, B, D, record, M, h: 1e-7);
            double scale = numeric.Max(Math.Abs);
            for (int e = 0; e < f.Length; e++)
                Assert.True(Math.Abs(gradient[e] - numeric[e]) <= 1e-3 * Math.Abs(numeric[e]) + 1e-4 * scale,
                    $"{mode} clamped={clamped} seed {seed}: entry {e} (row {e / D}): kernel {gradient[e]} vs reference {numeric[e]}");
            clampedTerms += ClampedTerms(mode, f, record, eps, spec, Math.Exp(logZ) * M, low, high);
        }
        if (clamped) Assert.True(clampedTerms > 0, "no term was clamped: the clamped case tests nothing extra");
        else Assert.Equal(0, clampedTerms);
    }

    /// <summary>How many logarithm arguments of the batch lie outside [low, high] (each is clamped, with zero gradient).</summary>
    private static int ClampedTerms(LossMode mode, double[] f, int[] columns, double eps, double spec, double nceC, double low, double high)
    {
        int count = 0;
        double c = mode == LossMode.Nce ? nceC : spec;
        for (int i = 0; i < B; i++)
            for (int k = 0; k <= M; k++)
            {
                int j = columns[i * (M + 1) + k];
                double dx = f[2 * i] - f[2 * j], dy = f[2 * i + 1] - f[2 * j + 1];
                double q = 1 / (eps + dx * dx + dy * dy);
                double arg = mode switch
                {
                    LossMode.Neg or LossMode.Nce => k == 0 ? q / (q + c) : c / (q + c),
                    LossMode.Umap => k == 0 ? q : 1 - q,
                    _ => q,
                };
                if (arg < low || arg > high) count++;
            }
        return count;
    }

    [Theory]
    [InlineData(LossMode.InfoNce)]
    [InlineData(LossMode.Neg)]
    [InlineData(LossMode.Umap)]
    public void NegativesAreUniformOverTheOtherRowsOfTheBatch(LossMode mode)
    {
        // Head i's negatives: uniform with replacement over the 2b − 1 rows other than i, its partner i + b included.
        // Counted by offset (j − i − 1) mod 2b ∈ [0, 2b − 1) — offset b − 1 is the partner — per group of heads (the
        // sixteen-lane, eight-lane and scalar heads where AVX-512 runs), and a χ² test on each group's histogram.
        const int calls = 400;
        var f = new float[2 * B * D];
        var random = Xoshiro256.Create(8, 8);
        for (int i = 0; i < f.Length; i++) f[i] = (float)random.NextGaussian();
        var kernel = new BatchLoss(mode, SimilarityMetric.Euclidean, M, 1f, 1f, 1e-4f, 1f, LossAggregation.Sum);
        var record = new int[B * (M + 1)];
        kernel.RecordedColumns = record;
        (int First, int End)[] groups = [(0, 16), (16, 24), (24, B)];
        var histograms = new long[groups.Length, 2 * B - 1];
        for (int call = 0; call < calls; call++)
        {
            kernel.Compute((float[])f.Clone(), B, D, 1f, 0f, 0.5f, 7, (ulong)call, new float[f.Length], 1);
            for (int g = 0; g < groups.Length; g++)
                for (int i = groups[g].First; i < groups[g].End; i++)
                    for (int k = 1; k <= M; k++)
                    {
                        int j = record[i * (M + 1) + k];
                        Assert.NotEqual(i, j);
                        histograms[g, ((j - i - 1) % (2 * B) + 2 * B) % (2 * B)]++;
                    }
        }
        for (int g = 0; g < groups.Length; g++)
        {
            long total = 0;
            for (int r = 0; r < 2 * B - 1; r++) total += histograms[g, r];
            double expected = (double)total / (2 * B - 1), chi2 = 0;
            for (int r = 0; r < 2 * B - 1; r++) chi2 += Math.Pow(histograms[g, r] - expected, 2) / expected;
            output.WriteLine($"heads {groups[g].First}–{groups[g].End - 1}: {total} draws, χ² = {chi2:F1} on {2 * B - 2} degrees of freedom");
            Assert.True(histograms[g, B - 1] > 0, "the partner is never drawn");
            // 52 degrees of freedom: P(χ² > 100) ≈ 7e-5; fixed seeds, so the outcome does not vary between runs.
            Assert.True(chi2 < 100, $"heads {groups[g].First}–{groups[g].End - 1}: χ² = {chi2:F1}, the draw is not uniform");
        }
    }
}
