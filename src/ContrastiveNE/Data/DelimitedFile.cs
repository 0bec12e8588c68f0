using System.Buffers;
using System.Globalization;
using System.Text;

namespace ContrastiveNE.Data;

/// <summary>
/// Reads and writes delimited text (<c>.csv</c>, <c>.tsv</c>, semicolon- or whitespace-separated).
/// </summary>
/// <remarks>
/// <para><b>Delimiter:</b> of tab, comma and semicolon, the one occurring most often in the first non-blank line
/// (tab wins ties, then comma); if none occurs, cells are separated by runs of spaces or tabs. Cells may be quoted
/// with <c>"</c> (a doubled <c>""</c> inside is a literal quote). Blank lines and lines starting with <c>#</c> are skipped.</para>
/// <para><b>Header:</b> the first line is a header when one of its cells outside the label column is not a number.
/// Choosing the label column by name requires a header.</para>
/// <para><b>Numbers</b> are parsed with the invariant culture (a dot as decimal separator). Every problem raises a
/// <see cref="InvalidDataException"/> naming the file, the 0-based data row and column, and the 1-based line.</para>
/// </remarks>
public static partial class DelimitedFile
{
    private static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\r\f\v"u8);

    /// <summary>Reads a delimited file; with <paramref name="labelColumn"/>, that column is returned as labels.</summary>
    /// <param name="path">The file.</param>
    /// <param name="labelColumn">The column holding class labels, or null when every column is data.</param>
    public static DelimitedData Read(string path, LabelColumn? labelColumn = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Read(ReadBytes(path), path, labelColumn, labelsOnly: false);
    }

    /// <summary>Reads delimited text from <paramref name="reader"/>; <paramref name="name"/> names the source in errors.</summary>
    public static DelimitedData Read(TextReader reader, string name, LabelColumn? labelColumn = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Read(Encoding.UTF8.GetBytes(reader.ReadToEnd()), name, labelColumn, labelsOnly: false);
    }

    /// <summary>Reads a file of one column of class labels (header allowed).</summary>
    internal static int[] ReadLabels(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Read(ReadBytes(path), path, LabelColumn.ByIndex(0), labelsOnly: true).Labels!;
    }

