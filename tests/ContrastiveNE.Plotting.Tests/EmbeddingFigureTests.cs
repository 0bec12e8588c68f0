using System.Xml.Linq;
using ContrastiveNE.Data;
using SkiaSharp;

namespace ContrastiveNE.Plotting.Tests;

public class EmbeddingFigureTests
{
    /// <summary><paramref name="classes"/> blobs on a circle, <paramref name="perClass"/> points each; labels = blob.</summary>
    internal static (Matrix Embedding, ClassLabels Labels) Blobs(int classes, int perClass, int seed = 1)
    {
        var random = new Random(seed);
        var embedding = new Matrix(classes * perClass, 2);
        var codes = new int[classes * perClass];
        for (int c = 0; c < classes; c++)
            for (int t = 0; t < perClass; t++)
            {
                int i = c * perClass + t;
                double angle = 2 * Math.PI * c / classes;
                embedding[i, 0] = (float)(10 * Math.Cos(angle) + random.NextDouble() - 0.5);
                embedding[i, 1] = (float)(10 * Math.Sin(angle) + random.NextDouble() - 0.5);
                codes[i] = c;
            }
        return (embedding, new ClassLabels(codes, Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray()));
    }

    [Fact]
    public void RenderPng_Blobs_ShowsEveryClassColour()
    {
        var (embedding, labels) = Blobs(5, 100);
        byte[] png = EmbeddingFigure.RenderPng([new FigurePanel("blobs", embedding)], labels, panelSize: 400);

        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(400, bitmap.Height);
        Assert.True(bitmap.Width > 400, $"no legend column: width {bitmap.Width}");
        foreach (string hex in Palette.HexFor(5))
        {
            var colour = SKColor.Parse(hex);
            int count = 0;
            for (int y = 0; y < 400; y++)
                for (int x = 0; x < 400; x++)
                {
                    var p = bitmap.GetPixel(x, y);
                    if (Math.Abs(p.Red - colour.Red) + Math.Abs(p.Green - colour.Green) + Math.Abs(p.Blue - colour.Blue) < 40) count++;
                }
            Assert.True(count > 50, $"{hex}: only {count} pixels of the class colour");
        }
    }

    [Fact]
    public void RenderSvg_Blobs_IsWellFormedSvgWithAShapePerPointAndTheLegendNames()
    {
        var (embedding, labels) = Blobs(3, 40);
        byte[] svg = EmbeddingFigure.RenderSvg([new FigurePanel("blobs", embedding)], labels, panelSize: 300);

        var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(svg));
        Assert.Equal("svg", document.Root!.Name.LocalName);
        int shapes = document.Descendants().Count(e => e.Name.LocalName is "circle" or "path" or "ellipse");
        Assert.True(shapes >= 120, $"{shapes} shapes for 120 points");
        string text = string.Concat(document.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
        Assert.Contains("class 2", text);
    }

    [Fact]
    public void RenderPng_LabelsForAnotherNumberOfPoints_ThrowsNamingLabels()
    {
        var (embedding, _) = Blobs(2, 10);
        var labels = new ClassLabels(new int[5], ["a"]);
        var e = Assert.Throws<ArgumentException>(() => EmbeddingFigure.RenderPng([new FigurePanel("x", embedding)], labels));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("20 points but 5 labels", e.Message);
    }

    [Fact]
    public void RenderPng_OneColumnEmbedding_ThrowsNamingPanels()
    {
        var e = Assert.Throws<ArgumentException>(() => EmbeddingFigure.RenderPng([new FigurePanel("thin", new Matrix(4, 1))], null));
        Assert.Equal("panels", e.ParamName);
        Assert.Contains("thin: a plot needs at least 2 columns", e.Message);
    }

    [Fact]
    public void ClassLabels_CodeOutsideTheNames_ThrowsNamingCodes()
    {
        var e = Assert.Throws<ArgumentException>(() => new ClassLabels([0, 1, 2], ["a", "b"]));
        Assert.Equal("codes", e.ParamName);
        Assert.Contains("Point 2 has class code 2", e.Message);
    }

    [Theory]
    [InlineData("a/map.png", PlotFormat.Png)]
    [InlineData("MAP.SVG", PlotFormat.Svg)]
    [InlineData("map.html", PlotFormat.Html)]
    [InlineData("map.htm", PlotFormat.Html)]
    public void PlotFormats_FromPath_ReadsTheExtension(string path, PlotFormat expected) =>
        Assert.Equal(expected, PlotFormats.FromPath(path));

    [Fact]
    public void PlotFormats_FromPath_UnknownExtension_ThrowsNamingTheFile()
    {
        var e = Assert.Throws<ArgumentException>(() => PlotFormats.FromPath("map.jpg"));
        Assert.Contains("'map.jpg'", e.Message);
    }
}
