using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ContrastiveNE.Data;

namespace ContrastiveNE.Plotting;

/// <summary>
/// An embedding as one self-contained interactive HTML page: every script, style and datum inline, no network request
/// of any kind (its Content-Security-Policy forbids them), so the file works opened from a disk without internet.
/// The page draws the points with WebGL 2 (a point-sprite shader; pan with a drag, zoom with the wheel, double-click
/// resets), shows a tooltip with the row index, the label, chosen data columns and an image thumbnail on hover
/// (click pins it), a legend whose entries hide and show classes, the title and settings in a corner, and a
/// "save PNG" button.
/// </summary>
/// <remarks>
/// Layout of the data, each a base64 block: positions as little-endian float32 x, y per row (8 bytes a point); class
/// codes as one byte per point (two for more than 256 classes); hover columns as float32, column after column;
/// thumbnails as 8-bit greyscale pixels, gzip-compressed (the browser inflates them with its DecompressionStream).
/// The script itself is the package's embedded resource <c>Html/map.js</c>.
/// </remarks>
public static class InteractiveMap
{
    private static readonly Lazy<string> Script = new(() => Resource("ContrastiveNE.Plotting.map.js"));
    private static readonly Lazy<string> Style = new(() => Resource("ContrastiveNE.Plotting.map.css"));

    /// <summary>The page as UTF-8 bytes.</summary>
    /// <inheritdoc cref="Write" path="/param[@name='embedding']"/>
    /// <inheritdoc cref="Write" path="/param[@name='options']"/>
    /// <inheritdoc cref="Write" path="/exception"/>
    public static byte[] Render(Matrix embedding, InteractiveMapOptions? options = null)
    {
        using var stream = new MemoryStream();
        Write(stream, embedding, options);
        return stream.ToArray();
    }

    /// <summary>Writes the page to <paramref name="stream"/> as UTF-8.</summary>
    /// <param name="stream">Where the page goes (left open).</param>
    /// <param name="embedding">The points, n × 2 or wider (the first two columns are drawn); finite.</param>
    /// <param name="options">Labels, title, settings, thumbnails, hover columns; null for none.</param>
    /// <exception cref="ArgumentException">The embedding has fewer than 2 columns or a non-finite value; labels, thumbnails or a hover column do not have one entry per point; more than 65,536 classes.</exception>
    public static void Write(Stream stream, Matrix embedding, InteractiveMapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(embedding);
        options ??= new InteractiveMapOptions();
        int n = embedding.Rows;
        Validate(embedding, options);

        var labels = options.Labels;
        var style = PointStyle.For(n, 800);
        var settings = options.Settings.Select(s => new[] { s.Key, s.Value })
            .Append(["n", n.ToString("N0", CultureInfo.InvariantCulture)]).ToArray();
        var meta = new Dictionary<string, object?>
        {
            ["title"] = options.Title,
            ["settings"] = settings,
            ["n"] = n,
            ["classes"] = labels?.Names ?? [],
            ["colors"] = labels is null ? Array.Empty<string>() : Palette.HexFor(labels.ClassCount),
            ["unlabelledColor"] = Palette.UnlabelledHex,
            ["pointSize"] = style.Size,
            ["pointAlpha"] = style.Alpha,
            ["image"] = options.Thumbnails is { } t ? new Dictionary<string, int> { ["width"] = t.Width, ["height"] = t.Height } : null,
            ["hover"] = options.HoverColumns.Select(c => c.Name).ToArray(),
        };

        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        // Nothing may be loaded from anywhere: scripts and styles are inline, images only data: or blob: URLs.
        writer.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:\">\n");
        writer.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        writer.Write("<link rel=\"icon\" href=\"data:,\">\n");
        writer.Write($"<title>{WebUtility.HtmlEncode(options.Title)}</title>\n<style>\n");
        writer.Write(Style.Value);
        writer.Write("</style>\n</head>\n<body>\n<canvas id=\"cne-canvas\"></canvas>\n");
        writer.Write("<div id=\"cne-corner\" class=\"cne-panel\"><div id=\"cne-title-text\"></div><div id=\"cne-settings\"></div>");
        writer.Write("<div class=\"cne-help\">wheel: zoom · drag: pan · hover or click: details · double-click: reset</div>");
        writer.Write("<button type=\"button\" id=\"cne-save\">save PNG</button><button type=\"button\" id=\"cne-reset\">reset view</button></div>\n");
        writer.Write("<div id=\"cne-legend\" class=\"cne-panel\"></div>\n<div id=\"cne-tooltip\" hidden></div>\n<div id=\"cne-ring\" hidden></div>\n");
        writer.Write("<div id=\"cne-nogl\" hidden>This map needs WebGL 2, which this browser does not offer.</div>\n");
        // System.Text.Json escapes <, > and & by default, so the JSON cannot close its script element.
        writer.Write("<script type=\"application/json\" id=\"cne-meta\">");
        writer.Write(JsonSerializer.Serialize(meta));
        writer.Write("</script>\n");

