namespace ContrastiveNE.Data;

/// <summary>Checks on loaded data that every reader and consumer shares.</summary>
internal static class DataChecks
{
    /// <summary>Throws a <see cref="InvalidDataException"/> when <paramref name="matrix"/> has fewer than <paramref name="minRows"/> rows.</summary>
    /// <param name="matrix">The data.</param>
    /// <param name="minRows">The fewest rows the calling method can work with.</param>
    /// <param name="what">How the data is named in the message (usually its file).</param>
    /// <param name="reason">Why that many rows are needed (e.g. "k = 15 neighbours need at least 16 rows"); optional.</param>
    public static void EnsureMinRows(Matrix matrix, int minRows, string what, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rows < minRows)
            throw DataError.Create(what, $"holds {matrix.Rows} rows, but at least {minRows} are needed{(reason is null ? "" : $" ({reason})")}.");
    }

    /// <summary>Throws a <see cref="InvalidDataException"/> naming the row and column of the first NaN or ±∞ value.</summary>
    /// <param name="matrix">The data.</param>
    /// <param name="what">How the data is named in the message (usually its file).</param>
    public static void EnsureFinite(Matrix matrix, string what)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.FindNonFinite() is { } bad)
            throw DataError.Create(what, $"the value is {bad.Value}; every value must be finite.", bad.Row, bad.Column);
    }
}
