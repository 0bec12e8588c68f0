namespace ContrastiveNE.Data;

/// <summary>Which column of a delimited file holds class labels: chosen by header name or by 0-based index.</summary>
public readonly record struct LabelColumn
{
    private LabelColumn(string? name, int index) { Name = name; Index = index; }

    /// <summary>The header name, when chosen by name; otherwise null.</summary>
    public string? Name { get; }

    /// <summary>The 0-based column index when chosen by index (negative values count from the end: −1 is the last column).</summary>
    public int Index { get; }

    /// <summary>The column whose header cell equals <paramref name="name"/> (ordinal comparison); the file must have a header.</summary>
    public static LabelColumn ByName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new LabelColumn(name, 0);
    }

    /// <summary>The column at <paramref name="index"/> (0-based; −1 is the last column).</summary>
    public static LabelColumn ByIndex(int index) => new(null, index);

    /// <inheritdoc/>
    public override string ToString() => Name is null ? $"column {Index}" : $"column '{Name}'";
}
