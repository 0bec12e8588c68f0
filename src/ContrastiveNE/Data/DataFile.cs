namespace ContrastiveNE.Data;

/// <summary>Reads a data matrix (and optional labels) from a file, choosing the format by its extension.</summary>
public static class DataFile
{
    /// <summary>
    /// Reads <paramref name="path"/>: <c>.npy</c> through <see cref="NpyFile"/>, anything else as delimited text through
    /// <see cref="DelimitedFile"/> (where <paramref name="labelColumn"/> may pick a label column).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="labelColumn">For delimited text: the column holding class labels, or null. Not allowed for <c>.npy</c>.</param>
    /// <returns>The matrix, and the labels when a label column was chosen.</returns>
    public static (Matrix Data, int[]? Labels) Read(string path, LabelColumn? labelColumn = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (IsNpy(path))
        {
            if (labelColumn != null)
                throw new ArgumentException($"A label column applies to delimited text; '{path}' is a .npy file (pass the labels as their own .npy file).", nameof(labelColumn));
            return (NpyFile.ReadMatrix(path), null);
        }
        var d = DelimitedFile.Read(path, labelColumn);
        return (d.Data, d.Labels);
    }

    /// <summary>Reads class labels: a <c>.npy</c> array, or a delimited file with a single column (header allowed).</summary>
    public static int[] ReadLabels(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (IsNpy(path)) return NpyFile.ReadLabels(path);
        return DelimitedFile.ReadLabels(path);
    }

    /// <summary>Writes <paramref name="matrix"/> atomically: <c>.npy</c> (float32) or delimited text for any other extension.</summary>
    public static void Write(string path, Matrix matrix)
    {
        if (IsNpy(path)) NpyFile.Write(path, matrix);
        else DelimitedFile.Write(path, matrix);
    }

    private static bool IsNpy(string path) => Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase);
}
