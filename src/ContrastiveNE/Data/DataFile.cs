namespace ContrastiveNE.Data;

/// <summary>Reads a data matrix (and optional labels) from a file, choosing the format by its name through <see cref="DataFormats"/>.</summary>
public static class DataFile
{
    /// <summary>
    /// Reads <paramref name="path"/> in the format its name implies (see <see cref="DataFormats"/>); for formats with
    /// columns, <paramref name="labelColumn"/> may pick a label column.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="labelColumn">The column holding class labels, or null. Not allowed for array formats such as <c>.npy</c>.</param>
    /// <returns>The matrix, and the labels when a label column was chosen.</returns>
    public static (Matrix Data, int[]? Labels) Read(string path, LabelColumn? labelColumn = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            var d = DataFormats.Read(path, new DataReadOptions { LabelColumn = labelColumn });
            return (d.Data, d.Labels);
        }
        catch (ArgumentException e) when (e.ParamName == nameof(DataReadOptions.LabelColumn))
        {
            throw new ArgumentException($"A label column applies to files with columns; '{path}' has none (pass the labels as their own file).", nameof(labelColumn));
        }
    }

    /// <summary>Reads class labels: a <c>.npy</c>, <c>.npz</c> or IDX array, or a delimited file with a single column (header allowed).</summary>
    public static int[] ReadLabels(string path) => DataFormats.ReadLabels(path);

    /// <summary>Writes <paramref name="matrix"/> atomically in the format the name implies (see <see cref="DataFormats"/>).</summary>
    public static void Write(string path, Matrix matrix) => DataFormats.Write(path, matrix);
}
