using ContrastiveNE.Data;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Randomness;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Neighbors;

public class NNDescentTests
{
    private static readonly Lazy<Matrix> Digits = new(() => NpyFile.ReadMatrix(TestFiles.DigitsImages));

    private static Matrix Random(int n, int dim, ulong seed)
    {
        var rng = Xoshiro256.Create(seed);
        var m = new Matrix(n, dim);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)rng.NextGaussian();
        return m;
    }

    [Fact]
    public void DigitsRecallAtLeast099()
    {
        var data = Digits.Value;
        var knn = new NNDescent().Search(data, 15, seed: 1, threads: 2);
        int[] all = ReferenceNeighbors.Spread(data.Rows, data.Rows);
        double recall = ReferenceNeighbors.Recall(data, knn, all);
        Assert.True(recall >= 0.99, $"recall@15 = {recall}");
    }

    [Fact]
    public void FashionMnistSubsampleRecallAtLeast098()
    {
        var (data, _) = TestFiles.Fashion();
        var knn = new NNDescent().Search(data, 15, seed: 3, threads: 2);
        double recall = ReferenceNeighbors.Recall(data, knn, ReferenceNeighbors.Spread(data.Rows, 250));
        Assert.True(recall >= 0.98, $"recall@15 = {recall}"); // measured 0.997 on the repository's 5,000 rows
    }

    [Fact]
    public void SameSeedGivesBitIdenticalGraphsAtOneAndTwoThreads()
    {
        var data = Random(3000, 12, 7);
        var search = new NNDescent { Trees = 3, Rho = 0.6 };
        var one = search.Search(data, 10, seed: 42, threads: 1);
        var two = search.Search(data, 10, seed: 42, threads: 2);
        Assert.Equal(one.Indices, two.Indices);
        Assert.Equal(one.Distances, two.Distances);
        var other = search.Search(data, 10, seed: 43, threads: 2);
        Assert.NotEqual(one.Indices, other.Indices); // the seed matters: near-ties and trees differ
    }

    [Fact]
    public void PackedAndUnpackedUpdateBuffersGiveTheSameGraph()
    {
        var data = Random(2000, 8, 9);
        NNDescentSearch Run(bool packed) => new(data, 10, 17, 2)
        {
            Trees = 2, LeafSize = 30, MaxIterations = 8, Delta = 0.001, MaxCandidates = 20, PackUpdates = packed,
        };
        var packed = Run(true).Run(null, default, out var packedStatistics);
        var plain = Run(false).Run(null, default, out var plainStatistics);
        Assert.Equal(plain.Indices, packed.Indices);
        Assert.Equal(plain.Distances, packed.Distances);
        Assert.Equal(plainStatistics.Iterations, packedStatistics.Iterations);
        Assert.True(plainStatistics.Iterations > 1, $"iterations = {plainStatistics.Iterations}"); // the joins ran
    }

    [Fact]
    public void RowsAreSortedEuclideanDistancesWithoutTheQuery()
    {
        var data = Random(600, 5, 11);
        var knn = new NNDescent().Search(data, 8, seed: 5, threads: 2);
        for (int i = 0; i < data.Rows; i++)
        {
            var idx = knn.NeighborsOf(i);
            var dist = knn.Distances.AsSpan(i * 8, 8);
            Assert.DoesNotContain(i, idx.ToArray());
            Assert.Equal(8, idx.ToArray().Distinct().Count());
            for (int t = 0; t < 8; t++)
            {
                Assert.Equal(Math.Sqrt(ReferenceNeighbors.Distance2(data, i, idx[t])), dist[t], 1e-5 * (1 + dist[t]));
                if (t > 0) Assert.True(dist[t - 1] < dist[t] || (dist[t - 1] == dist[t] && idx[t - 1] < idx[t]));
            }
        }
    }

    [Fact]
    public void ExactDuplicatesStayNeighboursAtDistanceZero()
    {
        // Rows 2i and 2i + 1 are identical: each must list its twin first, at distance 0, and never itself.
        var data = Random(800, 6, 13);
        for (int i = 0; i < data.Rows; i += 2) data.Row(i).CopyTo(data.Row(i + 1));
        var knn = new NNDescent().Search(data, 5, seed: 2, threads: 2);
        for (int i = 0; i < data.Rows; i++)
        {
            Assert.Equal(i ^ 1, knn.NeighborsOf(i)[0]);
            Assert.Equal(0f, knn.Distances[i * 5]);
            Assert.DoesNotContain(i, knn.NeighborsOf(i).ToArray());
        }
    }

    [Fact]
    public void SmallDataWithKNearNGetsEveryOtherPoint()
    {
        var data = Random(12, 3, 17);
        var knn = new NNDescent { LeafSize = 2 }.Search(data, 11, seed: 0, threads: 2);
        for (int i = 0; i < 12; i++)
            Assert.Equal(Enumerable.Range(0, 12).Where(j => j != i), knn.NeighborsOf(i).ToArray().Order());
    }

    [Fact]
    public void CosineIsEuclideanOnNormalisedRows()
    {
        var data = Digits.Value;
        var normalised = data.Clone();
        for (int i = 0; i < data.Rows; i++)
        {
            var row = normalised.Row(i);
            double norm = 0;
            foreach (float v in row) norm += (double)v * v;
            float scale = (float)(1.0 / Math.Sqrt(norm));
            for (int c = 0; c < row.Length; c++) row[c] *= scale;
        }
        var cosine = new NNDescent().Search(data, 10, DistanceMetric.Cosine, seed: 4, threads: 2);
        var euclidean = new NNDescent().Search(normalised, 10, DistanceMetric.Euclidean, seed: 4, threads: 2);
        Assert.Equal(euclidean.Indices, cosine.Indices);
        Assert.Equal(euclidean.Distances, cosine.Distances);
        double recall = ReferenceNeighbors.Recall(normalised, cosine, ReferenceNeighbors.Spread(data.Rows, 300));
        Assert.True(recall >= 0.99, $"recall@10 = {recall}");
    }

    [Fact]
    public void ReportsProgressAndHonoursCancellation()
    {
        var data = Random(2000, 8, 23);
        var seen = new List<double>();
        new NNDescent().Search(data, 10, seed: 0, threads: 1, progress: new SyncProgress(seen));
        Assert.Equal(1.0, seen[^1]);
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First <= p.Second));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new NNDescent().Search(data, 10, cancellationToken: cts.Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(50)]
    [InlineData(51)]
    public void RejectsKOutOfRange(int k)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new NNDescent().Search(Random(50, 3, 1), k));
        Assert.Equal("k", e.ParamName);
    }

    [Fact]
    public void RejectsNonFiniteValueNamingRowAndColumn()
    {
        var data = Random(40, 4, 2);
        data[17, 3] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => new NNDescent().Search(data, 5));
        Assert.Equal("data", e.ParamName);
        Assert.Contains("row 17, column 3", e.Message);
        data[17, 3] = float.NegativeInfinity;
        Assert.Contains("row 17, column 3", Assert.Throws<ArgumentException>(() => NearestNeighbors.Search(data, 5, KnnMethod.Approximate)).Message);
    }

    [Fact]
    public void CosineRejectsAllZeroRow()
    {
        var data = Random(40, 4, 3);
        data.Row(9).Clear();
        var e = Assert.Throws<ArgumentException>(() => new NNDescent().Search(data, 5, DistanceMetric.Cosine));
        Assert.Equal("data", e.ParamName);
        Assert.Contains("Row 9", e.Message);
    }

    [Fact]
    public void RejectsInvalidOptionsByName()
    {
        var data = Random(40, 4, 4);
        Assert.Equal("Trees", Assert.ThrowsAny<ArgumentException>(() => new NNDescent { Trees = -1 }.Search(data, 5)).ParamName);
        Assert.Equal("LeafSize", Assert.ThrowsAny<ArgumentException>(() => new NNDescent { LeafSize = 1 }.Search(data, 5)).ParamName);
        Assert.Equal("MaxIterations", Assert.ThrowsAny<ArgumentException>(() => new NNDescent { MaxIterations = -2 }.Search(data, 5)).ParamName);
        Assert.Equal("Delta", Assert.ThrowsAny<ArgumentException>(() => new NNDescent { Delta = 1.0 }.Search(data, 5)).ParamName);
        Assert.Equal("Delta", Assert.ThrowsAny<ArgumentException>(() => new NNDescent { Delta = double.NaN }.Search(data, 5)).ParamName);
        Assert.Equal("Rho", Assert.ThrowsAny<ArgumentException>(() => new NNDescent { Rho = 0 }.Search(data, 5)).ParamName);
    }

    [Fact]
    public void SearchChoosesByMethodAndSize()
    {
        var data = Random(300, 4, 29);
        var approximate = NearestNeighbors.Search(data, 6, KnnMethod.Approximate, seed: 9, threads: 2);
        Assert.Equal(new NNDescent().Search(data, 6, seed: 9, threads: 2).Indices, approximate.Indices);
        // Auto is exact at this size: the same table as the exact search.
        Assert.Equal(NearestNeighbors.Exact(data, 6).Indices, NearestNeighbors.Search(data, 6).Indices);
        Assert.Equal("method", Assert.ThrowsAny<ArgumentException>(() => NearestNeighbors.Search(data, 6, (KnnMethod)7)).ParamName);
    }

    /// <summary>Records reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class SyncProgress(List<double> seen) : IProgress<double>
    {
        public void Report(double value) => seen.Add(value);
    }
}
