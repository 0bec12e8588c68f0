namespace ContrastiveNE.Data;

/// <summary>What a writer stores beside the matrix, where the format has room for it.</summary>
public sealed record DataWriteOptions
{
    /// <summary>
    /// The name the matrix is stored under: the array of a <c>.npz</c> archive (default <c>embedding</c>) or the
    /// <c>obsm</c> key of an AnnData file (default <c>X_cne</c>). Ignored by formats without names.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>Class label of each row, written as a column by formats with columns (Parquet, AnnData obs). Default null.</summary>
    public int[]? Labels { get; init; }

    /// <summary>Names of the label codes (categorical labels), or null to write the integers. Default null.</summary>
    public IReadOnlyList<string>? LabelNames { get; init; }

    /// <summary>The name of the label column. Default <c>label</c>.</summary>
    public string LabelColumnName { get; init; } = "label";

    /// <summary>One name per row (AnnData's obs index); null writes 0, 1, …. Default null.</summary>
    public IReadOnlyList<string>? RowNames { get; init; }

    /// <summary>No extras: the matrix alone.</summary>
    public static DataWriteOptions None { get; } = new();
}
