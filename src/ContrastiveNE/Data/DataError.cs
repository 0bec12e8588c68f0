namespace ContrastiveNE.Data;

/// <summary>
/// Builds the <see cref="InvalidDataException"/> that every reader and data check throws for unusable input: the
/// message starts with the file (or data name) and, where it applies, the 0-based row and column, which are also
/// stored in <see cref="Exception.Data"/> under <see cref="FileKey"/>, <see cref="RowKey"/> and <see cref="ColumnKey"/>.
/// </summary>
public static class DataError
{
    /// <summary>Key of the file (string) in <see cref="Exception.Data"/>.</summary>
    public const string FileKey = "File";

    /// <summary>Key of the 0-based row (int), when known, in <see cref="Exception.Data"/>.</summary>
    public const string RowKey = "Row";

    /// <summary>Key of the 0-based column (int), when known, in <see cref="Exception.Data"/>.</summary>
    public const string ColumnKey = "Column";

    /// <summary>The exception for a problem in <paramref name="file"/>, at an optional row and column.</summary>
    /// <param name="file">The file (or the name of the data) that is at fault.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="row">0-based row of the offending value, if any.</param>
    /// <param name="column">0-based column of the offending value, if any.</param>
    public static InvalidDataException Create(string file, string problem, int? row = null, int? column = null)
    {
        string where = (row, column) switch
        {
            ({ } r, { } c) => $", row {r}, column {c}",
            ({ } r, null) => $", row {r}",
            (null, { } c) => $", column {c}",
            _ => "",
        };
        var e = new InvalidDataException($"{file}{where}: {problem}");
        e.Data[FileKey] = file;
        if (row is { } rr) e.Data[RowKey] = rr;
        if (column is { } cc) e.Data[ColumnKey] = cc;
        return e;
    }
}
