namespace ContrastiveNE.Gpu.Kernels;

/// <summary>The loss modes of docs/method.md §2 as the batch kernel numbers them.</summary>
internal enum GpuLossMode
{
    /// <summary>Negative sampling: ξ = q / (q + c).</summary>
    Neg = 0,
    /// <summary>Noise-contrastive estimation: NEG with c = Z·m and a learnable log Z.</summary>
    Nce = 1,
    /// <summary>UMAP's loss: −log q⁺ − Σ log(1 − q⁻).</summary>
    Umap = 2,
    /// <summary>InfoNCE with the positive inside the normaliser.</summary>
    InfoNce = 3,
    /// <summary>InfoNCE with the normaliser over the negatives only (SimCLR).</summary>
    InfoNceAlt = 4,
}

/// <summary>Where the batch kernel takes each head's positive and negatives from.</summary>
internal enum GpuNegativeSource
{
    /// <summary>Drawn uniformly with replacement from the 2b − 1 other rows by Philox (the positive is row i + b).</summary>
    Sampled = 0,
    /// <summary>Every other row except the head and its partner (2b − 2 negatives, no randomness).</summary>
    FullBatch = 1,
    /// <summary>Read from an explicit b × (1 + m) table of batch rows, positive first (golden tests).</summary>
    Explicit = 2,
}

/// <summary>
/// The scalar settings of one launch of <see cref="BatchLossKernel"/> (one struct, because kernels take few
/// parameters and the launch site should read as a sentence).
/// </summary>
internal struct BatchLossParams
{
    /// <summary>Heads b (the batch holds 2b feature rows).</summary>
    public int Batch;
    /// <summary>Embedding width d.</summary>
    public int Dim;
    /// <summary>Negatives per head m (2b − 2 for full batch).</summary>
    public int Negatives;
    /// <summary>The loss, as <see cref="GpuLossMode"/>.</summary>
    public int Mode;
    /// <summary>1 for the cosine similarity, 0 for Cauchy.</summary>
    public int Cosine;
    /// <summary>The negative source, as <see cref="GpuNegativeSource"/>.</summary>
    public int Source;
    /// <summary>neg: c = neg_spec; infonce: ρ = ince_spec; unused otherwise.</summary>
    public float Spec;
    /// <summary>Cauchy: q = 1 / (eps + d²).</summary>
    public float Eps;
    /// <summary>Cosine: the temperature inside the exponent, already floored at 0.02.</summary>
    public float Tau;
    /// <summary>InfoNCE's factor κ = temperature / base temperature.</summary>
    public float Kappa;
    /// <summary>Lower clamp of every logarithm's argument (−∞ when off).</summary>
    public float ClampLow;
    /// <summary>Upper clamp of every logarithm's argument (+∞ when off).</summary>
    public float ClampHigh;
    /// <summary>1 for sum aggregation, 1/(number of terms) for mean.</summary>
    public float Scale;
    /// <summary>Philox key, low word (from the seed).</summary>
    public uint KeyLo;
    /// <summary>Philox key, high word (from the seed).</summary>
    public uint KeyHi;
    /// <summary>Running batch number of the whole fit: a fresh counter, so fresh negatives, for every batch.</summary>
    public uint BatchCounter;
    /// <summary>Slot of the loss buffer this batch's loss is added to.</summary>
    public int LossSlot;
}
