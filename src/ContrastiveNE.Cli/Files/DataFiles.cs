using System.Globalization;
using System.Text;
using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Files;

/// <summary>
/// Reads and writes the CLI's files by extension: <c>.npy</c> or delimited text (<c>.csv</c>, <c>.tsv</c>) for
/// matrices, plus label files. Every write is atomic (temporary file, then rename), so an interrupted command never
/// leaves a partial output behind.
/// </summary>
internal static class DataFiles
{
    /// <summary>Extensions accepted for data and embedding inputs.</summary>
    public static readonly string[] MatrixInputExtensions = [".npy", ".csv", ".tsv"];

    /// <summary>Extensions accepted for matrix outputs.</summary>
    public static readonly string[] MatrixOutputExtensions = [".npy", ".csv"];

    /// <summary>Extensions accepted for label files.</summary>
    public static readonly string[] LabelExtensions = [".npy", ".csv", ".tsv", ".txt"];

    /// <summary>
    /// Reads a data matrix; from delimited text, <paramref name="labelColumn"/> (a header name or a 0-based index)
    /// picks the column that holds labels.
    /// </summary>
    public static (Matrix Data, LabelSet? Labels) ReadData(string path, string? labelColumn)
    {
        EnsureExists(path);
        if (IsNpy(path))
        {
            if (labelColumn is not null)
                throw new CliUsageException($"--label-column: '{path}' is a .npy file, which has no named columns; pass the labels with --labels FILE.");
            return (NpyFile.ReadMatrix(path), null);
        }
        LabelColumn? column = labelColumn is null ? null
            : int.TryParse(labelColumn, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) ? LabelColumn.ByIndex(index)
            : LabelColumn.ByName(labelColumn);
        var content = DelimitedFile.Read(path, column);
        LabelSet? labels = content.Labels is null ? null
            : content.LabelNames is not null ? LabelSet.FromCodes(content.Labels, content.LabelNames)
            : LabelSet.FromNumbers(content.Labels.Select(v => (double)v).ToArray());
        return (content.Data, labels);
    }

    /// <summary>Reads a matrix (no labels).</summary>
    public static Matrix ReadMatrix(string path) => ReadData(path, null).Data;

    /// <summary>Reads labels: a 1-D <c>.npy</c> array, or text with one label per line (an optional header line).</summary>
    public static LabelSet ReadLabels(string path)
    {
        EnsureExists(path);
        if (IsNpy(path))
            return LabelSet.FromNumbers(NpyFile.ReadLabels(path).Select(v => (double)v).ToArray());
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

    /// <summary>Writes a float matrix as <c>.npy</c> or <c>.csv</c> (by extension), atomically.</summary>
    public static void WriteMatrix(string path, Matrix matrix)
    {
        if (IsNpy(path))
        {
            NpyFile.Write(path, matrix);
            return;
        }
        var names = Enumerable.Range(1, matrix.Columns).Select(j => $"x{j}").ToArray();
        DelimitedFile.Write(path, matrix, names);
    }

    /// <summary>Writes an integer table (e.g. neighbour indices) as <c>.npy</c> (int32) or <c>.csv</c>, atomically.</summary>
    public static void WriteIntegers(string path, int rows, int columns, int[] values)
    {
        if (IsNpy(path))
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

    private static bool IsNpy(string path) => Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase);

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
