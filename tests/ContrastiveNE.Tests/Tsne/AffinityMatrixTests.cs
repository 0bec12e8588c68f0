using ContrastiveNE.Neighbors;
using ContrastiveNE.Tsne;

namespace ContrastiveNE.Tests.Tsne;

public class AffinityMatrixTests
{
    [Fact]
    public void CalibrationHitsThePerplexity()
    {
        var d2 = new double[90];
        for (int j = 0; j < d2.Length; j++) d2[j] = 10 + j * 0.7;
        var p = new double[d2.Length];
        AffinityMatrix.Calibrate(d2, p, Math.Log(30));
        double entropy = 0, sum = 0;
        foreach (double v in p) { sum += v; if (v > 0) entropy -= v * Math.Log(v); }
        Assert.Equal(1.0, sum, 1e-9);
        Assert.Equal(30.0, Math.Exp(entropy), 1e-3);
        for (int j = 1; j < p.Length; j++) Assert.True(p[j] <= p[j - 1]);
    }

    [Fact]
    public void SymmetricAndNormalised()
    {
        var data = new ContrastiveNE.Data.Matrix(200, 3);
        var random = ContrastiveNE.Randomness.Xoshiro256.Create(5, 5);
        for (int i = 0; i < data.Data.Length; i++) data.Data[i] = (float)random.NextGaussian();
        var knn = NearestNeighbors.Exact(data, 15);
        foreach (double? perplexity in new double?[] { 5.0, null })
        {
            var p = AffinityMatrix.FromKnn(knn, perplexity);
            double total = 0;
            foreach (float w in p.Weights) total += w;
            Assert.Equal(1.0, total, 1e-5);
            for (int i = 0; i < p.NodeCount; i++)
            {
                for (int t = p.RowOffsets[i]; t < p.RowOffsets[i + 1]; t++)
                {
                    int j = p.Columns[t];
                    int back = Array.BinarySearch(p.Columns, p.RowOffsets[j], p.RowOffsets[j + 1] - p.RowOffsets[j], i);
                    Assert.True(back >= 0, $"({i}, {j}) has no mirror");
                    Assert.Equal(p.Weights[t], p.Weights[back], 1e-9);
                }
            }
        }
    }

    /// <summary>
    /// The two-pass symmetrisation equals the formula computed the plain way — pᵢⱼ = (p_{j|i} + p_{i|j}) / Σ, the pair
    /// summed in double, divided by the total in double — value for value, with the columns of each row sorted.
    /// </summary>
    [Fact]
    public void SymmetrisationEqualsThePlainFormulaExactly()
    {
        var data = new ContrastiveNE.Data.Matrix(300, 4);
        var random = ContrastiveNE.Randomness.Xoshiro256.Create(9, 1);
        for (int i = 0; i < data.Data.Length; i++) data.Data[i] = (float)random.NextGaussian();
        var knn = NearestNeighbors.Exact(data, 10);
        var p = AffinityMatrix.FromKnn(knn, 4.0);
        // The conditional affinities, as FromKnn computes them, in a dictionary keyed by (row, column).
        var pairs = new SortedDictionary<(int, int), double>();
        double total = 0;
        var d2 = new double[knn.K];
        var conditional = new double[knn.K];
        for (int i = 0; i < knn.Count; i++)
        {
            for (int j = 0; j < knn.K; j++) { double d = knn.Distances[i * knn.K + j]; d2[j] = d * d; }
            AffinityMatrix.Calibrate(d2, conditional, Math.Log(4.0));
            for (int j = 0; j < knn.K; j++)
            {
                int other = knn.Indices[i * knn.K + j];
                double v = (float)conditional[j];
                pairs[(i, other)] = pairs.GetValueOrDefault((i, other)) + v;
                pairs[(other, i)] = pairs.GetValueOrDefault((other, i)) + v;
                total += 2 * v;
            }
        }
        Assert.Equal(pairs.Count, p.EntryCount);
        int t = 0;
        foreach (var ((row, column), value) in pairs)
        {
            Assert.True(t >= p.RowOffsets[row] && t < p.RowOffsets[row + 1], $"entry {t} is not in row {row}");
            Assert.Equal(column, p.Columns[t]);
            Assert.Equal((float)(value / total), p.Weights[t], 1e-9f);
            t++;
        }
    }

    [Fact]
    public void PerplexityAboveKIsRejected()
    {
        var data = new ContrastiveNE.Data.Matrix(50, 2);
        for (int i = 0; i < data.Data.Length; i++) data.Data[i] = i % 7;
        var knn = NearestNeighbors.Exact(data, 10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AffinityMatrix.FromKnn(knn, 11));
        Assert.Equal("perplexity", e.ParamName);
    }
}