    /// <summary>The file as UTF-8 bytes without a byte-order mark (UTF-16 and UTF-32 files are re-encoded).</summary>
    private static byte[] ReadBytes(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && new FileInfo(path).Length > Array.MaxLength)
        {
            throw DataError.Create(path, $"the file is larger than {Array.MaxLength:N0} bytes, the most delimited text that can be loaded; convert it to .npy.");
        }
        bool utf8Bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        bool otherBom = bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF));
        if (utf8Bom) return bytes[3..];
        if (otherBom)
        {
            using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Encoding.UTF8.GetBytes(reader.ReadToEnd());
        }
        return bytes;
    }

    private static DelimitedData Read(byte[] text, string name, LabelColumn? labelColumn, bool labelsOnly)
    {
        var lines = IndexLines(text);
        if (lines.Count == 0) throw DataError.Create(name, "the file is empty (no data lines).");
        string firstLine = lines.Text(text, 0);

        char? delimiter = DetectDelimiter(firstLine);
        var cells = new List<string>();
        Split(firstLine, delimiter, cells, name, lines.Number[0]);
        int width = cells.Count;
        int label = ResolveLabelIndex(labelColumn, cells, width, name);
        // A lone label column cannot reveal a header by itself (labels may be text): then a first cell that appears
        // nowhere else in the column and is not an integer is taken as its name.
        bool header = labelColumn?.Name != null || HasNonNumeric(cells, label) || (labelsOnly && LooksLikeLabelHeader(text, lines, delimiter, name));
        string[]? headerCells = header ? cells.ToArray() : null;
        if (labelColumn?.Name != null && label < 0)
            throw DataError.Create(name, $"the label column '{labelColumn.Value.Name}' is not in the header ({string.Join(", ", cells)}).", 0);

        int first = header ? 1 : 0;
        int rows = lines.Count - first;
        if (rows == 0) throw DataError.Create(name, "the file has a header but no data rows.");
        int dataWidth = label >= 0 ? width - 1 : width;
        if (labelsOnly && dataWidth != 0) throw DataError.Create(name, $"a labels file must have one column, found {width}.");
        if (dataWidth == 0 && !labelsOnly) throw DataError.Create(name, "the file has no data columns besides the label column.");
        if ((long)rows * dataWidth > Array.MaxLength)
            throw DataError.Create(name, $"{rows} rows × {dataWidth} columns are too many values to load.");
        var values = new float[rows * dataWidth];
        var labelText = label >= 0 ? new string[rows] : null;
        var parser = new RowParser(text, lines, first, name, delimiter, width, label, values, labelText);
        parser.Run();

        var (labels, labelNames) = labelText is null ? (null, null) : EncodeLabels(labelText);
        string[]? columnNames = headerCells is null ? null : headerCells.Where((_, c) => c != label).ToArray();
        return new DelimitedData(new Matrix(rows, dataWidth, values), labels, labelNames, columnNames, delimiter);
    }

    /// <summary>Reads a delimited file whose every column is data.</summary>
    public static Matrix ReadMatrix(string path) => Read(path).Data;

    /// <summary>
    /// Writes <paramref name="matrix"/> as delimited text, atomically. Values use the invariant culture and the
    /// shortest form that reads back to the same float32.
    /// </summary>
    /// <param name="path">The file; a <c>.tsv</c> extension selects tabs unless <paramref name="delimiter"/> is given.</param>
    /// <param name="matrix">The values.</param>
    /// <param name="columnNames">Header cells, one per column, or null for no header.</param>
    /// <param name="delimiter">The delimiter; null chooses tab for <c>.tsv</c> and comma otherwise.</param>
    public static void Write(string path, Matrix matrix, IReadOnlyList<string>? columnNames = null, char? delimiter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(matrix);
        if (columnNames != null && columnNames.Count != matrix.Columns)
            throw new ArgumentException($"{columnNames.Count} column names were given for {matrix.Columns} columns.", nameof(columnNames));
        char sep = delimiter ?? (Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',');
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            if (columnNames != null) writer.WriteLine(string.Join(sep, columnNames.Select(n => Quote(n, sep))));
            Span<char> buffer = stackalloc char[32];
            for (int i = 0; i < matrix.Rows; i++)
            {
                var row = matrix.Row(i);
                for (int j = 0; j < row.Length; j++)
                {
                    if (j > 0) writer.Write(sep);
                    row[j].TryFormat(buffer, out int written, "R", CultureInfo.InvariantCulture);
                    writer.Write(buffer[..written]);
                }
                writer.WriteLine();
            }
        });
    }

    private static char? DetectDelimiter(string line)
    {
        int tabs = 0, commas = 0, semicolons = 0;
        foreach (char ch in line)
        {
            if (ch == '\t') tabs++;
            else if (ch == ',') commas++;
            else if (ch == ';') semicolons++;
        }
        if (tabs == 0 && commas == 0 && semicolons == 0) return null;
        if (tabs >= commas && tabs >= semicolons) return '\t';
        return commas >= semicolons ? ',' : ';';
    }

    private static int ResolveLabelIndex(LabelColumn? column, List<string> firstRow, int width, string name)
    {
        if (column is not { } c) return -1;
        if (c.Name != null) return firstRow.IndexOf(c.Name);
        int index = c.Index < 0 ? width + c.Index : c.Index;
        if (index < 0 || index >= width)
            throw DataError.Create(name, $"the label column index {c.Index} is outside the {width} columns of the file.");
        return index;
    }

    private static bool HasNonNumeric(List<string> cells, int label)
    {
        for (int c = 0; c < cells.Count; c++)
            if (c != label && !double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return true;
        return false;
    }

    private static bool LooksLikeLabelHeader(byte[] text, LineIndex lines, char? delimiter, string name)
    {
        var cells = new List<string>();
        Split(lines.Text(text, 0), delimiter, cells, name, lines.Number[0]);
        if (cells.Count != 1 || int.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) return false;
        string first = cells[0];
        for (int i = 1; i < lines.Count; i++)
        {
            Split(lines.Text(text, i), delimiter, cells, name, lines.Number[i]);
            if (cells.Count == 1 && cells[0] == first) return false;
        }
        return lines.Count > 1;
    }

    private static (int[], IReadOnlyList<string>?) EncodeLabels(string[] text)
    {
        var labels = new int[text.Length];
        bool integral = true;
        for (int i = 0; i < text.Length && integral; i++)
            integral = int.TryParse(text[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out labels[i]);
        if (integral) return (labels, null);
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        for (int i = 0; i < text.Length; i++)
        {
            if (!codes.TryGetValue(text[i], out int code))
            {
                code = names.Count;
                codes.Add(text[i], code);
                names.Add(text[i]);
            }
            labels[i] = code;
        }
        return (labels, names);
    }

    /// <summary>The data lines of <paramref name="text"/>: blank lines and <c>#</c> comments left out, line ends without <c>\r</c>.</summary>
    private static LineIndex IndexLines(byte[] text)
    {
        var lines = new LineIndex();
        var span = text.AsSpan();
        int start = 0, number = 0;
        while (start < span.Length)
        {
            int newline = span[start..].IndexOf((byte)'\n');
            int end = newline < 0 ? span.Length : start + newline;
            number++;
            int stop = end;
            while (stop > start && span[stop - 1] == (byte)'\r') stop--;
            var line = span[start..stop];
            int firstNonBlank = line.IndexOfAnyExcept(Blanks);
            if (firstNonBlank >= 0 && line[firstNonBlank] != (byte)'#') lines.Add(start, stop - start, number);
            start = end + 1;
        }
        return lines;
    }

    private static void Split(string line, char? delimiter, List<string> cells, string name, int lineNumber)
    {
        cells.Clear();
        if (delimiter is null)
        {
            foreach (var part in line.Split((char[]?)[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)) cells.Add(part);
            return;
        }
        char sep = delimiter.Value;
        var cell = new StringBuilder();
        int i = 0;
        while (true)
        {
            cell.Clear();
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw DataError.Create(name, $"line {lineNumber} has an unterminated quoted cell.", null, cells.Count);
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    cell.Append(line[i++]);
                }
                while (i < line.Length && line[i] != sep) i++;
                cells.Add(cell.ToString());
            }
            else
            {
                int end = line.IndexOf(sep, i);
                if (end < 0) end = line.Length;
                cells.Add(line[i..end].Trim());
                i = end;
            }
            if (i >= line.Length) return;
            i++; // skip the delimiter
        }
    }

    private static string Quote(string cell, char sep)
        => cell.Contains(sep) || cell.Contains('"') || cell.Contains('\n') ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;
}
