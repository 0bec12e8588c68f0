using System.Globalization;
using System.Text;
using ContrastiveNE.Data;
using ContrastiveNE.Formats;

namespace ContrastiveNE.Cli.Files;

/// <summary>
/// Reads and writes the CLI's files. Which format a name means is decided by the library's
/// <see cref="DataFormats"/> (the core formats plus ContrastiveNE.Formats' .h5ad and .parquet), so the CLI keeps no
/// list of its own. Every write is atomic (temporary file, then rename), so an interrupted command never leaves a
/// partial output behind.
/// </summary>
internal static class DataFiles
{
    /// <summary>Library option names (<see cref="ArgumentException.ParamName"/>) of <see cref="DataReadOptions"/> → CLI flags.</summary>
    private static readonly Dictionary<string, string> FlagOf = new()
    {
        [nameof(DataReadOptions.Key)] = "--key", [nameof(DataReadOptions.Obsm)] = "--obsm",
        [nameof(DataReadOptions.Layer)] = "--layer", [nameof(DataReadOptions.LabelColumn)] = "--label-column",
    };

    static DataFiles() => FormatsPackage.Register();

    /// <summary>File-name endings accepted for data and embedding inputs.</summary>
    public static string[] MatrixInputExtensions => [.. DataFormats.ReadableSuffixes];

    /// <summary>File-name endings accepted for embedding outputs.</summary>
    public static string[] MatrixOutputExtensions => [.. DataFormats.WritableSuffixes];

    /// <summary>Extensions accepted for integer tables (neighbour indices).</summary>
    public static readonly string[] IntegerOutputExtensions = [".npy", ".csv"];

    /// <summary>
    /// Reads a data matrix; from files with columns, <paramref name="labelColumn"/> (a name or a 0-based index)
    /// picks the column that holds labels.
    /// </summary>
    public static (Matrix Data, LabelSet? Labels) ReadData(string path, string? labelColumn)
    {
        var input = Read(path, new DataSelection(null, null, null, labelColumn));
        return (input.Data, input.Labels);
    }

    /// <summary>Reads the part of <paramref name="path"/> that <paramref name="selection"/> names, with its labels.</summary>
    public static DataInput Read(string path, DataSelection selection)
    {
        EnsureExists(path);
        LabelColumn? column = selection.LabelColumn is not { } text ? null
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) ? LabelColumn.ByIndex(index)
            : LabelColumn.ByName(text);
        var options = new DataReadOptions { Key = selection.Key, Obsm = selection.Obsm, Layer = selection.Layer, LabelColumn = column };
        LoadedData loaded;
        try
        {
            loaded = DataFormats.Read(path, options);
        }
        catch (ArgumentException e) when (e.ParamName is { } name && FlagOf.TryGetValue(name, out var flag))
        {
            string message = CneApp.CleanMessage(e);
            if (name == nameof(DataReadOptions.LabelColumn) && message.Contains("has no use for", StringComparison.Ordinal))
                message = $"'{path}' has no named columns; pass the labels with --labels FILE.";
            throw new CliUsageException($"{flag}: {message}");
        }
        LabelSet? labels = loaded.Labels is null ? null
            : loaded.LabelNames is not null ? LabelSet.FromCodes(loaded.Labels, loaded.LabelNames)
            : LabelSet.FromNumbers(loaded.Labels.Select(v => (double)v).ToArray());
        return new DataInput(loaded.Data, labels, loaded);
    }

    /// <summary>Reads a matrix (no labels).</summary>
    public static Matrix ReadMatrix(string path) => ReadData(path, null).Data;

    /// <summary>Reads labels: a 1-D <c>.npy</c>/<c>.npz</c>/IDX array, or text with one label per line (an optional header line).</summary>
    public static LabelSet ReadLabels(string path)
    {
        EnsureExists(path);
        if (DataFormats.IsLabelArray(path))
            return LabelSet.FromNumbers(DataFormats.ReadLabels(path).Select(v => (double)v).ToArray());
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0)
            throw new InvalidDataException($"{path}: the label file is empty; expected one label per line.");
        // A single non-numeric first line above numeric labels is a header.
        if (lines.Count > 1 && !IsNumber(lines[0]) && lines.Skip(1).All(IsNumber)) lines.RemoveAt(0);
        return LabelSet.FromStrings(lines);
    }

    /// <summary>Labels from <c>--labels</c>, else from the data's label column, else none; checked against n.</summary>
    public static LabelSet? ResolveLabels(string? labelsPath, LabelSet? fromData, int rows, string dataPath)
    {
        if (labelsPath is not null && fromData is not null)
            throw new CliUsageException("--labels and --label-column both give labels; use one of them.");
        var labels = labelsPath is null ? fromData : ReadLabels(labelsPath);
        if (labels is not null && labels.Count != rows)
            throw new InvalidDataException($"{labelsPath ?? dataPath}: {labels.Count} labels for {rows} data rows; expected one label per row.");
        return labels;
    }

    /// <summary>Writes a float matrix in the format its name implies, atomically.</summary>
    public static void WriteMatrix(string path, Matrix matrix, DataWriteOptions? options = null) => DataFormats.Write(path, matrix, options);

    /// <summary>Writes an integer table (e.g. neighbour indices) as <c>.npy</c> (int32) or <c>.csv</c>, atomically.</summary>
    public static void WriteIntegers(string path, int rows, int columns, int[] values)
    {
        if (Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase))
        {
            NpyFile.WriteInt32(path, rows, columns, values);
            return;
        }
        char separator = Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    if (j > 0) writer.Write(separator);
                    writer.Write(values[i * columns + j].ToString(CultureInfo.InvariantCulture));
                }
                writer.WriteLine();
            }
        });
    }

    /// <summary>Writes bytes (a PNG) atomically.</summary>
    public static void WriteBytes(string path, byte[] bytes) => AtomicFile.Write(path, stream => stream.Write(bytes));

    /// <summary>Throws <see cref="FileNotFoundException"/> naming <paramref name="path"/> when it does not exist.</summary>
    public static void EnsureExists(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: file not found.", path);
    }

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
