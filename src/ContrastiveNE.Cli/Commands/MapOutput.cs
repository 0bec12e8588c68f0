using ContrastiveNE.Cli.Files;
using ContrastiveNE.Plotting;

namespace ContrastiveNE.Cli.Commands;

/// <summary>Writes a map in the format its file extension asks for (the drawing itself lives in ContrastiveNE.Plotting).</summary>
internal static class MapOutput
{
    /// <summary>The extensions of a static figure: PNG or SVG.</summary>
    public static readonly string[] FigureExtensions = [".png", ".svg"];

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
}
