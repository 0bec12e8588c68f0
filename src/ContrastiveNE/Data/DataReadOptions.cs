namespace ContrastiveNE.Data;

/// <summary>
/// Which part of a data file to read. Each format uses the options that apply to it and rejects the others with an
/// <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> is the option's property name.
/// </summary>
public sealed record DataReadOptions
{
    /// <summary>The array of a <c>.npz</c> archive to read; null reads its only array. Default null.</summary>
    public string? Key { get; init; }

    /// <summary>AnnData: read <c>obsm[Obsm]</c> (e.g. <c>X_pca</c>) instead of <c>X</c>. Default null.</summary>
    public string? Obsm { get; init; }

    /// <summary>AnnData: read <c>layers[Layer]</c> instead of <c>X</c>. Default null.</summary>
    public string? Layer { get; init; }

    /// <summary>
    /// The column holding class labels: a header column of delimited text, a Parquet column or an AnnData
    /// <c>obs</c> column (by name there). Default null (no labels).
    /// </summary>
    public LabelColumn? LabelColumn { get; init; }

    /// <summary>No options: the whole matrix of the file.</summary>
    public static DataReadOptions None { get; } = new();

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> (its ParamName the option) for the first option set that
    /// <paramref name="format"/> does not use.
    /// </summary>
    /// <param name="format">The format's name, for the message.</param>
    /// <param name="path">The file, for the message.</param>
    /// <param name="used">The property names the format uses (<c>nameof(DataReadOptions.Key)</c>, …).</param>
    public void EnsureOnly(string format, string path, params string[] used)
    {
        ArgumentNullException.ThrowIfNull(used);
        (string Name, bool Set)[] all =
        [
            (nameof(Key), Key != null), (nameof(Obsm), Obsm != null), (nameof(Layer), Layer != null), (nameof(LabelColumn), LabelColumn != null),
        ];
        foreach (var (name, set) in all)
            if (set && Array.IndexOf(used, name) < 0)
                throw new ArgumentException($"{path}: a {format} file has no use for the option {name}.", name);
    }
}
