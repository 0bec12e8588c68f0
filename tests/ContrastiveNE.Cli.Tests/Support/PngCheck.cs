using SkiaSharp;

namespace ContrastiveNE.Cli.Tests.Support;

/// <summary>Reads a PNG back and measures what a reader of the picture would see.</summary>
public sealed class PngCheck
{
    private static readonly (byte R, byte G, byte B)[] Tab10 =
    [
        (0x1f, 0x77, 0xb4), (0xff, 0x7f, 0x0e), (0x2c, 0xa0, 0x2c), (0xd6, 0x27, 0x28), (0x94, 0x67, 0xbd),
        (0x8c, 0x56, 0x4b), (0xe3, 0x77, 0xc2), (0x7f, 0x7f, 0x7f), (0xbc, 0xbd, 0x22), (0x17, 0xbe, 0xcf),
    ];

    private readonly SKBitmap _bitmap;

    private PngCheck(SKBitmap bitmap) => _bitmap = bitmap;

    /// <summary>Decodes the file (fails the test when it is not a PNG).</summary>
    public static PngCheck Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 8 && bytes[0] == 0x89 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G', $"{path} is not a PNG");
        var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        return new PngCheck(bitmap);
    }

    /// <summary>Width in pixels.</summary>
    public int Width => _bitmap.Width;

    /// <summary>Height in pixels.</summary>
    public int Height => _bitmap.Height;

    /// <summary>The fraction of pixels in columns [x0, x1) that are (near) white background.</summary>
    public double BackgroundFraction(int x0, int x1)
    {
        long white = 0, total = 0;
        for (int y = 0; y < Height; y++)
            for (int x = x0; x < x1; x++)
            {
                var c = _bitmap.GetPixel(x, y);
                total++;
                if (c.Red > 245 && c.Green > 245 && c.Blue > 245) white++;
            }
        return (double)white / total;
    }

    /// <summary>
    /// How many pixels in columns [x0, x1) look like each tab10 colour blended over white (pixel = w + a (c − w)
    /// for some opacity a, within a small residual).
    /// </summary>
    public int[] Tab10PixelCounts(int x0, int x1)
    {
        var counts = new int[Tab10.Length];
        for (int y = 0; y < Height; y++)
            for (int x = x0; x < x1; x++)
            {
                var p = _bitmap.GetPixel(x, y);
                if (p.Red > 240 && p.Green > 240 && p.Blue > 240) continue;
                int best = -1;
                double bestResidual = double.MaxValue;
                for (int k = 0; k < Tab10.Length; k++)
                {
                    var (r, g, b) = Tab10[k];
                    double dr = r - 255.0, dg = g - 255.0, db = b - 255.0;
                    double pr = p.Red - 255.0, pg = p.Green - 255.0, pb = p.Blue - 255.0;
                    double a = Math.Clamp((pr * dr + pg * dg + pb * db) / (dr * dr + dg * dg + db * db), 0, 1);
                    double residual = Math.Sqrt(Sq(pr - a * dr) + Sq(pg - a * dg) + Sq(pb - a * db));
                    if (residual < bestResidual) { bestResidual = residual; best = k; }
                }
                if (bestResidual < 12) counts[best]++;
            }
        return counts;
    }

    /// <summary>
    /// Asserts a readable figure of <paramref name="panels"/> square panels of <paramref name="panelSize"/> pixels side
    /// by side: each panel mostly background but not blank, at least <paramref name="minColours"/> label colours with a
    /// visible number of pixels; with <paramref name="legend"/> a legend column right of the panels that shows at least
    /// as many colour swatches (and text), without it no column at all.
    /// </summary>
    public void AssertScatter(int panels, int panelSize, bool legend, int minColours)
    {
        Assert.Equal(panelSize, Height);
        int panelRight = panels * panelSize;
        if (legend)
        {
            Assert.InRange(Width, panelRight + 60, panelRight + 800);
            Assert.InRange(BackgroundFraction(panelRight, Width), 0.5, 0.995);
            int swatches = Tab10PixelCounts(panelRight, Width).Count(n => n >= 40); // a swatch is a disc of radius 7, ~150 px
            Assert.True(swatches >= minColours, $"only {swatches} colour swatches in the legend");
        }
        else Assert.Equal(panelRight, Width);
        for (int p = 0; p < panels; p++)
        {
            double background = BackgroundFraction(p * panelSize, (p + 1) * panelSize);
            Assert.InRange(background, 0.5, 0.995);
            int coloured = Tab10PixelCounts(p * panelSize, (p + 1) * panelSize).Count(n => n >= 50);
            Assert.True(coloured >= minColours, $"panel {p}: only {coloured} label colours visible");
        }
    }

    private static double Sq(double v) => v * v;
}
