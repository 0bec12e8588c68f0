using ContrastiveNE.Data;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Neighbors;

/// <summary>The kNN searches on data stored in row chunks give exactly the results they give on contiguous data.</summary>
public class ChunkedSearchTests
{
    private static readonly Lazy<Matrix> Digits = new(() => NpyFile.ReadMatrix(TestFiles.DigitsImages));

    private static void SameResult(KnnResult expected, KnnResult actual)
    {
        Assert.Equal(expected.Indices, actual.Indices);
        Assert.Equal(expected.Distances, actual.Distances);
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void ExactSearchIsBitIdentical(DistanceMetric metric)
    {
        var data = Digits.Value;
        var chunked = Chunked.Copy(data, 7);
        SameResult(NearestNeighbors.Exact(data, 15, metric, threads: 2), NearestNeighbors.Exact(chunked, 15, metric, threads: 2));
        int[] queries = [0, 5, 1796, 700, 701];
        SameResult(NearestNeighbors.Exact(data, 10, metric, 2, queries), NearestNeighbors.Exact(chunked, 10, metric, 2, queries));
        var points = data.Slice(100, 40);
        SameResult(NearestNeighbors.Query(data, points, 5, metric, 2), NearestNeighbors.Query(chunked, Chunked.Copy(points, 3), 5, metric, 2));
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void ApproximateSearchIsBitIdentical(DistanceMetric metric)
    {
        var data = Digits.Value;
        var search = new NNDescent();
        var plain = search.Search(data, 15, metric, seed: 4, threads: 2);
        // 7 rows per chunk: the reordered copy NN-descent makes is chunked too (its rows are read across chunks).
        var chunked = search.Search(Chunked.Copy(data, 7), 15, metric, seed: 4, threads: 2);
        SameResult(plain, chunked);
    }

    [Fact]
    public void ChunkedSearchReportsNonFiniteValuesByRow()
    {
        var chunked = Chunked.Copy(Digits.Value, 7);
        chunked[1000, 3] = float.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => new NNDescent().Search(chunked, 15));
        Assert.Contains("row 1000, column 3", e.Message);
        var x = Assert.Throws<ArgumentException>(() => NearestNeighbors.Exact(chunked, 15));
        Assert.Contains("Row 1000, column 3", x.Message);
    }
}
