using System.Globalization;
using ContrastiveNE.Data;
using Parquet;
using Parquet.Schema;

namespace ContrastiveNE.Formats;

/// <summary>
/// Reads and writes Apache Parquet files through Parquet.Net: numeric columns become the matrix, a named column the
/// labels; an embedding is written as float columns <c>x</c>, <c>y</c> (<c>z</c>, then <c>x4</c>, …) plus a label column.
/// </summary>
/// <remarks>
/// Columns of numbers (8- to 64-bit integers, float, double, decimal) are read in schema order; other columns (text,
/// dates, nested) are left out of the matrix, and the label column is never part of it. A null in a numeric column
/// is an error naming its row and column.
/// </remarks>
public static class ParquetFile
{
    /// <summary>Reads the numeric columns as a matrix and, with a label column, the labels.</summary>
    /// <param name="path">The <c>.parquet</c> file.</param>
    /// <param name="options">LabelColumn (by name or index among all columns) applies.</param>
    public static LoadedData Read(string path, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= DataReadOptions.None;
        options.EnsureOnly("Parquet", path, nameof(DataReadOptions.LabelColumn));
        if (new FileInfo(path).Length == 0) throw DataError.Create(path, "the file is empty.");
        try
        {
            return Task.Run(() => ReadAsync(path, options.LabelColumn)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not ArgumentException && !(e is InvalidDataException && e.Data.Contains(DataError.FileKey))
            && e is not OutOfMemoryException && e is not FileNotFoundException && e is not UnauthorizedAccessException)
        {
            throw DataError.Create(path, $"not a readable Parquet file: {e.Message}");
        }
    }

    /// <summary>The names of the columns, in schema order.</summary>
    /// <param name="path">The <c>.parquet</c> file.</param>
    public static IReadOnlyList<string> Columns(string path)
    {
        using var stream = File.OpenRead(path);
        var schema = Task.Run(() => ParquetReader.ReadSchemaAsync(stream)).GetAwaiter().GetResult();
        return [.. schema.GetDataFields().Select(f => f.Name)];
    }

    /// <summary>The column names an embedding of <paramref name="dimensions"/> columns is written with.</summary>
    /// <param name="dimensions">The embedding's width.</param>
    public static IReadOnlyList<string> EmbeddingColumns(int dimensions)
        => [.. Enumerable.Range(0, dimensions).Select(j => j < 3 ? "xyz"[j].ToString() : $"x{j + 1}")];

    /// <summary>
    /// Writes <paramref name="matrix"/> atomically as float columns (<see cref="EmbeddingColumns"/>) and, when labels
    /// are given, a label column: text when <see cref="DataWriteOptions.LabelNames"/> names the codes, int32 otherwise.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="matrix">The values.</param>
    /// <param name="options">Labels, LabelNames and LabelColumnName apply.</param>
    public static void Write(string path, Matrix matrix, DataWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(matrix);
        options ??= DataWriteOptions.None;
        if (options.Labels is { } l && l.Length != matrix.Rows)
            throw new ArgumentException($"{l.Length} labels for {matrix.Rows} rows.", nameof(options));
        var names = EmbeddingColumns(matrix.Columns);
        if (options.Labels != null && names.Contains(options.LabelColumnName))
            throw new ArgumentException($"The label column name '{options.LabelColumnName}' is taken by an embedding column.", nameof(options));
        AtomicFile.Write(path, stream =>
        {
            using var memory = new MemoryStream();
            Task.Run(() => WriteAsync(memory, matrix, names, options)).GetAwaiter().GetResult();
            memory.Position = 0;
            memory.CopyTo(stream);
        });
    }

    private static async Task WriteAsync(Stream stream, Matrix matrix, IReadOnlyList<string> names, DataWriteOptions options)
    {
        var fields = new List<DataField>();
        foreach (string name in names) fields.Add(new DataField<float>(name));
        DataField? labelField = options.Labels is null ? null
            : options.LabelNames is null ? new DataField<int>(options.LabelColumnName) : new DataField<string>(options.LabelColumnName);
        if (labelField != null) fields.Add(labelField);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).ConfigureAwait(false);
        using var group = writer.CreateRowGroup();
        var column = new float[matrix.Rows];
        for (int j = 0; j < matrix.Columns; j++)
        {
            for (int i = 0; i < matrix.Rows; i++) column[i] = matrix[i, j];
            await group.WriteAsync<float>(fields[j], column.AsMemory()).ConfigureAwait(false);
        }
        if (labelField != null)
        {
            var labels = options.Labels!;
            if (options.LabelNames is { } labelNames)
            {
                var text = new string[labels.Length];
                for (int i = 0; i < labels.Length; i++)
                    text[i] = labels[i] >= 0 && labels[i] < labelNames.Count ? labelNames[labels[i]]
                        : throw new ArgumentException($"The label {labels[i]} of row {i} has no name among the {labelNames.Count} label names.", nameof(options));
                await group.WriteAsync(labelField, text).ConfigureAwait(false);
            }
            else await group.WriteAsync<int>(labelField, labels.AsMemory()).ConfigureAwait(false);
        }
    }

