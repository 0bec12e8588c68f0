namespace ContrastiveNE.Embedding;

/// <summary>
/// A named set of defaults for <see cref="CneOptions"/> (<see cref="CneOptions.Preset"/>). A preset only fills the
/// options that are not set explicitly; its values are listed in <see cref="CnePresets"/> (one table).
/// </summary>
public enum CnePreset
{
    /// <summary>The reference implementation's defaults, unchanged (InfoNC-t-SNE, 5 negatives, 200 epochs).</summary>
    Reference,

    /// <summary>A UMAP-like map (the neg loss near s = 1) tuned to preserve neighbours better than umap-learn, in a fraction of its time.</summary>
    Umap,

    /// <summary>A t-SNE-like map: InfoNCE's limit of infinitely many negatives (t-SNE on perplexity-calibrated kNN affinities), its repulsion computed by FFT interpolation (<see cref="RepulsionMode.Fft"/>).</summary>
    Tsne,
}
