using System.Text.Json;
using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Tests.Commands;

public class EmbedCommandTests
{
    private static (string Data, string Labels) DigitsSubset(TempDir dir, int rows)
    {
        var images = NpyFile.ReadMatrix(TestData.DigitsImages).Slice(0, rows);
        var labels = NpyFile.ReadLabels(TestData.DigitsLabels).AsSpan(0, rows);
        NpyFile.Write(dir.File("x.npy"), images);
        NpyFile.WriteLabels(dir.File("y.npy"), labels);
        return (dir.File("x.npy"), dir.File("y.npy"));
    }

    [Fact]
    public void Embed_NpyToNpy_WithPlotAndEvaluate()
    {
        using var dir = new TempDir();
        var (data, labels) = DigitsSubset(dir, 600);

        var result = CliRunner.Run("embed", data, "-o", dir.File("e.npy"), "--epochs", "40", "--labels", labels,
            "--plot", dir.File("e.png"), "--evaluate", "--threads", "2");

        Assert.Equal(0, result.ExitCode);
        var embedding = NpyFile.ReadMatrix(dir.File("e.npy"));
        Assert.Equal(600, embedding.Rows);
        Assert.Equal(2, embedding.Columns);
        using var json = JsonDocument.Parse(result.Out);
        Assert.InRange(json.RootElement.GetProperty("knn_accuracy").GetDouble(), 0.85, 1.0);
        Assert.InRange(json.RootElement.GetProperty("recall_at_15").GetDouble(), 0.2, 1.0);
        Assert.InRange(json.RootElement.GetProperty("spearman").GetDouble(), 0.1, 1.0);
        var png = PngCheck.Load(dir.File("e.png"));
        png.AssertScatter(png.Width, 800, panelRight: 800, minColours: 10);
    }

    [Fact]
    public void Embed_CsvWithLabelColumnToCsv_SameSeedSameResult()
    {
        using var dir = new TempDir();
        string csv = TestData.WriteDigitsCsv(dir, 400);

        var a = CliRunner.Run("embed", csv, "--label-column", "digit", "-o", dir.File("a.csv"), "--epochs", "15", "--loss", "neg", "--s", "0.5", "--quiet", "--threads", "1");
        var b = CliRunner.Run("embed", csv, "--label-column", "digit", "-o", dir.File("b.csv"), "--epochs", "15", "--loss", "neg", "--s", "0.5", "--quiet", "--threads", "2");

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b.ExitCode);
        Assert.Equal("", a.Error);
        var lines = File.ReadAllLines(dir.File("a.csv"));
        Assert.Equal(401, lines.Length);
        Assert.Equal("x1,x2", lines[0]);
        Assert.Equal(lines, File.ReadAllLines(dir.File("b.csv")));
    }

    [Fact]
    public void Embed_InitFromFile_ZeroEpochsReturnsTheInitialisation()
    {
        using var dir = new TempDir();
        var (data, _) = DigitsSubset(dir, 100);
        var (start, _) = TestData.Blobs(4, 25);
        NpyFile.Write(dir.File("init.npy"), start);

        var result = CliRunner.Run("embed", data, "-o", dir.File("e.npy"), "--epochs", "0", "--init", dir.File("init.npy"), "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(start.Data, NpyFile.ReadMatrix(dir.File("e.npy")).Data);
    }

    [Fact]
    public void Embed_InitOfWrongShape_IsADataErrorNamingTheFile()
    {
        using var dir = new TempDir();
        var (data, _) = DigitsSubset(dir, 100);
        NpyFile.Write(dir.File("init.npy"), new Matrix(99, 2));

        var result = CliRunner.Run("embed", data, "-o", dir.File("e.npy"), "--init", dir.File("init.npy"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("init.npy: the initialisation is 99 × 2; --init needs 100 × 2", result.ErrorLine);
        Assert.False(File.Exists(dir.File("e.npy")));
    }

    [Theory]
    [InlineData(new[] { "--loss", "tsne" }, "--loss: expected one of infonce, infonce-alt, neg, nce, umap; got 'tsne'.")]
    [InlineData(new[] { "--negatives", "0" }, "--negatives: expected an integer ≥ 1 or full-batch, got '0'.")]
    [InlineData(new[] { "--lr", "-1" }, "--lr: expected a number > 0, got -1.")]
    [InlineData(new[] { "--s", "NaN" }, "--s: expected a finite number, got 'NaN'.")]
    [InlineData(new[] { "--clip", "off" }, "--clip: expected a number > 0 or none, got 'off'.")]
    [InlineData(new[] { "--epochs", "10", "--warmup-epochs", "10" }, "--warmup-epochs: WarmupEpochs must be ≥ 0 and below Epochs.")]
    [InlineData(new[] { "--learnable-temperature" }, "--learnable-temperature: A learnable temperature needs the cosine metric.")]
    [InlineData(new[] { "--save-model", "m.cnemodel" }, "--save-model: only a parametric embedding has a model to save; add --parametric.")]
    [InlineData(new[] { "--plot", "e.jpg" }, "--plot: 'e.jpg' has an unsupported extension; expected a file ending in .png.")]
    public void Embed_BadOption_IsAUsageErrorNamingTheOption(string[] extra, string message)
    {
        var result = CliRunner.Run(["embed", TestData.DigitsImages, "-o", "never.npy", .. extra]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.ErrorLine);
        Assert.False(File.Exists("never.npy"));
    }

    [Fact]
    public void Embed_Help_ListsEveryOptionWithItsDefault()
    {
        var result = CliRunner.Run("embed", "--help");
        Assert.Equal(0, result.ExitCode);
        string[] expected =
        [
            "--loss", "--s", "--negatives", "--epochs", "--batch-size", "--lr", "--optimizer", "--metric", "--temperature", "--k", "--knn",
            "--knn-metric", "--dim", "--init", "--seed", "--threads", "--parametric", "--save-model", "--labels", "--label-column",
            "--label-names", "--plot", "--evaluate", "--quiet", "--schedule", "--lr-min-factor", "--warmup-epochs", "--warmup-lr",
            "--momentum", "--weight-decay", "--clip", "--aggregation", "--eps", "--learnable-temperature", "--base-temperature",
            "--clamp-low", "--clamp-high", "--no-early-exaggeration", "--z-bar", "--neg-spec", "--ince-spec", "--hidden",
        ];
        foreach (string option in expected)
            Assert.Matches($@"(?m)^\s+{System.Text.RegularExpressions.Regex.Escape(option)}[ <]", result.Out);
        Assert.Contains("[default: infonce]", result.Out);
        Assert.Contains("[default: 200]", result.Out);
        Assert.Contains("[default: 32768]", result.Out);
        Assert.Contains("[default: sgd]", result.Out);
        Assert.Contains("[default: 0.5]", result.Out);
        Assert.Contains("[default: pca]", result.Out);
        Assert.Contains("[default: 4]", result.Out);
    }
}
