using ContrastiveNE.Data;
using ContrastiveNE.Randomness;
using ScottPlot;
using SkiaSharp;

namespace ContrastiveNE.Plotting;

/// <summary>
/// Scatter figures of embeddings: one or more side-by-side square panels (ScottPlot: equal aspect, no axes, ticks or
/// grid) and one shared legend column drawn with Skia. Rendering is deterministic: the draw order is a fixed
/// shuffle of per-class chunks, so no class is systematically painted over the others.
/// </summary>
public static class EmbeddingFigure
{
    private const int ChunksPerClass = 8;
    private const float LegendFontSize = 18f;

    /// <summary>Renders the panels to PNG bytes.</summary>
    /// <param name="panels">The panels, left to right; all must have the same number of rows as the labels.</param>
    /// <param name="labels">Colours and legend; null draws every point in one colour, without a legend.</param>
    /// <param name="panelSize">Width and height of each panel in pixels.</param>
    /// <exception cref="ArgumentException">No panel, a panel narrower than 2 columns, or labels for another number of points.</exception>
    public static byte[] RenderPng(IReadOnlyList<FigurePanel> panels, ClassLabels? labels, int panelSize = 800)
    {
        var (width, height) = Prepare(panels, labels, panelSize, out int legendWidth);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Could not allocate a {width} × {height} image.");
        Draw(surface.Canvas, panels, labels, panelSize, height, legendWidth);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Renders the panels as an SVG document (UTF-8 bytes): the same figure as <see cref="RenderPng"/>, one circle per point.</summary>
    /// <inheritdoc cref="RenderPng" path="/param"/>
    /// <inheritdoc cref="RenderPng" path="/exception"/>
    public static byte[] RenderSvg(IReadOnlyList<FigurePanel> panels, ClassLabels? labels, int panelSize = 800)
    {
        var (width, height) = Prepare(panels, labels, panelSize, out int legendWidth);
        using var stream = new MemoryStream();
        using (var managed = new SKManagedWStream(stream))
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), managed))
            Draw(canvas, panels, labels, panelSize, height, legendWidth);
        return stream.ToArray();
    }

    private static (int Width, int Height) Prepare(IReadOnlyList<FigurePanel> panels, ClassLabels? labels, int panelSize, out int legendWidth)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("A figure needs at least one panel.", nameof(panels));
        ArgumentOutOfRangeException.ThrowIfLessThan(panelSize, 16);
        foreach (var panel in panels)
        {
            if (panel.Embedding.Columns < 2)
                throw new ArgumentException($"{panel.Title}: a plot needs at least 2 columns, the embedding has {panel.Embedding.Columns}.", nameof(panels));
            if (labels is not null && labels.Count != panel.Embedding.Rows)
                throw new ArgumentException($"{panel.Title}: {panel.Embedding.Rows} points but {labels.Count} labels; expected one label per row.", nameof(labels));
        }
        _ = FigureFont.Typeface;
        using var legendFont = new SKFont(FigureFont.Typeface, LegendFontSize);
        legendWidth = labels is null ? 0 : LegendWidth(labels, legendFont);
        return (panels.Count * panelSize + legendWidth, panelSize);
    }

    private static void Draw(SKCanvas canvas, IReadOnlyList<FigurePanel> panels, ClassLabels? labels, int panelSize, int height, int legendWidth)
    {
        var colors = labels is null ? [Palette.Unlabelled] : Palette.For(labels.ClassCount);
        using var legendFont = new SKFont(FigureFont.Typeface, LegendFontSize);
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
        if (labels is not null && legendWidth > 0)
            DrawLegend(canvas, labels, colors, legendFont, panels.Count * panelSize, height);
    }

    private static Plot BuildPanel(FigurePanel panel, ClassLabels? labels, Color[] colors, int panelSize)
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

    private static int LegendWidth(ClassLabels labels, SKFont font)
    {
        float widest = 0;
        foreach (string name in labels.Names) widest = Math.Max(widest, font.MeasureText(name));
        int columns = LegendColumns(labels.ClassCount);
        return (int)Math.Ceiling(columns * (widest + 48) + 24);
    }

    private static int LegendColumns(int classCount) => Math.Max(1, (classCount + 29) / 30);

    private static void DrawLegend(SKCanvas canvas, ClassLabels labels, Color[] colors, SKFont font, int left, int height)
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
