namespace ContrastiveNE.Data;

/// <summary>
/// A dense row-major matrix of single-precision values: <see cref="Rows"/> rows of <see cref="Columns"/> values,
/// stored contiguously in <see cref="Data"/>. Every component of the library exchanges data in this form.
/// </summary>
public sealed partial class Matrix
{
    /// <summary>Creates a zero-filled matrix.</summary>
    /// <param name="rows">Number of rows, ≥ 0.</param>
    /// <param name="columns">Number of columns, ≥ 0.</param>
    public Matrix(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        Rows = rows;
        Columns = columns;
        Data = new float[checked(rows * columns)];
    }

    /// <summary>Wraps an existing buffer (not copied) as a <paramref name="rows"/> × <paramref name="columns"/> matrix.</summary>
    /// <exception cref="ArgumentException">The buffer length is not rows × columns.</exception>
    public Matrix(int rows, int columns, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != (long)rows * columns)
            throw new ArgumentException($"The buffer holds {data.Length} values, but a {rows} × {columns} matrix needs {(long)rows * columns}.", nameof(data));
        Rows = rows;
        Columns = columns;
        Data = data;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (the width of a row).</summary>
    public int Columns { get; }

    /// <summary>The row-major storage: element (i, j) is at <c>i * Columns + j</c>.</summary>
    public float[] Data { get; }

    /// <summary>Element (row, column).</summary>
    public ref float this[int row, int column] => ref Data[row * Columns + column];

    /// <summary>The values of row <paramref name="row"/>.</summary>
    public Span<float> Row(int row) => Data.AsSpan(row * Columns, Columns);

    /// <summary>Rows <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1 as one span.</summary>
    public Span<float> RowSpan(int start, int count) => Data.AsSpan(start * Columns, count * Columns);

    /// <summary>A deep copy.</summary>
    public Matrix Clone() => new(Rows, Columns, (float[])Data.Clone());

    /// <summary>A new matrix holding the given rows, in the given order.</summary>
    public Matrix SelectRows(ReadOnlySpan<int> rows)
    {
        var result = new Matrix(rows.Length, Columns);
        for (int i = 0; i < rows.Length; i++)
            Row(rows[i]).CopyTo(result.Row(i));
        return result;
    }

    /// <summary>A new matrix holding rows <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    public Matrix Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (start + count > Rows) throw new ArgumentOutOfRangeException(nameof(count), $"Rows {start}..{start + count - 1} exceed the {Rows} rows of the matrix.");
        return new Matrix(count, Columns, Data.AsSpan(start * Columns, count * Columns).ToArray());
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the first row and column that holds NaN or ±∞.
    /// </summary>
    /// <param name="what">How the matrix is named in the message (a file name, an option).</param>
    public void EnsureFinite(string what)
    {
        var data = Data;
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                int row = Columns == 0 ? 0 : i / Columns, col = Columns == 0 ? 0 : i % Columns;
                throw new ArgumentException($"{what}: row {row}, column {col} holds {data[i]}; every value must be finite.");
            }
        }
    }
}