        var xy = new float[2 * n];
        for (int i = 0; i < n; i++)
        {
            xy[2 * i] = embedding[i, 0];
            xy[2 * i + 1] = embedding[i, 1];
        }
        WriteBlock(writer, "cne-xy", Bytes(xy));
        if (labels is not null)
        {
            byte[] codes;
            if (labels.ClassCount <= 256)
            {
                codes = new byte[n];
                for (int i = 0; i < n; i++) codes[i] = (byte)labels.Codes[i];
            }
            else
            {
                var wide = new ushort[n];
                for (int i = 0; i < n; i++) wide[i] = (ushort)labels.Codes[i];
                codes = Bytes(wide);
            }
            WriteBlock(writer, "cne-labels", codes);
        }
        if (options.HoverColumns.Count > 0)
        {
            var values = new float[options.HoverColumns.Count * n];
            for (int c = 0; c < options.HoverColumns.Count; c++)
                for (int i = 0; i < n; i++) values[c * n + i] = options.HoverColumns[c].Values[i];
            WriteBlock(writer, "cne-hover", Bytes(values));
        }
        if (options.Thumbnails is { } thumbnails)
        {
            using var packed = new MemoryStream();
            using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true))
                gzip.Write(thumbnails.Pixels);
            WriteBlock(writer, "cne-images", packed.ToArray());
        }
        writer.Write("<script>\n");
        writer.Write(Script.Value);
        writer.Write("</script>\n</body>\n</html>\n");
    }

    private static void Validate(Matrix embedding, InteractiveMapOptions options)
    {
        int n = embedding.Rows;
        if (embedding.Columns < 2)
            throw new ArgumentException($"A map needs at least 2 columns, the embedding has {embedding.Columns}.", nameof(embedding));
        for (int i = 0; i < n; i++)
            if (!float.IsFinite(embedding[i, 0]) || !float.IsFinite(embedding[i, 1]))
                throw new ArgumentException($"Row {i} of the embedding is not finite ({embedding[i, 0]}, {embedding[i, 1]}).", nameof(embedding));
        if (options.Labels is { } labels)
        {
            if (labels.Count != n)
                throw new ArgumentException($"{n} points but {labels.Count} labels; expected one label per point.", nameof(options));
            if (labels.ClassCount > 65536)
                throw new ArgumentException($"{labels.ClassCount} classes; a map's legend holds at most 65,536.", nameof(options));
        }
        if (options.Thumbnails is { } thumbnails && thumbnails.Count != n)
            throw new ArgumentException($"{n} points but {thumbnails.Count} thumbnails; expected one image per point.", nameof(options));
        foreach (var column in options.HoverColumns)
            if (column.Values.Count != n)
                throw new ArgumentException($"Hover column '{column.Name}' has {column.Values.Count} values for {n} points.", nameof(options));
    }

    private static byte[] Bytes<T>(T[] values) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The map's data blocks are written little-endian.");
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    private static void WriteBlock(StreamWriter writer, string id, byte[] bytes)
    {
        writer.Write($"<script type=\"application/octet-stream\" id=\"{id}\">");
        // In slices, so a large block never needs one huge string.
        const int Slice = 3 * (1 << 18);
        for (int start = 0; start < bytes.Length; start += Slice)
            writer.Write(Convert.ToBase64String(bytes, start, Math.Min(Slice, bytes.Length - start)));
        writer.Write("</script>\n");
    }

    private static string Resource(string name)
    {
        using var stream = typeof(InteractiveMap).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from ContrastiveNE.Plotting.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
