using System.CommandLine;
using System.Globalization;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Data;
using ContrastiveNE.Plotting;

namespace ContrastiveNE.Cli.Options;

/// <summary>What an interactive .html map shows of the data in its tooltip: --image-shape and --hover-columns.</summary>
internal sealed class MapOptions
{
    /// <summary>Creates the options.</summary>
    public MapOptions()
    {
        ImageShape = new Option<string?>("--image-shape")
        {
            Description = "With an .html map: the data rows are WxH greyscale images shown as thumbnails in the tooltip, e.g. 28x28; none for no thumbnails (default: guessed for a square number (64 to 4096) of non-negative columns such as 64 or 784, or read from an image file).",
            HelpName = "WxH|none",
        };
        HoverColumns = new Option<string?>("--hover-columns")
        {
            Description = "With an .html map: data columns (header names or 0-based indices, comma-separated) whose values the tooltip shows.",
            HelpName = "a,b,c",
        };
    }

    /// <summary>--image-shape WxH|none.</summary>
    public Option<string?> ImageShape { get; }

    /// <summary>--hover-columns a,b,c.</summary>
    public Option<string?> HoverColumns { get; }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(ImageShape);
        command.Options.Add(HoverColumns);
    }

    /// <summary>Whether either option was given (they need an .html output and data).</summary>
    public bool AnyGiven(ParseResult parsed) => parsed.GetValue(ImageShape) is not null || parsed.GetValue(HoverColumns) is not null;

    /// <summary>The thumbnails of the rows of <paramref name="data"/>: the shape asked for, else the file's image shape, else a guess.</summary>
    public MapThumbnails? Thumbnails(ParseResult parsed, LoadedData data, string dataPath)
    {
        string? text = parsed.GetValue(ImageShape);
        if (text is not null && text.Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        (int Width, int Height)? shape;
        if (text is not null)
        {
            shape = ParseShape(text);
            if ((long)shape.Value.Width * shape.Value.Height != data.Data.Columns)
                throw new CliUsageException($"--image-shape {text}: an image of {shape.Value.Width} × {shape.Value.Height} pixels has {(long)shape.Value.Width * shape.Value.Height} values, but the rows of {dataPath} have {data.Data.Columns}.");
        }
        else if (data.ImageShape is { Channels: 1 } fileShape) shape = (fileShape.Width, fileShape.Height);
        else shape = MapThumbnails.GuessShape(data.Data);
        if (shape is not { } s) return null;
        DataChecks.EnsureFinite(data.Data, dataPath);
        return MapThumbnails.FromData(data.Data, s.Width, s.Height);
    }

    /// <summary>The columns of --hover-columns, looked up by header name or 0-based index.</summary>
    public IReadOnlyList<HoverColumn> Columns(ParseResult parsed, LoadedData data, string dataPath)
    {
        if (parsed.GetValue(HoverColumns) is not { } list) return [];
        var columns = new List<HoverColumn>();
        foreach (string part in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int index = data.ColumnNames is { } names ? IndexOf(names, part) : -1;
            if (index < 0 && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number < data.Data.Columns) index = number;
            if (index < 0)
            {
                string known = data.ColumnNames is { } n ? $"its columns are {string.Join(", ", n.Take(12))}{(n.Count > 12 ? ", …" : "")}" : $"it has no header; give 0-based indices below {data.Data.Columns}";
                throw new CliUsageException($"--hover-columns: '{part}' is not a column of {dataPath}; {known}.");
            }
            var values = new float[data.Data.Rows];
            for (int i = 0; i < values.Length; i++) values[i] = data.Data[i, index];
            columns.Add(new HoverColumn(data.ColumnNames?[index] ?? $"column {index}", values));
        }
        return columns;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }

    private static (int Width, int Height) ParseShape(string text)
    {
        var parts = text.ToLowerInvariant().Split('x', '×');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) && w > 0 && h > 0)
            return (w, h);
        throw new CliUsageException($"--image-shape: expected WIDTHxHEIGHT (e.g. 28x28) or none, got '{text}'.");
    }
}
