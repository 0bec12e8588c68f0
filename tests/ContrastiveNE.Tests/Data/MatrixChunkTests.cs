using ContrastiveNE.Data;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Data;

/// <summary>
/// Matrices of more values than one array holds are stored in row chunks. A real one needs 8.6 GB, so these tests
/// force chunks of a few rows (Matrix.ForceChunks) and check the chunked layout against the contiguous one.
/// </summary>
public class MatrixChunkTests
{
    private static Matrix Numbered(int rows, int columns)
    {
        var m = new Matrix(rows, columns);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) m[i, j] = i * 1000 + j;
        return m;
    }

    [Fact]
    public void ChunkedStorageKeepsEveryRowAndElementInPlace()
    {
        var plain = Numbered(52, 5);
        var chunked = Chunked.Copy(plain, 7);
        Assert.True(plain.IsContiguous);
        Assert.False(chunked.IsContiguous);
        Assert.Equal(8, chunked.ChunkCount); // 7 chunks of 7 rows and one of 3
        Assert.Equal(3 * 5, chunked.Chunk(7).Length);
        Assert.Equal(260L, chunked.ValueCount);
        Chunked.Equal(plain, chunked);
        for (int i = 0; i < 52; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(i * 1000 + j, chunked[i, j]);
        chunked[20, 3] = -1;
        Assert.Equal(-1, chunked.Row(20)[3]);
        Assert.Equal(-1, chunked.Chunk(2)[(20 - 14) * 5 + 3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => chunked.Row(52));
        Assert.Throws<ArgumentOutOfRangeException>(() => chunked.Row(-1));
    }

    [Fact]
    public void SliceSelectRowsAndCloneGiveTheContiguousValues()
    {
        var plain = Numbered(40, 3);
        var chunked = Chunked.Copy(plain, 7);
        Chunked.Equal(plain.Slice(5, 20), chunked.Slice(5, 20));
        Chunked.Equal(plain.Slice(0, 40), chunked.Slice(0, 40));
        int[] rows = [39, 0, 13, 14, 6, 7, 13];
        Chunked.Equal(plain.SelectRows(rows), chunked.SelectRows(rows));
        var clone = chunked.Clone();
        Assert.False(clone.IsContiguous);
        Assert.Equal(chunked.RowsPerChunk, clone.RowsPerChunk);
        Chunked.Equal(plain, clone);
        clone[0, 0] = 99;
        Assert.Equal(0, chunked[0, 0]); // a deep copy
        // Copies made while chunks are forced are chunked themselves, and still equal.
        using (Matrix.ForceChunks(4))
        {
            var slice = chunked.Slice(3, 30);
            Assert.False(slice.IsContiguous);
            Chunked.Equal(plain.Slice(3, 30), slice);
            var selected = plain.SelectRows(rows);
            Assert.False(selected.IsContiguous);
            Chunked.Equal(chunked.SelectRows(rows), selected);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => chunked.Slice(30, 11));
    }

    [Fact]
    public void RowSpanWorksWithinAChunkAndRefusesToStraddle()
    {
        var plain = Numbered(30, 4);
        var chunked = Chunked.Copy(plain, 7);
        Assert.True(plain.RowSpan(7, 7).SequenceEqual(chunked.RowSpan(7, 7)));
        Assert.True(plain.RowSpan(15, 2).SequenceEqual(chunked.RowSpan(15, 2)));
        var e = Assert.Throws<NotSupportedException>(() => chunked.RowSpan(6, 2));
        Assert.Contains("row chunks", e.Message);
    }

    [Fact]
    public void DataOfAChunkedMatrixThrowsAClearError()
    {
        var chunked = Chunked.Copy(Numbered(20, 2), 7);
        var e = Assert.Throws<NotSupportedException>(() => chunked.Data);
        Assert.Contains("20 × 2", e.Message);
        Assert.Contains("stored in row chunks", e.Message);
        Assert.Contains("--knn-pca", e.Message);
        Assert.Throws<NotSupportedException>(() => chunked.ToArray2D());
        Assert.Throws<NotSupportedException>(() => chunked.ToTensor());
    }

    [Fact]
    public void EnsureFiniteNamesTheRowAndColumnInAnyChunk()
    {
        var chunked = Chunked.Copy(Numbered(30, 4), 7);
        chunked[23, 2] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => chunked.EnsureFinite("x.npy"));
        Assert.Contains("row 23, column 2", e.Message);
        var d = Assert.Throws<InvalidDataException>(() => DataChecks.EnsureFinite(chunked, "x.npy"));
        Assert.Equal(23, d.Data[DataError.RowKey]);
        Assert.Equal(2, d.Data[DataError.ColumnKey]);
    }

    [Fact]
    public void TheDefaultSizeRuleChunksOnlyPastOneArray()
    {
        Assert.False(Matrix.IsChunkedSize(1_000_000, 784));       // 7.8·10⁸ values
        Assert.False(Matrix.IsChunkedSize(2_739_000, 784));       // 2.147·10⁹, still one array
        Assert.True(Matrix.IsChunkedSize(3_000_000, 784));        // 2.35·10⁹
        Assert.True(Matrix.IsChunkedSize(10_000_000, 250));
        Assert.False(Matrix.IsChunkedSize(10_000_000, 50));
        Assert.False(Matrix.IsChunkedSize(0, 0));
        using (Matrix.ForceChunks(7))
        {
            Assert.False(Matrix.IsChunkedSize(7, 3));
            Assert.True(Matrix.IsChunkedSize(8, 3));
            Assert.True(new Matrix(7, 3).IsContiguous); // one chunk is a contiguous matrix
        }
    }
}
