using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Tests.Commands;

public class TransformCommandTests
{
    [Fact]
    public void ParametricEmbed_SaveModel_TransformReproducesTheEmbeddingAndMapsNewRows()
    {
        using var dir = new TempDir();
        var images = NpyFile.ReadMatrix(TestData.DigitsImages);
        var labels = NpyFile.ReadLabels(TestData.DigitsLabels);
        NpyFile.Write(dir.File("train.npy"), images.Slice(0, 500));
        NpyFile.Write(dir.File("test.npy"), images.Slice(500, 200));
        NpyFile.WriteLabels(dir.File("test-labels.npy"), labels.AsSpan(500, 200));

        var fit = CliRunner.Run("embed", dir.File("train.npy"), "--parametric", "--epochs", "10", "--save-model", dir.File("m.cnem"),
            "-o", dir.File("train-embedding.npy"), "--quiet");
        Assert.Equal(0, fit.ExitCode);
        Assert.True(File.Exists(dir.File("m.cnem")));

        var again = CliRunner.Run("transform", dir.File("m.cnem"), dir.File("train.npy"), "-o", dir.File("again.npy"), "--quiet");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(NpyFile.ReadMatrix(dir.File("train-embedding.npy")).Data, NpyFile.ReadMatrix(dir.File("again.npy")).Data);

        var mapped = CliRunner.Run("transform", dir.File("m.cnem"), dir.File("test.npy"), "-o", dir.File("test.csv"),
            "--labels", dir.File("test-labels.npy"), "--plot", dir.File("test.png"));
        Assert.Equal(0, mapped.ExitCode);
        var test = DelimitedFile.Read(dir.File("test.csv")).Data;
        Assert.Equal(200, test.Rows);
        Assert.Equal(2, test.Columns);
        Assert.All(test.Data, v => Assert.True(float.IsFinite(v)));
        var png = PngCheck.Load(dir.File("test.png"));
        png.AssertScatter(panels: 1, panelSize: 800, legend: true, minColours: 8);
    }

    [Fact]
    public void Transform_NotAModelFile_IsADataErrorNamingTheFile()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("transform", TestData.DigitsImages, TestData.DigitsImages, "-o", dir.File("t.npy"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("digits-images.npy' is not a ContrastiveNE model file", result.ErrorLine);
        Assert.Empty(dir.FileNames());
    }

    [Fact]
    public void Transform_MissingModel_IsADataErrorNamingTheFile()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("transform", dir.File("none.cnem"), TestData.DigitsImages, "-o", dir.File("t.npy"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("none.cnem: file not found.", result.ErrorLine);
    }

    [Fact]
    public void ParametricWithInitFile_IsAUsageError()
    {
        var result = CliRunner.Run("embed", TestData.DigitsImages, "--parametric", "--init", "start.npy", "-o", "x.npy");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--init: a parametric embedding starts from its network's initialisation", result.ErrorLine);
    }
}

/// <summary><c>cne embed --save-map</c> and <c>cne transform MAP</c>: new points into a saved map, and one clear error per bad input.</summary>
public class MapTransformCommandTests
{
    /// <summary>A small map of 500 digits saved by the CLI, with 200 new rows beside it.</summary>
    private static (string Map, string Train, string Test) SavedMap(TempDir dir)
    {
        var images = NpyFile.ReadMatrix(TestData.DigitsImages);
        NpyFile.Write(dir.File("train.npy"), images.Slice(0, 500));
        NpyFile.Write(dir.File("test.npy"), images.Slice(500, 200));
        var fit = CliRunner.Run("embed", dir.File("train.npy"), "--epochs", "10", "--save-map", dir.File("atlas.cnemap"),
            "-o", dir.File("train-embedding.npy"), "--quiet");
        Assert.Equal(0, fit.ExitCode);
        return (dir.File("atlas.cnemap"), dir.File("train.npy"), dir.File("test.npy"));
    }

    [Fact]
    public void Embed_SaveMap_TransformPlacesNewRowsWithoutMovingTheMap()
    {
        using var dir = new TempDir();
        var (map, _, test) = SavedMap(dir);
        var result = CliRunner.Run("transform", map, test, "-o", dir.File("test-embedding.npy"), "--epochs", "20", "--quiet");
        Assert.Equal(0, result.ExitCode);
        var placed = NpyFile.ReadMatrix(dir.File("test-embedding.npy"));
        Assert.Equal(200, placed.Rows);
        Assert.Equal(2, placed.Columns);
        Assert.All(placed.Data, v => Assert.True(float.IsFinite(v)));
        // The map holds the positions the embedding wrote.
        Assert.Equal(NpyFile.ReadMatrix(dir.File("train-embedding.npy")).Data, ContrastiveNE.Embedding.CneMap.Load(map).Positions.Data);
        // The same call again gives the same placement (seeded), and the library gives it too.
        var again = CliRunner.Run("transform", map, test, "-o", dir.File("again.npy"), "--epochs", "20", "--quiet");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(placed.Data, NpyFile.ReadMatrix(dir.File("again.npy")).Data);
    }

    [Fact]
    public void Transform_WrongColumnCount_NamesTheFileAndBothCounts()
    {
        using var dir = new TempDir();
        var (map, _, _) = SavedMap(dir);
        NpyFile.Write(dir.File("narrow.npy"), new Matrix(5, 10));
        var result = CliRunner.Run("transform", map, dir.File("narrow.npy"), "-o", dir.File("out.npy"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("narrow.npy: 10 columns, but the map", result.ErrorLine);
        Assert.Contains("trained on 64", result.ErrorLine);
        Assert.False(File.Exists(dir.File("out.npy")));
    }

    [Theory]
    [InlineData("truncated", "is truncated")]
    [InlineData("version", "format version 7; this library reads version 1")]
    [InlineData("checksum", "is corrupt: its checksum")]
    public void Transform_BadMapFile_IsOneDataErrorNamingTheFile(string damage, string expected)
    {
        using var dir = new TempDir();
        var (map, _, test) = SavedMap(dir);
        var bytes = File.ReadAllBytes(map);
        switch (damage)
        {
            case "truncated": bytes = bytes[..(bytes.Length - 100)]; break;
            case "version": System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 7); break;
            default: bytes[bytes.Length / 3] ^= 1; break;
        }
        File.WriteAllBytes(map, bytes);
        var result = CliRunner.Run("transform", map, test, "-o", dir.File("out.npy"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.ErrorLine);
        Assert.Contains("atlas.cnemap", result.ErrorLine);
        Assert.False(File.Exists(dir.File("out.npy")));
    }

    [Fact]
    public void SaveMap_WithParametric_IsAUsageError()
    {
        var result = CliRunner.Run("embed", TestData.DigitsImages, "--parametric", "--save-map", "m.cnemap", "-o", "x.npy");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--save-map: a parametric embedding", result.ErrorLine);
    }
}
