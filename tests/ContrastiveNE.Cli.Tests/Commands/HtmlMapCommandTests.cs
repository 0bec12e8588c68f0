using System.Text.RegularExpressions;
using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Tests.Commands;

/// <summary><c>cne plot -o map.html</c> and <c>cne embed --plot map.html</c>: the interactive page (its behaviour in a browser is tested in ContrastiveNE.Plotting.Tests).</summary>
public class HtmlMapCommandTests
{
    private static string Meta(string html) => Regex.Match(html, "<script type=\"application/json\" id=\"cne-meta\">(.*?)</script>").Groups[1].Value;

    [Fact]
    public void Plot_Html_WritesOneSelfContainedPageWithGuessedThumbnailsAndHoverColumns()
    {
        using var dir = new TempDir();
        var (embedding, _) = TestData.Blobs(10, 20);
        NpyFile.Write(dir.File("e.npy"), embedding.SelectRows(Enumerable.Range(0, 200).ToArray()));
        var images = NpyFile.ReadMatrix(TestData.DigitsImages).SelectRows(Enumerable.Range(0, 200).ToArray());
        NpyFile.Write(dir.File("d.npy"), images);
        var labels = NpyFile.ReadLabels(TestData.DigitsLabels).AsSpan(0, 200);
        NpyFile.WriteLabels(dir.File("l.npy"), labels);

        var result = CliRunner.Run("plot", dir.File("e.npy"), "--labels", dir.File("l.npy"), "--data", dir.File("d.npy"),
            "--hover-columns", "0,36", "-o", dir.File("map.html"), "--quiet");

        Assert.Equal(0, result.ExitCode);
        string html = File.ReadAllText(dir.File("map.html"));
        string meta = Meta(html);
        Assert.Contains("\"image\":{\"width\":8,\"height\":8}", meta);
        Assert.Contains("\"hover\":[\"column 0\",\"column 36\"]", meta);
        Assert.Contains("id=\"cne-images\"", html);
        Assert.Contains("default-src 'none'", html);
        Assert.DoesNotMatch("https?://|\\bsrc=|url\\(|@import", html);
    }

    [Fact]
    public void Embed_PlotHtml_ShowsTheRunSettingsAndCsvHoverColumns()
    {
        using var dir = new TempDir();
        string csv = TestData.WriteDigitsCsv(dir, 150);

        var result = CliRunner.Run("embed", csv, "--label-column", "digit", "-o", dir.File("e.npy"), "--plot", dir.File("map.html"),
            "--hover-columns", "p10,p20", "--image-shape", "none", "--epochs", "5", "--loss", "neg", "--s", "0.5", "--quiet", "--threads", "1");

        Assert.Equal(0, result.ExitCode);
        string meta = Meta(File.ReadAllText(dir.File("map.html")));
        Assert.Contains("[\"loss\",\"neg\"],[\"s\",\"0.5\"],[\"preset\",\"reference\"],[\"n\",\"150\"]", meta);
        Assert.Contains("\"hover\":[\"p10\",\"p20\"]", meta);
        Assert.Contains("\"image\":null", meta);
    }

    [Fact]
    public void Plot_ImageShapeWithAPng_IsAUsageError()
    {
        using var dir = new TempDir();
        NpyFile.Write(dir.File("e.npy"), TestData.Blobs(2, 10).Embedding);

        var result = CliRunner.Run("plot", dir.File("e.npy"), "--data", dir.File("e.npy"), "--image-shape", "2x1", "-o", dir.File("e.png"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("write it with -o FILE.html", result.ErrorLine);
    }

    [Fact]
    public void Plot_UnknownHoverColumn_NamesTheColumnAndTheFile()
    {
        using var dir = new TempDir();
        NpyFile.Write(dir.File("e.npy"), TestData.Blobs(2, 10).Embedding);

        var result = CliRunner.Run("plot", dir.File("e.npy"), "--data", dir.File("e.npy"), "--hover-columns", "height", "-o", dir.File("e.html"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--hover-columns: 'height' is not a column of", result.ErrorLine);
        Assert.False(File.Exists(dir.File("e.html")));
    }

    [Fact]
    public void Plot_ImageShapeNotMatchingTheColumns_NamesBothSizes()
    {
        using var dir = new TempDir();
        NpyFile.Write(dir.File("e.npy"), TestData.Blobs(2, 10).Embedding);

        var result = CliRunner.Run("plot", dir.File("e.npy"), "--data", dir.File("e.npy"), "--image-shape", "28x28", "-o", dir.File("e.html"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--image-shape 28x28: an image of 28 × 28 pixels has 784 values, but the rows of", result.ErrorLine);
    }
}
