using ContrastiveNE.Data;
using ContrastiveNE.Metrics;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Metrics;

public sealed class KnnRecallTests
{
    internal static Matrix Column(params float[] values) => new(values.Length, 1, values);

    internal static Matrix Random(int rows, int columns, ulong seed)
    {
        var rng = Xoshiro256.Create(seed);
        var m = new Matrix(rows, columns);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)rng.NextGaussian();
        return m;
    }

    [Fact]
    public void Table_recall_is_the_mean_overlap_fraction()
    {
        // Row 0 shares {2} of 2, row 1 shares {0, 2}: (1 + 2) / 4.
        Assert.Equal(0.75, KnnRecall.Compute([1, 2, 0, 2], [2, 3, 2, 0], count: 2, k: 2));
    }

    [Fact]
    public void Recall_matches_hand_computed_neighbours()
    {
        // Data 0, 1, 3, 7 on a line; embedding 0, 10, 3, 4.
        // k = 1: data neighbours 1, 0, 1, 2; embedding neighbours 2, 3, 3, 2 → only point 3 agrees.
        // k = 2: data {1,2} {0,2} {1,0} {2,1}; embedding {2,3} {3,2} {3,0} {2,0} → one shared each.
        var data = Column(0, 1, 3, 7);
        var embedding = Column(0, 10, 3, 4);
        Assert.Equal(0.25, KnnRecall.Compute(data, embedding, k: 1));
        Assert.Equal(0.5, KnnRecall.Compute(data, embedding, k: 2));
    }

    [Fact]
    public void Identical_embedding_has_recall_one()
    {
        var data = Random(300, 4, 1);
        Assert.Equal(1.0, KnnRecall.Compute(data, data.Clone(), k: 15));
    }

    [Fact]
    public void Duplicates_stay_neighbours()
    {
        // Points 0 and 1 coincide in both spaces: each must keep the other (distance 0) as a neighbour.
        // k = 2 (tie-free sets): data 5, 5, 1, 20 → {1,2} {0,2} {0,1} {0,1}; embedding 1, 1, 4, −3 → the same sets.
        Assert.Equal(1.0, KnnRecall.Compute(Column(5, 5, 1, 20), Column(1, 1, 4, -3), k: 2));
        // Separating the duplicates in the embedding (1, 8, 4, −3): point 0 → {2,3}, 1 → {2,0}, 2 → {0,1}, 3 → {0,2}: 1 + 2 + 2 + 1 of 8.
        Assert.Equal(6.0 / 8, KnnRecall.Compute(Column(5, 5, 1, 20), Column(1, 8, 4, -3), k: 2));
    }

    [Fact]
    public void Sampled_recall_matches_a_double_precision_reference_and_is_thread_independent()
    {
        // The embedding keeps two of three data dimensions plus noise: recall well between 0 and 1.
        var data = Random(400, 3, 2);
        var embedding = Random(400, 2, 3);
        for (int i = 0; i < 400; i++) { embedding[i, 0] = data[i, 0] + 0.2f * embedding[i, 0]; embedding[i, 1] = data[i, 1] + 0.2f * embedding[i, 1]; }
        int[] sample = PointSample.Draw(400, 50, seed: 9);
        Assert.Equal(50, sample.Distinct().Count());
        double expected = sample.Average(i => Overlap(Nearest(data, i, 10), Nearest(embedding, i, 10)) / 10.0);
        double one = KnnRecall.Compute(data, embedding, k: 10, sampleSize: 50, seed: 9, threads: 1);
        double two = KnnRecall.Compute(data, embedding, k: 10, sampleSize: 50, seed: 9, threads: 2);
        Assert.Equal(expected, one, 12);
        Assert.Equal(one, two);
        Assert.InRange(one, 0.05, 0.95); // neither trivial case
        Assert.NotEqual(one, KnnRecall.Compute(data, embedding, k: 10, sampleSize: 50, seed: 10));
    }

    internal static int[] Nearest(Matrix m, int i, int k)
    {
        var d = Enumerable.Range(0, m.Rows).Where(j => j != i)
            .Select(j => (j, Enumerable.Range(0, m.Columns).Sum(c => Math.Pow((double)m[i, c] - m[j, c], 2))));
        return d.OrderBy(t => t.Item2).ThenBy(t => t.j).Take(k).Select(t => t.j).ToArray();
    }

    private static int Overlap(int[] a, int[] b) => a.Intersect(b).Count();

    [Fact]
    public void Invalid_arguments_name_the_parameter()
    {
        var data = Random(10, 3, 4);
        Assert.Equal("embedding", Assert.Throws<ArgumentException>(() => KnnRecall.Compute(data, Random(9, 2, 5))).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => KnnRecall.Compute(data, Random(10, 2, 5), k: 10)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => KnnRecall.Compute(data, Random(10, 2, 5), k: 0)).ParamName);
        Assert.Equal("sampleSize", Assert.Throws<ArgumentOutOfRangeException>(() => KnnRecall.Compute(data, Random(10, 2, 5), k: 3, sampleSize: 0)).ParamName);
        var bad = Random(10, 2, 5);
        bad[4, 1] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => KnnRecall.Compute(data, bad, k: 3));
        Assert.Equal("embedding", e.ParamName);
        Assert.Contains("Row 4, column 1", e.Message);
    }
}
