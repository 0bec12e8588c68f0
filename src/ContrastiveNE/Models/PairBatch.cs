namespace ContrastiveNE.Models;

/// <summary>
/// One batch of b positive pairs (docs/method.md §2): feature rows 0 … b−1 are the heads, rows b … 2b−1 their partners.
/// A pair source fills it either with item indices (kNN edges: <see cref="Items"/>) or with explicit input rows
/// (augmentations: <see cref="Inputs"/>); a model reads the form it understands.
/// </summary>
public sealed class PairBatch
{
    /// <summary>Number of pairs b in this batch.</summary>
    public int Size { get; set; }

    /// <summary>2b item indices (heads, then tails); the first 2·<see cref="Size"/> entries are valid. Null for input-row batches.</summary>
    public int[]? Items { get; set; }

    /// <summary>2b input rows of width <see cref="InputWidth"/> (heads, then tails), for sources that produce data rather than indices.</summary>
    public float[]? Inputs { get; set; }

    /// <summary>Width of an input row in <see cref="Inputs"/>.</summary>
    public int InputWidth { get; set; }
}
