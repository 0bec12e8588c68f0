namespace ContrastiveNE.Data;

/// <summary>
/// What a reader found in a data file: the matrix (one point per row) and, where the file holds them, class labels,
/// their names, column names and the image layout of a row.
/// </summary>
public sealed class LoadedData
{
    /// <summary>Wraps the parts of a loaded file.</summary>
    /// <param name="data">The matrix, one point per row.</param>
    /// <param name="labels">Integer class label of each row, or null.</param>
    /// <param name="labelNames">Name of label value i at index i (text or categorical labels), or null.</param>
    /// <param name="imageShape">The layout of a row as an image, or null when the file does not say.</param>
    /// <param name="columnNames">One name per column of <paramref name="data"/>, or null.</param>
    /// <param name="rowNames">One name per row (e.g. AnnData's obs index), or null.</param>
    public LoadedData(Matrix data, int[]? labels = null, IReadOnlyList<string>? labelNames = null, ImageShape? imageShape = null,
        IReadOnlyList<string>? columnNames = null, IReadOnlyList<string>? rowNames = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (labels != null && labels.Length != data.Rows)
            throw new ArgumentException($"{labels.Length} labels for {data.Rows} rows.", nameof(labels));
        if (imageShape is { } shape && shape.Size != data.Columns)
            throw new ArgumentException($"The image shape {shape} holds {shape.Size} values, but a row has {data.Columns}.", nameof(imageShape));
        if (columnNames != null && columnNames.Count != data.Columns)
            throw new ArgumentException($"{columnNames.Count} column names for {data.Columns} columns.", nameof(columnNames));
        if (rowNames != null && rowNames.Count != data.Rows)
            throw new ArgumentException($"{rowNames.Count} row names for {data.Rows} rows.", nameof(rowNames));
        Data = data;
        Labels = labels;
        LabelNames = labelNames;
        ImageShape = imageShape;
        ColumnNames = columnNames;
        RowNames = rowNames;
    }

    /// <summary>The matrix, one point per row.</summary>
    public Matrix Data { get; }

    /// <summary>
    /// The integer class label of each row, or null when the file holds none (or none was asked for). Where
    /// <see cref="LabelNames"/> is set, the labels are codes 0 … <c>LabelNames.Count</c> − 1.
    /// </summary>
    public int[]? Labels { get; }

    /// <summary>For text or categorical labels, the name of label value i at index i; null for numeric labels.</summary>
    public IReadOnlyList<string>? LabelNames { get; }

    /// <summary>The layout of a row as an image (an N × 28 × 28 array gives 1 × 28 × 28), or null.</summary>
    public ImageShape? ImageShape { get; }

    /// <summary>The name of each column, when the file names them (a header row, Parquet columns, AnnData var).</summary>
    public IReadOnlyList<string>? ColumnNames { get; }

    /// <summary>The name of each row, when the file names them (AnnData's obs index).</summary>
    public IReadOnlyList<string>? RowNames { get; }
}