    private static async Task<LoadedData> ReadAsync(string path, LabelColumn? labelColumn)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        var all = fields.Select(f => f.Name).ToList();
        int label = -1;
        if (labelColumn is { } lc)
        {
            label = lc.Name is { } name ? all.IndexOf(name) : lc.Index < 0 ? all.Count + lc.Index : lc.Index;
            if (label < 0 || label >= all.Count)
                throw new ArgumentException(lc.Name is null
                    ? $"{path}: the label column index {lc.Index} is outside the {all.Count} columns ({string.Join(", ", all)})."
                    : $"{path}: the file has no column '{lc.Name}'; it holds {string.Join(", ", all)}.", nameof(DataReadOptions.LabelColumn));
        }
        var numeric = new List<int>();
        for (int f = 0; f < fields.Length; f++)
            if (f != label && IsNumeric(fields[f]) && fields[f].MaxRepetitionLevel == 0) numeric.Add(f);
        if (numeric.Count == 0)
            throw DataError.Create(path, $"the file has no numeric columns{(label >= 0 ? " besides the label column" : "")} (columns: {string.Join(", ", all)}).");
        long total = reader.RowGroups.Sum(g => g.RowCount);
        if (total == 0) throw DataError.Create(path, "the file has no rows.");
        if (total * numeric.Count > Array.MaxLength) throw DataError.Create(path, $"{total} rows × {numeric.Count} columns are too many values to load.");
        int rows = (int)total, width = numeric.Count;
        var values = new float[rows * width];
        var labelText = label >= 0 && IsText(fields[label]) ? new string[rows] : null;
        var labelNumbers = label >= 0 && labelText is null ? new float[rows] : null;
        if (label >= 0 && labelText is null && !IsNumeric(fields[label]))
            throw DataError.Create(path, $"the label column '{all[label]}' holds {fields[label].ClrType.Name} values; labels need text or integers.");
        int offset = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int count = (int)group.RowCount;
            var buffer = new float[count];
            for (int c = 0; c < width; c++)
            {
                var field = fields[numeric[c]];
                await ReadNumbers(group, field, buffer, path, offset, c).ConfigureAwait(false);
                for (int i = 0; i < count; i++) values[(offset + i) * width + c] = buffer[i];
            }
            if (labelText != null)
            {
                var text = new string?[count];
                await group.ReadAsync(fields[label], text.AsMemory()).ConfigureAwait(false);
                for (int i = 0; i < count; i++)
                    labelText[offset + i] = text[i] ?? throw DataError.Create(path, $"the label column '{all[label]}' is empty (null) here.", offset + i);
            }
            else if (labelNumbers != null)
            {
                var buffer2 = new float[count];
                await ReadNumbers(group, fields[label], buffer2, path, offset, null).ConfigureAwait(false);
                buffer2.CopyTo(labelNumbers, offset);
            }
            offset += count;
        }
        var matrix = new Matrix(rows, width, values);
        DataChecks.EnsureFinite(matrix, path);
        int[]? labels = null;
        IReadOnlyList<string>? labelNames = null;
        if (labelText != null)
        {
            var names = labelText.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var code = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < names.Length; i++) code[names[i]] = i;
            labels = Array.ConvertAll(labelText, t => code[t]);
            labelNames = names;
        }
        else if (labelNumbers != null)
        {
            labels = new int[rows];
            for (int i = 0; i < rows; i++)
            {
                float v = labelNumbers[i];
                if (v != MathF.Floor(v) || !float.IsFinite(v))
                    throw DataError.Create(path, $"the label {v.ToString(CultureInfo.InvariantCulture)} in column '{all[label]}' is not an integer.", i);
                labels[i] = (int)v;
            }
        }
        return new LoadedData(matrix, labels, labelNames, columnNames: [.. numeric.Select(f => all[f])]);
    }

    private static bool IsText(DataField field) => field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>);

    private static bool IsNumeric(DataField field)
    {
        var t = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return t == typeof(float) || t == typeof(double) || t == typeof(int) || t == typeof(long) || t == typeof(short)
            || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong)
            || t == typeof(decimal);
    }

    private static async Task ReadNumbers(ParquetRowGroupReader group, DataField field, float[] output, string path, int offset, int? column)
    {
        var t = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (t == typeof(float)) await Read<float>(group, field, output, v => v, path, offset, column).ConfigureAwait(false);
        else if (t == typeof(double)) await Read<double>(group, field, output, v => (float)v, path, offset, column).ConfigureAwait(false);
        else if (t == typeof(int)) await Read<int>(group, field, output, v => v, path, offset, column).ConfigureAwait(false);
        else if (t == typeof(long)) await Read<long>(group, field, output, v => v, path, offset, column).ConfigureAwait(false);
        else if (t == typeof(short)) await Read<short>(group, field, output, v => v, path, offset, column).ConfigureAwait(false);
        else if (t == typeof(sbyte)) await Read<sbyte>(group, field, output, v => v, path, offset, column).ConfigureAwait(false);
        else if (t == typeof(byte)) await Read<byte>(group, field, output, v => v, path, offset, column).ConfigureAwait(false);
        else if (t == typeof(ushort)) await Read<ushort>(group, field, output, v => v, path, offset, column).ConfigureAwait(false);
        else if (t == typeof(uint)) await Read<uint>(group, field, output, v => v, path, offset, column).ConfigureAwait(false);
        else if (t == typeof(ulong)) await Read<ulong>(group, field, output, v => v, path, offset, column).ConfigureAwait(false);
        else await Read<decimal>(group, field, output, v => (float)v, path, offset, column).ConfigureAwait(false);
    }

    private static async Task Read<T>(ParquetRowGroupReader group, DataField field, float[] output, Func<T, float> convert, string path, int offset, int? column)
        where T : struct
    {
        int count = output.Length;
        if (field.IsNullable)
        {
            var values = new T?[count];
            await group.ReadAsync<T>(field, values.AsMemory()).ConfigureAwait(false);
            for (int i = 0; i < count; i++)
                output[i] = values[i] is { } v ? convert(v)
                    : throw DataError.Create(path, $"the column '{field.Name}' is empty (null) here; every value must be a number.", offset + i, column);
        }
        else
        {
            var values = new T[count];
            await group.ReadAsync<T>(field, values.AsMemory()).ConfigureAwait(false);
            for (int i = 0; i < count; i++) output[i] = convert(values[i]);
        }
    }
}
