namespace ContrastiveNE.Data;

/// <summary>The content of a delimited text file: the numeric data and, if a label column was chosen, the labels.</summary>
public sealed class DelimitedData
{
    internal DelimitedData(Matrix data, int[]? labels, IReadOnlyList<string>? labelNames, IReadOnlyList<string>? columnNames, char? delimiter)
    {
        Data = data;
        Labels = labels;
        LabelNames = labelNames;
        ColumnNames = columnNames;
        Delimiter = delimiter;
    }

    /// <summary>The numeric columns (the label column removed), one row per data line.</summary>
    public Matrix Data { get; }

    /// <summary>
    /// The class label of each row, or null when no label column was chosen. Integer labels keep their values;
    /// other labels are numbered 0, 1, … in order of first appearance (see <see cref="LabelNames"/>).
    /// </summary>
    public int[]? Labels { get; }

    /// <summary>For text labels, the name of label value i at index i; null for integer labels or no labels.</summary>
    public IReadOnlyList<string>? LabelNames { get; }

    /// <summary>The header names of the columns of <see cref="Data"/>, or null when the file has no header row.</summary>
    public IReadOnlyList<string>? ColumnNames { get; }

    /// <summary>The detected delimiter; null when cells are separated by runs of whitespace.</summary>
    public char? Delimiter { get; }
}
