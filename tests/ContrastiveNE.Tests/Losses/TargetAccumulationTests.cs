using ContrastiveNE.Losses;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Losses;

/// <summary>
/// With targets, the loss adds its gradient straight into a table-shaped array (what training a table needs). That
/// must equal the plain feature gradient scattered row by row onto the targets — for every loss, both similarities,
/// sampled and full-batch negatives, planar and general dimensions, lane groups and scalar tails, repeated items, and
/// more than one work unit — and it must add to what the array already holds.
/// </summary>
public class TargetAccumulationTests
{
    [Theory]
    [InlineData(LossMode.InfoNce, SimilarityMetric.Euclidean, 2, 5, 37)]
    [InlineData(LossMode.InfoNce, SimilarityMetric.Euclidean, 2, 5, 20000)]
    [InlineData(LossMode.Neg, SimilarityMetric.Euclidean, 2, 5, 37)]
    [InlineData(LossMode.Nce, SimilarityMetric.Euclidean, 2, 5, 37)]
    [InlineData(LossMode.Umap, SimilarityMetric.Euclidean, 2, 5, 37)]
    [InlineData(LossMode.InfoNceAlt, SimilarityMetric.Euclidean, 3, 4, 29)]
    [InlineData(LossMode.InfoNce, SimilarityMetric.Cosine, 5, 6, 29)]
    [InlineData(LossMode.Neg, SimilarityMetric.Euclidean, 2, -1, 13)]
    public void AddingIntoTargetsEqualsScatteringTheFeatureGradient(LossMode mode, SimilarityMetric metric, int d, int m, int b)
    {
        int tableRows = Math.Max(8, b / 3); // fewer table rows than batch rows: items repeat
        var random = Xoshiro256.Create(5, 77);
        var features = new float[2 * b * d];
        for (int i = 0; i < features.Length; i++) features[i] = (float)(2 * random.NextGaussian());
        var targets = new int[2 * b];
        for (int i = 0; i < targets.Length; i++) targets[i] = random.NextInt(tableRows);
        var loss = new BatchLoss(mode, metric, m, 1f, 0.5f, mode is LossMode.Neg or LossMode.Nce ? 1e-4f : 1e-10f, 1f, LossAggregation.Mean);

        var featureGradient = new float[features.Length];
        var plain = loss.Compute((float[])features.Clone(), b, d, 0.8f, 0.1f, 0.5f, 3, 4, featureGradient, 2);
        var expected = new double[tableRows * d];
        var table = new float[tableRows * d];
        for (int i = 0; i < table.Length; i++) expected[i] = table[i] = i % 7 - 3;
        for (int r = 0; r < 2 * b; r++)
            for (int t = 0; t < d; t++) expected[targets[r] * d + t] += featureGradient[r * d + t];

        var added = loss.Compute((float[])features.Clone(), b, d, 0.8f, 0.1f, 0.5f, 3, 4, table, 2, targets: targets);

        Assert.Equal(plain.Loss, added.Loss, 5);
        // A plain call after a targets call (which leaves its buffers dirty) still gives the same gradient.
        var again = new float[features.Length];
        loss.Compute((float[])features.Clone(), b, d, 0.8f, 0.1f, 0.5f, 3, 4, again, 2);
        Assert.Equal(featureGradient, again);
        double scale = featureGradient.Max(Math.Abs);
        Assert.True(scale > 0, "the batch should have a gradient");
        for (int i = 0; i < table.Length; i++)
            Assert.True(Math.Abs(table[i] - expected[i]) <= 1e-5 * (Math.Abs(expected[i]) + 1) + 1e-4 * scale,
                $"{mode}/{metric} d={d}: entry {i}: {table[i]} vs {expected[i]}");
    }

