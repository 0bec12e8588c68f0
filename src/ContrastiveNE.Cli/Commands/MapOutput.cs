using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Data;
using ContrastiveNE.Plotting;

namespace ContrastiveNE.Cli.Commands;

/// <summary>Writes a map in the format its file extension asks for (the drawing itself lives in ContrastiveNE.Plotting).</summary>
internal static class MapOutput
{
    /// <summary>The extensions of a static figure: PNG or SVG.</summary>
    public static readonly string[] FigureExtensions = [".png", ".svg"];

    /// <summary>The extensions of a map of one embedding: a figure or an interactive HTML page.</summary>
    public static readonly string[] MapExtensions = [".png", ".svg", ".html", ".htm"];

    /// <summary>Whether <paramref name="path"/> asks for the interactive HTML page.</summary>
    public static bool IsHtml(string path) => CliOptions.HasSuffix(path, [".html", ".htm"]);

    /// <summary>Draws the panels as PNG or SVG, by the extension of <paramref name="path"/>, and writes the file atomically.</summary>
    public static void WriteFigure(string path, IReadOnlyList<FigurePanel> panels, LabelSet? labels, int panelSize = 800)
    {
        ClassLabels? classes = labels;
        byte[] bytes = PlotFormats.FromPath(path) switch
        {
            PlotFormat.Svg => EmbeddingFigure.RenderSvg(panels, classes, panelSize),
            PlotFormat.Png => EmbeddingFigure.RenderPng(panels, classes, panelSize),
            _ => throw new CliUsageException($"'{path}': this output is a figure; write it as {string.Join(" or ", FigureExtensions)}."),
        };
        DataFiles.WriteBytes(path, bytes);
    }

    /// <summary>
    /// Draws one embedding as PNG, SVG or an interactive HTML page, by the extension of <paramref name="path"/>;
    /// <paramref name="page"/> gives what only the page shows (thumbnails, hover columns, settings) and is called
    /// for an HTML output only.
    /// </summary>
    public static void WriteMap(string path, FigurePanel panel, LabelSet? labels, int panelSize, Func<InteractiveMapOptions> page)
    {
        if (!IsHtml(path))
        {
            WriteFigure(path, [panel], labels, panelSize);
            return;
        }
        var options = page() with { Title = panel.Title, Labels = labels };
        AtomicFile.Write(path, stream => InteractiveMap.Write(stream, panel.Embedding, options));
    }
}
