using SkiaSharp;

namespace ContrastiveNE.Plotting;

/// <summary>
/// The font of every figure, picked explicitly so output does not depend on what fontconfig happens to find:
/// DejaVu Sans from Debian's <c>fonts-dejavu-core</c> (installed by <c>.ci/run</c>), else Skia's default typeface.
/// </summary>
internal static class FigureFont
{
    /// <summary>The family name registered with ScottPlot.</summary>
    public const string Family = "DejaVu Sans";

    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/Library/Fonts/DejaVuSans.ttf",
    ];

    private static readonly Lazy<(SKTypeface Typeface, bool Registered)> Loaded = new(Load);

    /// <summary>The typeface for text drawn directly with Skia (the legend).</summary>
    public static SKTypeface Typeface => Loaded.Value.Typeface;

    /// <summary>Whether DejaVu Sans was found and registered with ScottPlot under <see cref="Family"/>.</summary>
    public static bool IsRegistered => Loaded.Value.Registered;

    private static (SKTypeface, bool) Load()
    {
        foreach (string path in Candidates)
        {
            if (!File.Exists(path)) continue;
            ScottPlot.Fonts.AddFontFile(Family, path, bold: false, italic: false);
            return (SKTypeface.FromFile(path) ?? SKTypeface.Default, true);
        }
        return (SKTypeface.Default, false);
    }
}
