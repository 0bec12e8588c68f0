namespace ContrastiveNE.Embedding;

/// <summary>
/// How <see cref="CneMap.Transform"/> places new points into a fitted non-parametric map (docs/transform.md). Every
/// option has its default here; null means "derived from the fit" as documented on the option.
/// </summary>
public sealed record CneTransformOptions
{
    /// <summary>
    /// Epochs of the new points' optimisation, ≥ 0 (default 100; 0 keeps the weighted-mean start). Each epoch steps
    /// every new point once with the summed gradient of its K edges.
    /// </summary>
    public int Epochs { get; init; } = 100;

    /// <summary>
    /// Negatives per edge, drawn uniformly from the training map, ≥ 1. Default null: 30, or the fit's
    /// <see cref="CneOptions.NegativeSamples"/> when that is larger (a full-batch fit also gets 30). More negatives
    /// than the fit's 5 are what lifts the new points' accuracy (docs/transform.md).
    /// </summary>
    public int? NegativeSamples { get; init; }

    /// <summary>
    /// Starting learning rate of the linear decay to 0 over <see cref="Epochs"/>, &gt; 0. Default null: the fit's
    /// <see cref="CneOptions.EffectiveLearningRate"/>.
    /// </summary>
    public double? LearningRate { get; init; }

    /// <summary>Seed of the negatives' random streams. Default null: the fit's <see cref="CneOptions.Seed"/>.</summary>
    public int? Seed { get; init; }

    /// <summary>Worker threads (≤ 0: all processors). Default null: the fit's <see cref="CneOptions.Threads"/>. Does not change the result.</summary>
    public int? Threads { get; init; }

    /// <summary>The negatives per edge in force for a fit with <paramref name="options"/>.</summary>
    internal int NegativesFor(CneOptions options) => NegativeSamples ?? Math.Max(DefaultNegatives, options.NegativeSamples);

    private const int DefaultNegatives = 30;

    /// <summary>Checks every option; throws <see cref="ArgumentOutOfRangeException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be ≥ 0.");
        if (NegativeSamples is { } m && m < 1) throw new ArgumentOutOfRangeException(nameof(NegativeSamples), m, "NegativeSamples must be ≥ 1.");
        if (LearningRate is { } lr && !(lr > 0 && double.IsFinite(lr)))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), lr, "LearningRate must be finite and > 0.");
    }
}
