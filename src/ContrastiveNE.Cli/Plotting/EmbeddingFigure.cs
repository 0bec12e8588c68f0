using ContrastiveNE.Cli.Files;
using ContrastiveNE.Data;
using ContrastiveNE.Randomness;
using ScottPlot;
using SkiaSharp;

namespace ContrastiveNE.Cli.Plotting;

/// <summary>One panel of a figure: an n × 2 (or wider; the first two columns are drawn) embedding and its title.</summary>
internal sealed record FigurePanel(string Title, Matrix Embedding);

/// <summary>
/// Scatter figures of embeddings: one or more side-by-side square panels (ScottPlot: equal aspect, no axes, ticks or
/// grid) and one shared legend column drawn with Skia. Rendering is deterministic: the draw order is a fixed
/// shuffle of per-class chunks, so no class is systematically painted over the others.
/// </summary>
internal static class EmbeddingFigure
{
    private const int ChunksPerClass = 8;
    private const float LegendFontSize = 18f;

    /// <summary>Renders the panels to PNG bytes.</summary>
    /// <param name="panels">The panels, left to right; all must have the same number of rows as the labels.</param>
    /// <param name="labels">Colours and legend; null draws every point in one colour, without a legend.</param>
    /// <param name="panelSize">Width and height of each panel in pixels.</param>
    public static byte[] RenderPng(IReadOnlyList<FigurePanel> panels, LabelSet? labels, int panelSize = 800)
    {
        ArgumentOutOfRangeException.ThrowIfZero(panels.Count);
        foreach (var panel in panels)
        {
            if (panel.Embedding.Columns < 2)
                throw new InvalidDataException($"{panel.Title}: a plot needs at least 2 columns, the embedding has {panel.Embedding.Columns}.");
            if (labels is not null && labels.Count != panel.Embedding.Rows)
                throw new InvalidDataException($"{panel.Title}: {panel.Embedding.Rows} points but {labels.Count} labels; expected one label per row.");
        }
        _ = FigureFont.Typeface;

        var colors = labels is null ? [Palette.Unlabelled] : Palette.For(labels.ClassCount);
        using var legendFont = new SKFont(FigureFont.Typeface, LegendFontSize);
        int legendWidth = labels is null ? 0 : LegendWidth(labels, legendFont);
        int width = panels.Count * panelSize + legendWidth;
        int height = panelSize;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Could not allocate a {width} × {height} image.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        for (int p = 0; p < panels.Count; p++)
        {
            using var plot = BuildPanel(panels[p], labels, colors, panelSize);
            canvas.Save();
            canvas.Translate(p * panelSize, 0);
            canvas.ClipRect(new SKRect(0, 0, panelSize, panelSize));
            plot.Render(canvas, panelSize, panelSize);
            canvas.Restore();
        }
        if (labels is not null)
            DrawLegend(canvas, labels, colors, legendFont, panels.Count * panelSize, height);

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static Plot BuildPanel(FigurePanel panel, LabelSet? labels, Color[] colors, int panelSize)
    {
        var plot = new Plot();
        if (FigureFont.IsRegistered) plot.Font.Set(FigureFont.Family);
        plot.HideAxesAndGrid();
        plot.Axes.Frameless();
        plot.Axes.SquareUnits();
        plot.Title(panel.Title, size: 22);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;

        var embedding = panel.Embedding;
        int n = embedding.Rows;
        var style = PointStyle.For(n, panelSize);
        var codes = labels?.Codes;
        int classCount = colors.Length;

        // Split every class into chunks and draw the chunks in a fixed shuffled order.
        var members = new List<int>[classCount];
        for (int c = 0; c < classCount; c++) members[c] = [];
        for (int i = 0; i < n; i++) members[codes?[i] ?? 0].Add(i);
        var chunks = new List<(int Class, int Start, int Count)>();
        for (int c = 0; c < classCount; c++)
        {
            int count = members[c].Count, size = Math.Max(1, (count + ChunksPerClass - 1) / ChunksPerClass);
            for (int start = 0; start < count; start += size) chunks.Add((c, start, Math.Min(size, count - start)));
        }
        var order = Enumerable.Range(0, chunks.Count).ToArray();
        var random = Xoshiro256.Create(20230501);
        random.Shuffle(order.AsSpan());

        foreach (int index in order)
        {
            var (c, start, count) = chunks[index];
            var xs = new double[count];
            var ys = new double[count];
            for (int t = 0; t < count; t++)
            {
                int i = members[c][start + t];
                xs[t] = embedding[i, 0];
                ys[t] = embedding[i, 1];
            }
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, style.Size, colors[c].WithAlpha(style.Alpha));
            markers.MarkerLineWidth = 0;
        }
        plot.HideLegend();
        return plot;
    }

    private static int LegendWidth(LabelSet labels, SKFont font)
    {
        float widest = 0;
        foreach (string name in labels.Names) widest = Math.Max(widest, font.MeasureText(name));
        int columns = LegendColumns(labels.ClassCount);
        return (int)Math.Ceiling(columns * (widest + 48) + 24);
    }

    private static int LegendColumns(int classCount) => Math.Max(1, (classCount + 29) / 30);

    private static void DrawLegend(SKCanvas canvas, LabelSet labels, Color[] colors, SKFont font, int left, int height)
    {
        int columns = LegendColumns(labels.ClassCount);
        int perColumn = (labels.ClassCount + columns - 1) / columns;
        float rowHeight = LegendFontSize * 1.6f;
        float widest = labels.Names.Max(name => font.MeasureText(name));
        float top = Math.Max(16, (height - perColumn * rowHeight) / 2);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var dot = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        for (int c = 0; c < labels.ClassCount; c++)
        {
            int column = c / perColumn, row = c % perColumn;
            float x = left + 12 + column * (widest + 48);
            float y = top + row * rowHeight;
            var color = colors[c];
            dot.Color = new SKColor(color.R, color.G, color.B, 255);
            canvas.DrawCircle(x + 10, y + rowHeight / 2, 7, dot);
            canvas.DrawText(labels.Names[c], x + 26, y + rowHeight / 2 + LegendFontSize * 0.35f, SKTextAlign.Left, font, text);
        }
    }
}
