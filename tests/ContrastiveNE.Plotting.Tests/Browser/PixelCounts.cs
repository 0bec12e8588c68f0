using SkiaSharp;

namespace ContrastiveNE.Plotting.Tests.Browser;

/// <summary>Counts screenshot pixels by class colour, outside the page's panels.</summary>
internal static class PixelCounts
{
    /// <summary>
    /// For each colour, the pixels that look like it blended over white (pixel = w + a (c − w) for some opacity a,
    /// within a small residual), skipping near-white pixels and the given boxes.
    /// </summary>
    public static int[] ByColour(SKBitmap bitmap, IReadOnlyList<string> hexColours, IReadOnlyList<(double X, double Y, double W, double H)> masks)
    {
        var colours = hexColours.Select(SKColor.Parse).ToArray();
        var counts = new int[colours.Length];
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                if (masks.Any(m => x >= m.X - 2 && x <= m.X + m.W + 2 && y >= m.Y - 2 && y <= m.Y + m.H + 2)) continue;
                int best = Classify(bitmap.GetPixel(x, y), colours);
                if (best >= 0) counts[best]++;
            }
        return counts;
    }

    /// <summary>The index of the colour the pixel shows, or −1 for white or no colour.</summary>
    public static int Classify(SKColor p, SKColor[] colours)
    {
        if (p.Red > 245 && p.Green > 245 && p.Blue > 245) return -1;
        int best = -1;
        double bestResidual = double.MaxValue;
        for (int k = 0; k < colours.Length; k++)
        {
            double dr = colours[k].Red - 255.0, dg = colours[k].Green - 255.0, db = colours[k].Blue - 255.0;
            double pr = p.Red - 255.0, pg = p.Green - 255.0, pb = p.Blue - 255.0;
            double a = Math.Clamp((pr * dr + pg * dg + pb * db) / (dr * dr + dg * dg + db * db), 0, 1);
            double residual = Math.Sqrt(Sq(pr - a * dr) + Sq(pg - a * dg) + Sq(pb - a * db));
            if (residual < bestResidual) { bestResidual = residual; best = k; }
        }
        return bestResidual < 14 ? best : -1;
    }

    /// <summary>
    /// Of the pixels that are not white in one of two screenshots of one size (outside the boxes), the fraction that
    /// differ by more than a little.
    /// </summary>
    public static double ChangedFraction(SKBitmap a, SKBitmap b, IReadOnlyList<(double X, double Y, double W, double H)> masks)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        long changed = 0, inked = 0;
        for (int y = 0; y < a.Height; y++)
            for (int x = 0; x < a.Width; x++)
            {
                if (masks.Any(m => x >= m.X - 2 && x <= m.X + m.W + 2 && y >= m.Y - 2 && y <= m.Y + m.H + 2)) continue;
                SKColor p = a.GetPixel(x, y), q = b.GetPixel(x, y);
                if (Math.Min(p.Red, Math.Min(p.Green, p.Blue)) > 245 && Math.Min(q.Red, Math.Min(q.Green, q.Blue)) > 245) continue;
                inked++;
                if (Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue) > 30) changed++;
            }
        return inked == 0 ? 0 : (double)changed / inked;
    }

    private static double Sq(double v) => v * v;
}
