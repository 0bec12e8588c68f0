using ContrastiveNE.Data;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Tests.Neighbors;

public class QuerySearchTests
{
    private static Matrix Random(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var m = new Matrix(rows, columns);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)random.NextDouble();
        return m;
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean, 1)]
    [InlineData(DistanceMetric.Euclidean, 7)]
    [InlineData(DistanceMetric.Cosine, 5)]
    public void ExternalQueriesFindTheBruteForceNeighbours(DistanceMetric metric, int k)
    {
        var data = Random(700, 13, 1);
        var queries = Random(97, 13, 2);
        var found = NearestNeighbors.Query(data, queries, k, metric, threads: 2);
        for (int q = 0; q < queries.Rows; q++)
        {
            var expected = Enumerable.Range(0, data.Rows)
                .OrderBy(j => Distance(queries.Row(q), data.Row(j), metric)).ThenBy(j => j).Take(k).ToArray();
            Assert.Equal(expected, found.NeighborsOf(q).ToArray());
        }
    }

    [Fact]
    public void AQueryEqualToADataRowFindsItAtDistanceZero()
    {
        var data = Random(300, 5, 3);
        var found = NearestNeighbors.Query(data, data.Slice(10, 3), 4);
        Assert.Equal(10, found.NeighborsOf(0)[0]);
        Assert.Equal(0f, found.Distances[0]);
    }

    [Fact]
    public void ResultDoesNotDependOnTheThreadCount()
    {
        var data = Random(1000, 20, 4);
        var queries = Random(300, 20, 5);
        var one = NearestNeighbors.Query(data, queries, 10, threads: 1);
        var two = NearestNeighbors.Query(data, queries, 10, threads: 2);
        Assert.Equal(one.Indices, two.Indices);
        Assert.Equal(one.Distances, two.Distances);
    }

    [Fact]
    public void ColumnMismatchNamesTheQueries()
    {
        var e = Assert.Throws<ArgumentException>(() => NearestNeighbors.Query(Random(10, 3, 1), Random(2, 4, 1), 2));
        Assert.Equal("queries", e.ParamName);
        Assert.Contains("4 columns", e.Message);
    }

    private static double Distance(Span<float> a, Span<float> b, DistanceMetric metric)
    {
        double na = 1, nb = 1;
        if (metric == DistanceMetric.Cosine)
        {
            na = Math.Sqrt(a.ToArray().Sum(v => (double)v * v));
            nb = Math.Sqrt(b.ToArray().Sum(v => (double)v * v));
        }
        double s = 0;
        for (int c = 0; c < a.Length; c++) { double d = a[c] / na - b[c] / nb; s += d * d; }
        return s;
    }
}
