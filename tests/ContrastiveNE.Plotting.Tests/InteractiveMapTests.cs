using System.Text;
using System.Text.RegularExpressions;
using ContrastiveNE.Data;

namespace ContrastiveNE.Plotting.Tests;

public class InteractiveMapTests
{
    private static byte[] Block(string html, string id) =>
        Convert.FromBase64String(Regex.Match(html, $"<script type=\"application/octet-stream\" id=\"{id}\">([^<]*)</script>").Groups[1].Value);

    [Fact]
    public void Render_StoresPositionsAndLabelsInline_AndLoadsNothing()
    {
        var (embedding, labels) = EmbeddingFigureTests.Blobs(3, 50);
        string html = Encoding.UTF8.GetString(InteractiveMap.Render(embedding, new InteractiveMapOptions { Title = "a <b> & c", Labels = labels }));

        var xy = Block(html, "cne-xy");
        Assert.Equal(150 * 8, xy.Length);
        for (int i = 0; i < 150; i += 37)
        {
            Assert.Equal(embedding[i, 0], BitConverter.ToSingle(xy, 8 * i));
            Assert.Equal(embedding[i, 1], BitConverter.ToSingle(xy, 8 * i + 4));
        }
        Assert.Equal(labels.Codes.Select(c => (byte)c), Block(html, "cne-labels"));
        Assert.Contains("<title>a &lt;b&gt; &amp; c</title>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotMatch("https?://|\\bsrc=|url\\(|@import", html);
        Assert.Contains("default-src 'none'", html);
    }

    [Fact]
    public void Render_Thumbnails_AreGzippedBytesOfTheImages()
    {
        var data = new Matrix(4, 64);
        for (int i = 0; i < data.Data.Length; i++) data.Data[i] = i % 17;   // 0 … 16, as the digits data
        var thumbnails = MapThumbnails.FromData(data, 8, 8);
        string html = Encoding.UTF8.GetString(InteractiveMap.Render(new Matrix(4, 2), new InteractiveMapOptions { Thumbnails = thumbnails }));

        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(Block(html, "cne-images")), System.IO.Compression.CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        gzip.CopyTo(inflated);
        Assert.Equal(thumbnails.Pixels, inflated.ToArray());
        Assert.Equal(255, thumbnails.Pixels[16]);   // the largest value (16) becomes white
        Assert.Equal(0, thumbnails.Pixels[0]);
    }

    [Fact]
    public void GuessShape_SquareNonNegativeColumns_AreImages()
    {
        Assert.Equal((28, 28), MapThumbnails.GuessShape(new Matrix(2, 784)));
        Assert.Equal((8, 8), MapThumbnails.GuessShape(new Matrix(2, 64)));
        Assert.Null(MapThumbnails.GuessShape(new Matrix(2, 50)));
        Assert.Null(MapThumbnails.GuessShape(new Matrix(2, 16)));   // 4 × 4 is more likely 16 features
        Assert.Null(MapThumbnails.GuessShape(new Matrix(2, 10_000)));   // 100 × 100: more likely 10,000 genes
        var negative = new Matrix(2, 64);
        negative[1, 3] = -0.5f;
        Assert.Null(MapThumbnails.GuessShape(negative));
    }

    [Fact]
    public void Render_NonFiniteEmbedding_ThrowsNamingTheRow()
    {
        var embedding = new Matrix(5, 2);
        embedding[3, 1] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => InteractiveMap.Render(embedding));
        Assert.Equal("embedding", e.ParamName);
        Assert.Contains("Row 3 of the embedding is not finite", e.Message);
    }

    [Fact]
    public void Render_HoverColumnOfAnotherLength_ThrowsNamingTheColumn()
    {
        var options = new InteractiveMapOptions { HoverColumns = [new HoverColumn("age", [1f, 2f])] };
        var e = Assert.Throws<ArgumentException>(() => InteractiveMap.Render(new Matrix(3, 2), options));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("Hover column 'age' has 2 values for 3 points", e.Message);
    }
}
