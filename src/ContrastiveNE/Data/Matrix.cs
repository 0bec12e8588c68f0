using System.Runtime.CompilerServices;

namespace ContrastiveNE.Data;

/// <summary>
/// A dense row-major matrix of single-precision values: <see cref="Rows"/> rows of <see cref="Columns"/> values.
/// Every component of the library exchanges data in this form.
/// </summary>
/// <remarks>
/// A matrix of up to about 2³¹ values (the largest .NET array) is stored contiguously in <see cref="Data"/>. A larger
/// one (e.g. 3,000,000 × 784 or 10⁷ × 250) is stored in row chunks, each a separate array holding whole rows;
/// <see cref="IsContiguous"/> tells which. <see cref="Row"/>, the indexer, <see cref="SelectRows"/>, <see cref="Slice"/>,
/// <see cref="Clone"/> and <see cref="EnsureFinite"/> work on both, and so do the paths a non-parametric fit of a
/// large table goes through (reading <c>.npy</c>, PCA, the kNN search, the FFT engine, the quality metrics on a
/// sample). Operations that need one buffer (<see cref="Data"/>; parametric training, transforms, the GPU) throw a
/// <see cref="NotSupportedException"/> on a chunked matrix that says what to do instead.
/// </remarks>
public sealed partial class Matrix
{
    // Exactly one of _data (contiguous) and _chunks (row chunks of _rowsPerChunk rows, the last one shorter) is set.
    private readonly float[]? _data;
    private readonly float[][]? _chunks;
    private readonly int _rowsPerChunk;

    /// <summary>Creates a zero-filled matrix (stored in row chunks when it holds more values than one array can).</summary>
    /// <param name="rows">Number of rows, ≥ 0.</param>
    /// <param name="columns">Number of columns, ≥ 0.</param>
    public Matrix(int rows, int columns) : this(rows, columns, ChunkRowsFor(rows, columns))
    {
    }

    /// <summary>A zero-filled matrix of <paramref name="rowsPerChunk"/> rows per chunk (contiguous when that covers every row).</summary>
    private Matrix(int rows, int columns, int rowsPerChunk)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        Rows = rows;
        Columns = columns;
        if (rowsPerChunk >= rows)
        {
            _data = new float[checked(rows * columns)];
            _rowsPerChunk = rows;
            return;
        }
        _rowsPerChunk = rowsPerChunk;
        int count = (rows + rowsPerChunk - 1) / rowsPerChunk;
        _chunks = new float[count][];
        for (int c = 0; c < count; c++)
            _chunks[c] = new float[checked(Math.Min(rowsPerChunk, rows - c * rowsPerChunk) * columns)];
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
        _data = data;
        _rowsPerChunk = rows;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (the width of a row).</summary>
    public int Columns { get; }

    /// <summary>
    /// True when the values lie in one array, <see cref="Data"/>; false for a matrix of more values than one .NET array
    /// holds (about 2³¹), which is stored in row chunks.
    /// </summary>
    public bool IsContiguous => _data is not null;

    /// <summary>Number of values, rows × columns (may exceed <see cref="int.MaxValue"/> for a chunked matrix).</summary>
    public long ValueCount => (long)Rows * Columns;

    /// <summary>The row-major storage: element (i, j) is at <c>i * Columns + j</c>.</summary>
    /// <exception cref="NotSupportedException">The matrix is stored in row chunks (<see cref="IsContiguous"/> is false).</exception>
    public float[] Data => _data ?? throw NeedsContiguous("this operation");

