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