    [Theory]
    [InlineData(LossMode.InfoNce, SimilarityMetric.Euclidean, 2, 5, 37)]
    [InlineData(LossMode.InfoNce, SimilarityMetric.Euclidean, 2, 5, 20000)]
    [InlineData(LossMode.Neg, SimilarityMetric.Euclidean, 2, 5, 37)]
    [InlineData(LossMode.Umap, SimilarityMetric.Euclidean, 2, 5, 37)]
    [InlineData(LossMode.InfoNce, SimilarityMetric.Cosine, 3, 4, 29)]
    [InlineData(LossMode.Neg, SimilarityMetric.Euclidean, 2, -1, 13)]
    public void ReadingRowsFromTheTableEqualsGatheringThemFirst(LossMode mode, SimilarityMetric metric, int d, int m, int b)
    {
        int tableRows = Math.Max(8, b / 3);
        var random = Xoshiro256.Create(8, 1);
        var table = new float[tableRows * d];
        for (int i = 0; i < table.Length; i++) table[i] = (float)(2 * random.NextGaussian());
        var targets = new int[2 * b];
        for (int i = 0; i < targets.Length; i++) targets[i] = random.NextInt(tableRows);
        var gathered = new float[2 * b * d];
        for (int r = 0; r < 2 * b; r++) Array.Copy(table, targets[r] * d, gathered, r * d, d);
        var loss = new BatchLoss(mode, metric, m, 1f, 0.5f, mode is LossMode.Neg ? 1e-4f : 1e-10f, 1f, LossAggregation.Sum);

        var expected = new float[table.Length];
        var viaFeatures = loss.Compute(gathered, b, d, 0.8f, 0f, 0.5f, 3, 4, expected, 2, targets: targets);
        var actual = new float[table.Length];
        var scratch = new float[2 * b * d]; // deliberately not the gathered rows
        var viaTable = loss.Compute(scratch, b, d, 0.8f, 0f, 0.5f, 3, 4, actual, 2, targets: targets, table: table);

        Assert.Equal(viaFeatures.Loss, viaTable.Loss);
        Assert.Equal(expected, actual);
        Assert.Throws<ArgumentException>(() => loss.Compute(scratch, b, d, 0.8f, 0f, 0.5f, 3, 4, actual, 2, table: table));
    }

    [Theory]
    [InlineData(LossMode.InfoNce, SimilarityMetric.Euclidean, 2, 5, 37)]
    [InlineData(LossMode.InfoNce, SimilarityMetric.Euclidean, 2, 5, 20000)]
    [InlineData(LossMode.Neg, SimilarityMetric.Euclidean, 2, 5, 37)]
    [InlineData(LossMode.Umap, SimilarityMetric.Euclidean, 2, 5, 37)]
    [InlineData(LossMode.InfoNce, SimilarityMetric.Cosine, 3, 4, 29)]
    [InlineData(LossMode.Nce, SimilarityMetric.Euclidean, 3, 5, 29)]
    public void PackedEdgesEqualTheirTargets(LossMode mode, SimilarityMetric metric, int d, int m, int b)
    {
        int tableRows = Math.Max(8, b / 3);
        var random = Xoshiro256.Create(9, 3);
        var table = new float[tableRows * d];
        for (int i = 0; i < table.Length; i++) table[i] = (float)(2 * random.NextGaussian());
        const int offset = 5; // the batch starts inside the edge array, as a source's later batches do
        var edges = new long[offset + b + 3];
        var targets = new int[2 * b];
        for (int i = 0; i < edges.Length; i++) edges[i] = ((long)random.NextInt(tableRows) << 32) | (uint)random.NextInt(tableRows);
        for (int r = 0; r < b; r++)
        {
            targets[r] = (int)(edges[offset + r] >> 32);
            targets[b + r] = (int)edges[offset + r];
        }
        var loss = new BatchLoss(mode, metric, m, 1f, 0.5f, mode is LossMode.Neg or LossMode.Nce ? 1e-4f : 1e-10f, 1f, LossAggregation.Sum);

        var expected = new float[table.Length];
        var viaTargets = loss.Compute(new float[2 * b * d], b, d, 0.8f, 0f, 0.5f, 3, 4, expected, 2, targets: targets, table: table);
        var actual = new float[table.Length];
        var viaEdges = loss.Compute(new float[2 * b * d], b, d, 0.8f, 0f, 0.5f, 3, 4, actual, 2, table: table, edges: edges, edgeStart: offset);

        Assert.Equal(viaTargets.Loss, viaEdges.Loss);
        Assert.Equal(expected, actual);
        Assert.True(actual.Max(Math.Abs) > 0, "the batch should have a gradient");
        Assert.Throws<ArgumentException>(() => loss.Compute(new float[2 * b * d], b, d, 0.8f, 0f, 0.5f, 3, 4, actual, 2, edges: edges));
        Assert.Throws<ArgumentException>(() => loss.Compute(new float[2 * b * d], b, d, 0.8f, 0f, 0.5f, 3, 4, actual, 2, targets: targets, table: table, edges: edges));
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.Compute(new float[2 * b * d], b, d, 0.8f, 0f, 0.5f, 3, 4, actual, 2, table: table, edges: edges, edgeStart: 9));
    }
}
