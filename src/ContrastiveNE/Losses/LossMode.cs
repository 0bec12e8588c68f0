namespace ContrastiveNE.Losses;

/// <summary>The contrastive loss of docs/method.md §2.</summary>
public enum LossMode
{
    /// <summary>InfoNC-t-SNE: −κ[log q₊ − (1/ρ) log(q₊ + Σ q₋)]; the t-SNE-like default.</summary>
    InfoNce,

    /// <summary>SimCLR's form of InfoNCE: the normaliser runs over the negatives only.</summary>
    InfoNceAlt,

    /// <summary>Negative sampling (Neg-t-SNE … UMAP-like) with the fixed constant neg_spec.</summary>
    Neg,

    /// <summary>Noise-contrastive estimation (NCVis) with a learnable normalisation constant Z.</summary>
    Nce,

    /// <summary>UMAP's cross entropy on the Cauchy kernel.</summary>
    Umap,
}
