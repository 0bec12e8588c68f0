using ScottPlot;

namespace ContrastiveNE.Plotting;

/// <summary>
/// Class colours: matplotlib's tab10 for up to 10 classes (what readers of t-SNE/UMAP figures know), tab20 up to
/// 20, and evenly spread hues beyond.
/// </summary>
internal static class Palette
{
    private static readonly string[] Tab10 =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private static readonly string[] Tab20 =
    [
        "#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896", "#9467bd", "#c5b0d5",
        "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7", "#bcbd22", "#dbdb8d", "#17becf", "#9edae5",
    ];

    /// <summary>The colour used when there are no labels.</summary>
    public static Color Unlabelled => Color.FromHex("#3a6ea5");

    /// <summary>One colour per class as CSS hex text, #rrggbb (the same colours as <see cref="For"/>).</summary>
    public static string[] HexFor(int classCount) =>
        For(classCount).Select(c => $"#{c.R:x2}{c.G:x2}{c.B:x2}").ToArray();

    /// <summary>The colour used when there are no labels, as CSS hex text.</summary>
    public static string UnlabelledHex => "#3a6ea5";

    /// <summary>One colour per class.</summary>
    public static Color[] For(int classCount)
    {
        if (classCount <= 10) return Tab10.Take(Math.Max(classCount, 1)).Select(Color.FromHex).ToArray();
        if (classCount <= 20) return Tab20.Take(classCount).Select(Color.FromHex).ToArray();
        var colors = new Color[classCount];
        for (int i = 0; i < classCount; i++)
        {
            // Golden-ratio hue steps keep neighbouring codes far apart on the colour wheel.
            double hue = (i * 0.618033988749895) % 1.0;
            double lightness = i % 2 == 0 ? 0.45 : 0.6;
            colors[i] = Color.FromHSL((float)hue, 0.65f, (float)lightness);
        }
        return colors;
    }
}
