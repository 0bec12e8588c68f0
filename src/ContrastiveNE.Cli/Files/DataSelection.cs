namespace ContrastiveNE.Cli.Files;

/// <summary>What to read from a data file: a .npz key, an AnnData obsm entry or layer, and a label column (each optional).</summary>
internal sealed record DataSelection(string? Key, string? Obsm, string? Layer, string? LabelColumn);
