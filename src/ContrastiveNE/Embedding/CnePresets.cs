using System.Globalization;
using System.Reflection;
using ContrastiveNE.Losses;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Embedding;

/// <summary>
/// The defaults a <see cref="CnePreset"/> gives the options it can change. The record's own initial values are the
/// reference's defaults (<see cref="CnePreset.Reference"/>); the other presets are written as changes to them in
/// <see cref="CnePresets"/>. Every other option of <see cref="CneOptions"/> has the same default under every preset.
/// </summary>
public sealed record CnePresetDefaults
{
    /// <inheritdoc cref="CneOptions.Loss"/>
    public LossMode Loss { get; init; } = LossMode.InfoNce;

    /// <inheritdoc cref="CneOptions.S"/>
    public double? S { get; init; }

    /// <inheritdoc cref="CneOptions.NegativeSamples"/>
    public int NegativeSamples { get; init; } = 5;

    /// <inheritdoc cref="CneOptions.BatchSize"/>
    public int BatchSize { get; init; } = 32768;

    /// <inheritdoc cref="CneOptions.Epochs"/>
    public int Epochs { get; init; } = 200;

    /// <inheritdoc cref="CneOptions.LearningRate"/>
    public double? LearningRate { get; init; }

    /// <inheritdoc cref="CneOptions.EarlyExaggeration"/>
    public bool EarlyExaggeration { get; init; } = true;

    /// <inheritdoc cref="CneOptions.Eps"/>
    public double Eps { get; init; } = 1.0;

    /// <inheritdoc cref="CneOptions.K"/>
    public int K { get; init; } = 15;

    /// <inheritdoc cref="CneOptions.KnnMethod"/>
    public KnnMethod KnnMethod { get; init; } = KnnMethod.Auto;

    /// <inheritdoc cref="CneOptions.KnnPcaComponents"/>
    public int KnnPcaComponents { get; init; }

    /// <inheritdoc cref="CneOptions.Repulsion"/>
    public RepulsionMode Repulsion { get; init; } = RepulsionMode.Sampled;

    /// <inheritdoc cref="CneOptions.Perplexity"/>
    public double? Perplexity { get; init; }
}

/// <summary>
/// The one table of preset values (issue 17). A preset only supplies defaults: an option set explicitly on
/// <see cref="CneOptions"/> (or on the command line) always wins. docs/presets.md gives the measurements behind
/// every value.
/// </summary>
public static class CnePresets
{
    private static readonly CnePresetDefaults ReferenceDefaults = new();

    // ─── THE TABLE ────────────────────────────────────────────────────────────────────────────────────────────
    private static readonly CnePresetDefaults UmapDefaults = ReferenceDefaults with
    {
        Loss = LossMode.Neg,       // negative sampling with a fixed normaliser: UMAP's loss family (docs/method.md §2)
        S = 0.5,                   // re-measured after Z̄_umap = n²/5 (docs/method.md): s 0.8 → 0.7834 / 0.127, s 0.5 → 0.796 / 0.153 (70k, preset-tune)
        NegativeSamples = 80,      // many more negatives than UMAP's 5: what raises accuracy and recall most …
        Epochs = 20,               // … paid for with fewer epochs (with many negatives more epochs add little)
        Eps = 0.3,                 // a heavier-tailed kernel 1/(0.3 + d²), nearer UMAP's: tighter clusters, higher recall
        KnnPcaComponents = 50,     // kNN on 50 principal components: a fraction of the search time on wide data
    };

    private static readonly CnePresetDefaults TsneDefaults = ReferenceDefaults with
    {
        Repulsion = RepulsionMode.Fft, // all negatives: InfoNCE's m → ∞ limit = t-SNE, repulsion by FFT interpolation
        K = 45,                    // 3 × perplexity neighbours, as t-SNE pairs them
        Perplexity = 15,           // Gaussian affinities; 15 beat 20 and 30 at 70,000 rows (recall 0.277 / 0.270 / 0.258)
        Epochs = 500,              // 250 early-exaggeration epochs (α = 12) + 250 plain: t-SNE's 750 cost 50 % more for little
        KnnMethod = KnnMethod.Exact, // exact on 50 PCs (7–9 s at 70k); NN-descent at k = 60 had not finished after 55 CPU-s
        KnnPcaComponents = 50,     // kNN on 50 principal components, also the initialisation's PCA
    };
    // ──────────────────────────────────────────────────────────────────────────────────────────────────────────

    private static readonly PropertyInfo[] Properties = typeof(CnePresetDefaults).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken).ToArray();

    /// <summary>The defaults of <paramref name="preset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined preset value.</exception>
    public static CnePresetDefaults Of(CnePreset preset) => preset switch
    {
        CnePreset.Reference => ReferenceDefaults,
        CnePreset.Umap => UmapDefaults,
        CnePreset.Tsne => TsneDefaults,
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, $"{nameof(CnePreset)} has no value {preset}."),
    };

    /// <summary>
    /// What <paramref name="preset"/> changes against the reference's defaults: (option name as on
    /// <see cref="CneOptions"/>, value written invariantly), in declaration order. Empty for the reference.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Changes(CnePreset preset)
    {
        var values = Of(preset);
        var changes = new List<KeyValuePair<string, string>>();
        foreach (var property in Properties)
        {
            object? value = property.GetValue(values);
            if (!Equals(value, property.GetValue(ReferenceDefaults)))
                changes.Add(new(property.Name, value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "none"));
        }
        return changes;
    }
}
