namespace ContrastiveNE.Plotting;

/// <summary>The kinds of map this package draws.</summary>
public enum PlotFormat
{
    /// <summary>A PNG picture (<see cref="EmbeddingFigure.RenderPng"/>).</summary>
    Png,

    /// <summary>An SVG drawing, one circle per point (<see cref="EmbeddingFigure.RenderSvg"/>).</summary>
    Svg,

    /// <summary>A self-contained interactive HTML page (<see cref="InteractiveMap"/>).</summary>
    Html,
}

/// <summary>File extensions of the <see cref="PlotFormat"/>s.</summary>
public static class PlotFormats
{
    /// <summary>The extensions this package writes, lower case with the dot: .png, .svg, .html, .htm.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".svg", ".html", ".htm"];

    /// <summary>The format a file name asks for, from its extension (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The extension is none of <see cref="Extensions"/>.</exception>
    public static PlotFormat FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => PlotFormat.Png,
            ".svg" => PlotFormat.Svg,
            ".html" or ".htm" => PlotFormat.Html,
            _ => throw new ArgumentException($"'{path}': a map is written as {string.Join(", ", Extensions)}; the extension chooses the format.", nameof(path)),
        };
    }
}
