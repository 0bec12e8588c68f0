using ContrastiveNE.Data;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Data;

/// <summary>Reading and writing .npy files of chunked matrices (chunks forced to a few rows).</summary>
public class NpyChunkedTests
{
    [Fact]
    public void RoundTripThroughChunksIsBitIdentical()
    {
        using var dir = new TempDirectory();
        var (digits, _) = TestFiles.Digits();
        string plainPath = dir.File("plain.npy"), chunkedPath = dir.File("chunked.npy");
        NpyFile.Write(plainPath, digits);
        Matrix read;
        using (Matrix.ForceChunks(7)) read = NpyFile.ReadMatrix(plainPath);
        Assert.False(read.IsContiguous);
        Assert.Equal(7, read.RowsPerChunk);
        Chunked.Equal(digits, read);
        NpyFile.Write(chunkedPath, read);
        Assert.Equal(File.ReadAllBytes(plainPath), File.ReadAllBytes(chunkedPath));
    }

    [Theory]
    [InlineData("<f8")]
    [InlineData(">f4")]
    [InlineData("|u1")]
    [InlineData("<i2")]
    public void OtherElementTypesAreDecodedChunkByChunk(string descr)
    {
        const int rows = 23, columns = 5;
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++) values[i] = (i * 7) % 200;
        var bytes = NpyBuilder.Build(descr, $"({rows}, {columns})", NpyBuilder.Encode(descr, values));
        var plain = NpyFile.ReadMatrix(new MemoryStream(bytes), "x.npy");
        Matrix chunked;
        using (Matrix.ForceChunks(4)) chunked = NpyFile.ReadMatrix(new MemoryStream(bytes), "x.npy");
        Assert.False(chunked.IsContiguous);
        Chunked.Equal(plain, chunked);
    }

    [Fact]
    public void ChannelsLastImagesAreReorderedInEveryChunk()
    {
        const int n = 9;
        var values = new double[n * 2 * 6 * 3];
        for (int i = 0; i < values.Length; i++) values[i] = i % 251;
        var bytes = NpyBuilder.Build("<f4", $"({n}, 2, 6, 3)", NpyBuilder.Encode("<f4", values));
        var plain = NpyFile.Read(new MemoryStream(bytes), "x.npy");
        LoadedData chunked;
        using (Matrix.ForceChunks(4)) chunked = NpyFile.Read(new MemoryStream(bytes), "x.npy");
        Assert.False(chunked.Data.IsContiguous);
        Assert.Equal(plain.ImageShape, chunked.ImageShape);
        Chunked.Equal(plain.Data, chunked.Data);
    }

    [Fact]
    public void ChunkedReadsReportNonFiniteValuesTruncationAndFortranOrder()
    {
        var values = new double[20 * 3];
        values[13 * 3 + 1] = double.NaN;
        var bad = NpyBuilder.Build("<f4", "(20, 3)", NpyBuilder.Encode("<f4", values));
        var truncated = NpyBuilder.Build("<f8", "(20, 3)", NpyBuilder.Encode("<f8", new double[50]));
        var fortran = NpyBuilder.Build("<f4", "(20, 3)", NpyBuilder.Encode("<f4", new double[60]), fortran: true);
        using (Matrix.ForceChunks(4))
        {
            var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream(bad), "bad.npy"));
            Assert.Equal(13, e.Data[DataError.RowKey]);
            Assert.Equal(1, e.Data[DataError.ColumnKey]);
            var t = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream(truncated), "short.npy"));
            Assert.Contains("truncated", t.Message);
            Assert.Contains("480 data bytes", t.Message);
            var f = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream(fortran), "f.npy"));
            Assert.Contains("Fortran", f.Message);
        }
    }
}