    /// <summary>Element (row, column).</summary>
    public ref float this[int row, int column]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_data is { } data) return ref data[row * Columns + column];
            return ref Row(row)[column];
        }
    }

    /// <summary>The values of row <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<float> Row(int row)
    {
        if (_data is { } data) return data.AsSpan(row * Columns, Columns);
        return ChunkedRow(row);
    }

    private Span<float> ChunkedRow(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row {row} is outside the {Rows} rows of the matrix.");
        int chunk = row / _rowsPerChunk;
        return _chunks![chunk].AsSpan((row - chunk * _rowsPerChunk) * Columns, Columns);
    }

    /// <summary>Rows <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1 as one span.</summary>
    /// <exception cref="NotSupportedException">The matrix is stored in row chunks and the rows lie in more than one chunk.</exception>
    public Span<float> RowSpan(int start, int count)
    {
        if (_data is { } data) return data.AsSpan(start * Columns, count * Columns);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return [];
        int chunk = start / _rowsPerChunk;
        if ((uint)start >= (uint)Rows || (start + count - 1) / _rowsPerChunk != chunk)
            throw NeedsContiguous($"RowSpan({start}, {count}) across row chunks");
        return _chunks![chunk].AsSpan((start - chunk * _rowsPerChunk) * Columns, count * Columns);
    }

    /// <summary>A deep copy (stored the same way).</summary>
    public Matrix Clone()
    {
        if (_data is { } data) return new(Rows, Columns, (float[])data.Clone());
        var copy = EmptyLike();
        for (int c = 0; c < _chunks!.Length; c++) _chunks[c].AsSpan().CopyTo(copy._chunks![c]);
        return copy;
    }

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
        if ((long)start + count > Rows) throw new ArgumentOutOfRangeException(nameof(count), $"Rows {start}..{(long)start + count - 1} exceed the {Rows} rows of the matrix.");
        if (_data is { } data) return new Matrix(count, Columns, data.AsSpan(start * Columns, count * Columns).ToArray());
        var result = new Matrix(count, Columns);
        for (int i = 0; i < count; i++) Row(start + i).CopyTo(result.Row(i));
        return result;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the first row and column that holds NaN or ±∞.
    /// </summary>
    /// <param name="what">How the matrix is named in the message (a file name, an option).</param>
    public void EnsureFinite(string what)
    {
        if (FindNonFinite() is { } bad)
            throw new ArgumentException($"{what}: row {bad.Row}, column {bad.Column} holds {bad.Value}; every value must be finite.");
    }

    /// <summary>The first (in row-major order) NaN or ±∞ value with its row and column, or null when every value is finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal (int Row, int Column, float Value)? FindNonFinite()
    {
        int columns = Math.Max(1, Columns);
        for (int c = 0; c < ChunkCount; c++)
        {
            var values = Chunk(c);
            for (int i = 0; i < values.Length; i++)
                if (!float.IsFinite(values[i]))
                    return (c * _rowsPerChunk + i / columns, i % columns, values[i]);
        }
        return null;
    }

    // ---- chunked storage ----

    /// <summary>Number of storage chunks: 1 for a contiguous matrix.</summary>
    internal int ChunkCount => _chunks?.Length ?? 1;

    /// <summary>Rows per chunk (the last chunk may hold fewer); <see cref="Rows"/> for a contiguous matrix.</summary>
    internal int RowsPerChunk => _rowsPerChunk;

    /// <summary>The values of chunk <paramref name="chunk"/>: its rows, row-major (the whole matrix when contiguous).</summary>
    internal Span<float> Chunk(int chunk) => _data is { } data ? data : _chunks![chunk];

    /// <summary>A zero-filled matrix of the same shape, stored the same way (a full-size working copy of chunked data is chunked too).</summary>
    internal Matrix EmptyLike() => new(Rows, Columns, _data is null ? _rowsPerChunk : Rows);

    /// <summary>The exception an operation that needs one buffer throws on a chunked matrix: its size, the operation, what to do instead.</summary>
    internal NotSupportedException NeedsContiguous(string operation, string? remedy = null) =>
        new($"The {Rows} × {Columns} matrix holds {ValueCount:N0} values, more than one array holds (2³¹), and is stored in row chunks; " +
            $"{operation} needs contiguous data. {remedy ?? DefaultRemedy}");

    private const string DefaultRemedy =
        "Reduce the data first (project it on its principal components with Pca.Transform; for the kNN search `--knn-pca 50` / " +
        "CneOptions.KnnPcaComponents), or use a non-parametric fit on the CPU, which works on chunked data.";

    /// <summary>Throws <see cref="NeedsContiguous"/> unless the matrix is contiguous (at the entry of a path that needs <see cref="Data"/>).</summary>
    internal void EnsureContiguous(string operation, string? remedy = null)
    {
        if (_data is null) throw NeedsContiguous(operation, remedy);
    }

    /// <summary>What to do instead of a parametric fit on chunked data.</summary>
    internal const string ParametricRemedy =
        "Train the network on a sample of the rows (Matrix.SelectRows) or on the data projected on its principal components " +
        "(Pca.Transform), then map all rows with the model in parts (Matrix.Slice); see docs/scaling.md, or use a non-parametric fit, which works on chunked data.";

    /// <summary>The largest number of values stored in one array: <see cref="Array.MaxLength"/>.</summary>
    internal const long DefaultMaxContiguousValues = 0x7FFFFFC7;

    /// <summary>Target values per chunk of a chunked matrix (2²⁸ values, 1 GiB): smaller arrays are easier to place in memory.</summary>
    internal const long DefaultChunkValues = 1L << 28;

    private static readonly AsyncLocal<int?> s_forcedRowsPerChunk = new();

    // Open ForceChunks scopes in any flow: while 0 (always, outside tests) a new matrix does not read the AsyncLocal.
    private static int s_forcedScopes;

    /// <summary>
    /// For tests: every matrix created by <see cref="Matrix(int, int)"/> in the current flow (until the scope is
    /// disposed) with more than <paramref name="rowsPerChunk"/> rows is stored in chunks of that many rows.
    /// </summary>
    internal static IDisposable ForceChunks(int rowsPerChunk)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerChunk, 1);
        var before = s_forcedRowsPerChunk.Value;
        s_forcedRowsPerChunk.Value = rowsPerChunk;
        Interlocked.Increment(ref s_forcedScopes);
        return new Restore(() =>
        {
            s_forcedRowsPerChunk.Value = before;
            Interlocked.Decrement(ref s_forcedScopes);
        });
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) restore();
        }
    }

    /// <summary>True when a new <paramref name="rows"/> × <paramref name="columns"/> matrix is stored in row chunks.</summary>
    internal static bool IsChunkedSize(int rows, int columns) => ChunkRowsFor(rows, columns) < rows;

    /// <summary>Rows per chunk for a new rows × columns matrix: all of them (contiguous) unless it exceeds one array.</summary>
    private static int ChunkRowsFor(int rows, int columns)
    {
        if (Volatile.Read(ref s_forcedScopes) > 0 && s_forcedRowsPerChunk.Value is { } forced) return forced;
        if ((long)rows * columns <= DefaultMaxContiguousValues) return Math.Max(rows, 1);
        return (int)Math.Max(1, DefaultChunkValues / Math.Max(1, columns));
    }
}
