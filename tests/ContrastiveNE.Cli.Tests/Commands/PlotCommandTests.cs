using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Tests.Commands;

public class PlotCommandTests
{
    [Fact]
    public void Plot_LabelledBlobs_DrawsEveryClassColourOnMostlyWhiteBackground()
    {
        using var dir = new TempDir();
        var (embedding, labels) = TestData.Blobs(10, 150);
        string embeddingPath = dir.File("blobs.npy");
        string labelsPath = dir.File("labels.npy");
        NpyFile.Write(embeddingPath, embedding);
        NpyFile.WriteLabels(labelsPath, labels);
        string png = dir.File("blobs.png");

        var result = CliRunner.Run("plot", embeddingPath, "--labels", labelsPath, "-o", png, "--size", "600");

        Assert.Equal(0, result.ExitCode);
        var check = PngCheck.Load(png);
        Assert.Equal(600, check.Height);
        Assert.InRange(check.Width, 650, 800);
        check.AssertScatter(panels: 1, panelSize: 600, legend: true, minColours: 10);
    }

    [Fact]
    public void Plot_SameInput_GivesByteIdenticalPng()
    {
        using var dir = new TempDir();
        var (embedding, labels) = TestData.Blobs(4, 200);
        string embeddingPath = dir.File("e.csv");
        DelimitedFile.Write(embeddingPath, embedding);
        string labelsPath = dir.File("labels.txt");
        File.WriteAllLines(labelsPath, labels.Select(l => l.ToString()));
        string names = dir.File("names.txt");
        File.WriteAllLines(names, ["north", "west", "south", "east"]);

        var a = CliRunner.Run("plot", embeddingPath, "--labels", labelsPath, "--label-names", names, "-o", dir.File("a.png"), "--quiet");
        var b = CliRunner.Run("plot", embeddingPath, "--labels", labelsPath, "--label-names", names, "-o", dir.File("b.png"), "--quiet");

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b.ExitCode);
        Assert.Equal(File.ReadAllBytes(dir.File("a.png")), File.ReadAllBytes(dir.File("b.png")));
        PngCheck.Load(dir.File("a.png")).AssertScatter(panels: 1, panelSize: 800, legend: true, minColours: 4);
    }

    [Fact]
    public void Plot_WithoutLabels_DrawsOneColourAndNoLegend()
    {
        using var dir = new TempDir();
        var (embedding, _) = TestData.Blobs(3, 100);
        string embeddingPath = dir.File("e.npy");
        NpyFile.Write(embeddingPath, embedding);

        var result = CliRunner.Run("plot", embeddingPath, "-o", dir.File("e.png"), "--size", "400");

        Assert.Equal(0, result.ExitCode);
        var check = PngCheck.Load(dir.File("e.png"));
        check.AssertScatter(panels: 1, panelSize: 400, legend: false, minColours: 1); // no legend: exactly 400 wide
        var counts = check.Tab10PixelCounts(0, 400);
        Assert.Equal(1, counts.Count(n => n >= 50));
        counts[7] = 0; // tab10's grey also matches the anti-aliased edges of the black title text
        Assert.True(counts.Sum() - counts.Max() <= counts.Max() / 100, $"more than one colour: {string.Join(", ", counts)}");
    }

    [Fact]
    public void Plot_SvgOutput_WritesAnSvgDocumentWithTheLegendNames()
    {
        using var dir = new TempDir();
        var (embedding, labels) = TestData.Blobs(3, 30);
        NpyFile.Write(dir.File("e.npy"), embedding);
        NpyFile.WriteLabels(dir.File("l.npy"), labels);

        var result = CliRunner.Run("plot", dir.File("e.npy"), "--labels", dir.File("l.npy"), "-o", dir.File("e.svg"), "--quiet");

        Assert.Equal(0, result.ExitCode);
        var svg = System.Xml.Linq.XDocument.Load(dir.File("e.svg"));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains("2", svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()));
    }

    [Fact]
    public void Plot_TooFewLabelNames_IsADataErrorNamingTheFile()
    {
        using var dir = new TempDir();
        var (embedding, labels) = TestData.Blobs(3, 20);
        NpyFile.Write(dir.File("e.npy"), embedding);
        NpyFile.WriteLabels(dir.File("l.npy"), labels);
        File.WriteAllLines(dir.File("names.txt"), ["a", "b"]);

        var result = CliRunner.Run("plot", dir.File("e.npy"), "--labels", dir.File("l.npy"), "--label-names", dir.File("names.txt"), "-o", dir.File("e.png"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("names.txt: 2 names for 3 classes", result.ErrorLine);
        Assert.False(File.Exists(dir.File("e.png")));
    }

    [Fact]
    public void Plot_LabelCountMismatch_IsADataError()
    {
        using var dir = new TempDir();
        var (embedding, labels) = TestData.Blobs(3, 20);
        NpyFile.Write(dir.File("e.npy"), embedding);
        NpyFile.WriteLabels(dir.File("l.npy"), labels.AsSpan(0, 50));

        var result = CliRunner.Run("plot", dir.File("e.npy"), "--labels", dir.File("l.npy"), "-o", dir.File("e.png"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("l.npy: 50 labels for 60 data rows", result.ErrorLine);
    }
}
