using ContrastiveNE.Data;
using ContrastiveNE.LinearAlgebra;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Neighbors;

public class ExactSearchTests
{
    /// <summary>Random data (non-multiple-of-16 width) in which rows 5, 77, 300 copy row 4 and row 9 is copied to 10 and n − 1.</summary>
    private static Matrix DataWithDuplicates(int n = 530, int dim = 37, ulong seed = 3)
    {
        var rng = Xoshiro256.Create(seed, 0);
        var m = new Matrix(n, dim);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)rng.NextGaussian() * 10 + 3;
        foreach (int copy in new[] { 5, 77, 300 }) if (copy < n) m.Row(4).CopyTo(m.Row(copy));
        foreach (int copy in new[] { 10, n - 1 }) m.Row(9).CopyTo(m.Row(copy));
        return m;
    }

    /// <summary>Brute force in double precision, ties by smaller index, the query excluded by index.</summary>
    private static (int[] Index, double[] Distance) Reference(Matrix data, int k, int query, bool cosine)
    {
        int n = data.Rows, dim = data.Columns;
        double[] Row(int i)
        {
            var r = new double[dim];
            double norm = 0;
            for (int c = 0; c < dim; c++) { r[c] = data[i, c]; norm += r[c] * r[c]; }
            if (cosine) for (int c = 0; c < dim; c++) r[c] /= Math.Sqrt(norm);
            return r;
        }
        var x = Row(query);
        var order = new List<(double D, int J)>();
        for (int j = 0; j < n; j++)
        {
            if (j == query) continue;
            var y = Row(j);
            double s = 0;
            for (int c = 0; c < dim; c++) s += (x[c] - y[c]) * (x[c] - y[c]);
            order.Add((Math.Sqrt(s), j));
        }
        order.Sort();
        return (order.Take(k).Select(t => t.J).ToArray(), order.Take(k).Select(t => t.D).ToArray());
    }

    private static void AssertMatchesReference(Matrix data, KnnResult result, int k, int[]? queryRows, bool cosine)
    {
        for (int q = 0; q < result.Count; q++)
        {
            int query = queryRows?[q] ?? q;
            var (index, distance) = Reference(data, k, query, cosine);
            Assert.Equal(index, result.NeighborsOf(q).ToArray());
            for (int t = 0; t < k; t++)
                Assert.True(Math.Abs(result.Distances[q * k + t] - distance[t]) <= 1e-5 * distance[t] + 1e-6,
                    $"query {query}, neighbour {t}: {result.Distances[q * k + t]} vs {distance[t]}");
        }
    }

    [Theory]
    [InlineData((int)GemmPath.Auto)]
    [InlineData((int)GemmPath.Vector256)]
    [InlineData((int)GemmPath.Scalar)]
    public void EqualsDoublePrecisionBruteForceWithDuplicates(int path)
    {
        var data = DataWithDuplicates();
        var result = ExactSearch.Run(data, 7, DistanceMetric.Euclidean, 2, null, null, default, (GemmPath)path);
        AssertMatchesReference(data, result, 7, null, cosine: false);
        // The copies of row 4 are its first neighbours at distance 0, in index order.
        Assert.Equal([5, 77, 300], result.NeighborsOf(4)[..3].ToArray());
        Assert.Equal([0f, 0f, 0f], result.Distances.AsSpan(4 * 7, 3).ToArray());
        Assert.Equal([9, 10], result.NeighborsOf(529)[..2].ToArray());
    }

    [Fact]
    public void QueryRowsSubsetMatchesReference()
    {
        var data = DataWithDuplicates(n: 700, dim: 20);
        int[] queries = [699, 0, 4, 300, 9, 9, 512];
        var result = NearestNeighbors.Exact(data, 12, DistanceMetric.Euclidean, 2, queries);
        Assert.Equal(queries.Length, result.Count);
        AssertMatchesReference(data, result, 12, queries, cosine: false);
    }

    [Fact]
    public void CosineIsEuclideanOnNormalisedRows()
    {
        var data = DataWithDuplicates(n: 300, dim: 19, seed: 8);
        var result = NearestNeighbors.Exact(data, 5, DistanceMetric.Cosine, 1);
        AssertMatchesReference(data, result, 5, null, cosine: true);
    }

    [Fact]
    public void OneAndTwoThreadsAreIdentical()
    {
        // 1,800 rows: 10 tiles of 192, so tile rows split into several work units.
        var data = DataWithDuplicates(n: 1800, dim: 20, seed: 5);
        var one = NearestNeighbors.Exact(data, 15, DistanceMetric.Euclidean, 1);
        var two = NearestNeighbors.Exact(data, 15, DistanceMetric.Euclidean, 2);
        Assert.Equal(one.Indices, two.Indices);
        Assert.Equal(one.Distances, two.Distances);
        int[] probe = [0, 4, 191, 192, 1000, 1535, 1536, 1799];
        var listed = NearestNeighbors.Exact(data, 15, DistanceMetric.Euclidean, 2, probe);
        AssertMatchesReference(data, listed, 15, probe, cosine: false);
        for (int q = 0; q < probe.Length; q++)
            Assert.Equal(listed.NeighborsOf(q).ToArray(), two.NeighborsOf(probe[q]).ToArray());
    }

    [Fact]
    public void KEqualToNMinusOneListsEveryOtherRow()
    {
        var data = DataWithDuplicates(n: 20, dim: 3);
        var result = NearestNeighbors.Exact(data, 19, DistanceMetric.Euclidean, 1);
        AssertMatchesReference(data, result, 19, null, cosine: false);
    }

    [Fact]
    public void ReportsProgressAndHonoursCancellation()
    {
        var data = DataWithDuplicates(n: 600, dim: 8);
        var seen = new List<double>();
        var progress = new SynchronousProgress(seen);
        NearestNeighbors.Exact(data, 3, DistanceMetric.Euclidean, 1, null, progress);
        // 600 rows make 4 tiles of 192, so 4 tile rows of the upper triangle; the last report is completion.
        Assert.Equal(5, seen.Count);
        Assert.Equal(1.0, seen.Max());
        var listed = new List<double>();
        NearestNeighbors.Exact(data, 3, DistanceMetric.Euclidean, 1, [1, 2, 3], new SynchronousProgress(listed));
        Assert.Equal([1.0], listed);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => NearestNeighbors.Exact(data, 3, DistanceMetric.Euclidean, 1, null, cancelled.Token));
    }

    [Fact]
    public void RejectsBadInputNamingTheParameter()
    {
        var data = DataWithDuplicates(n: 12, dim: 4);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Exact(data, 0)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Exact(data, 12)).ParamName);
        Assert.Equal("queryRows", Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Exact(data, 2, queryRows: [3, 12])).ParamName);
        var bad = data.Clone();
        bad[6, 2] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => NearestNeighbors.Exact(bad, 2));
        Assert.Equal("data", e.ParamName);
        Assert.Contains("Row 6, column 2", e.Message);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => NearestNeighbors.Exact(new Matrix(5, 0), 2)).ParamName);
        var zero = data.Clone();
        zero.Row(3).Clear();
        var z = Assert.Throws<ArgumentException>(() => NearestNeighbors.Exact(zero, 2, DistanceMetric.Cosine));
        Assert.Equal("data", z.ParamName);
        Assert.Contains("Row 3", z.Message);
    }

    private sealed class SynchronousProgress(List<double> seen) : IProgress<double>
    {
        public void Report(double value) { lock (seen) seen.Add(value); }
    }
}
