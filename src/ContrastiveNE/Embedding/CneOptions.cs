using ContrastiveNE.Losses;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Optimization;

namespace ContrastiveNE.Embedding;

/// <summary>
/// Everything that defines a contrastive neighbour embedding (docs/method.md §1–§3, §5), with the reference's defaults written
/// once, here. Immutable; <see cref="Validate"/> (called by <see cref="Cne"/> before any work) rejects bad values with
/// an <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> is the option's name.
/// </summary>
public sealed partial record CneOptions
{
    /// <summary>The loss (default <see cref="LossMode.InfoNce"/>; preset-dependent).</summary>
    public LossMode Loss { get => _loss.Or(PresetDefaults.Loss); init => _loss = value; }

    /// <summary>The similarity (default <see cref="SimilarityMetric.Euclidean"/>, the Cauchy kernel).</summary>
    public SimilarityMetric Metric { get; init; } = SimilarityMetric.Euclidean;

    /// <summary>
    /// The spectrum position s (0 t-SNE-like, 1 UMAP-like; outside [0, 1] extrapolates). Takes precedence over
    /// <see cref="ZBar"/>, <see cref="NegSpec"/> and <see cref="InceSpec"/>. Default null: neg uses neg_spec = 1,
    /// InfoNCE uses s = 0. Preset-dependent.
    /// </summary>
    public double? S { get => _s.Or(PresetDefaults.S); init => _s = value; }

    /// <summary>Expert override for neg: the fixed normaliser Z̄ (&gt; 0); below <see cref="S"/>, above <see cref="NegSpec"/>. Default null.</summary>
    public double? ZBar { get; init; }

    /// <summary>Expert override for neg: the noise constant c of ξ = q/(q + c) (&gt; 0). Default null (1 when nothing is given).</summary>
    public double? NegSpec { get; init; }

    /// <summary>Expert override for InfoNCE: ρ, the inverse weight of the normaliser (&gt; 0); below <see cref="S"/>. Default null.</summary>
    public double? InceSpec { get; init; }

    /// <summary>
    /// Negatives per head, ≥ 0, or −1 for the full batch (default 5; preset-dependent). 0 (attraction only) is allowed where the loss
    /// still has a term: umap, infonce, and neg unless <see cref="S"/> or <see cref="ZBar"/> sets its spectrum
    /// (they give neg_spec = m·Z̄/n² = 0); not for nce (c = Z·m = 0) or infonce_alt (its normaliser sums over negatives only).
    /// </summary>
    public int NegativeSamples { get => _negativeSamples.Or(PresetDefaults.NegativeSamples); init => _negativeSamples = value; }

    /// <summary>Edges per batch, ≥ 1 (default 32768; preset-dependent).</summary>
    public int BatchSize { get => _batchSize.Or(PresetDefaults.BatchSize); init => _batchSize = value; }

    /// <summary>Epochs, ≥ 0 (default 200; preset-dependent).</summary>
    public int Epochs { get => _epochs.Or(PresetDefaults.Epochs); init => _epochs = value; }

    /// <summary>Learning rate &gt; 0; null (default) means 1.0 non-parametric, 0.001 parametric. Preset-dependent.</summary>
    public double? LearningRate { get => _learningRate.Or(PresetDefaults.LearningRate); init => _learningRate = value; }

    /// <summary>The learning-rate schedule (default <see cref="LearningRateSchedule.Linear"/>).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Linear;

    /// <summary>Floor of the linear schedule as a fraction of the learning rate, in [0, 1] (default 0).</summary>
    public double LrMinFactor { get; init; }

    /// <summary>Epochs of linear warm-up, ≥ 0 and below <see cref="Epochs"/> (default 0).</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>Learning rate the warm-up starts from, ≥ 0 (default 0).</summary>
    public double WarmupLearningRate { get; init; }

    /// <summary>The optimiser (default <see cref="OptimizerKind.Sgd"/>).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>SGD momentum in [0, 1) (default 0).</summary>
    public double Momentum { get; init; }

    /// <summary>Weight decay ≥ 0 (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradient value clipping bound &gt; 0; null switches clipping off (default 4).</summary>
    public double? ClipValue { get; init; } = 4.0;

    /// <summary>How batch terms combine (default <see cref="LossAggregation.Sum"/>).</summary>
    public LossAggregation Aggregation { get; init; } = LossAggregation.Sum;

    /// <summary>
    /// eps of the Cauchy kernel 1/(eps + d²), ≥ 0 (default 1; preset-dependent). 0 is UMAP's implicit similarity 1/d²; the kernels then
    /// use 1e-18 so that two coinciding rows give a finite q (docs/method.md §2.2).
    /// </summary>
    public double Eps { get => _eps.Or(PresetDefaults.Eps); init => _eps = value; }

    /// <summary>
    /// Temperature τ &gt; 0 of the cosine similarity (the initial value when <see cref="LearnableTemperature"/>); also
    /// κ = τ/base in InfoNCE, always with this initial value (default 0.5).
    /// </summary>
    public double Temperature { get; init; } = 0.5;

    /// <summary>Whether log τ is trained (learning rate 0.001; cosine only) (default false).</summary>
    public bool LearnableTemperature { get; init; }

    /// <summary>Base temperature of κ = τ / base, &gt; 0 (default 1).</summary>
    public double BaseTemperature { get; init; } = 1.0;

    /// <summary>NCE's initial normalisation constant Z &gt; 0; log Z is then learned (default 1).</summary>
    public double InitialZ { get; init; } = 1.0;


    /// <summary>Lower clamp of logarithm arguments; null (default) means 1e-4 Euclidean, −∞ cosine.</summary>
    public double? ClampLow { get; init; }

    /// <summary>Upper clamp of logarithm arguments; null (default) means 1 Euclidean, +∞ cosine.</summary>
    public double? ClampHigh { get; init; }

    /// <summary>Early exaggeration for neg and InfoNCE when s is in force (default true; docs/method.md §3; preset-dependent).</summary>
    public bool EarlyExaggeration { get => _earlyExaggeration.Or(PresetDefaults.EarlyExaggeration); init => _earlyExaggeration = value; }

    /// <summary>Neighbours per point of the kNN graph, ≥ 1 (default 15; preset-dependent).</summary>
    public int K { get => _k.Or(PresetDefaults.K); init => _k = value; }

    /// <summary>kNN search method (default <see cref="KnnMethod.Auto"/>; preset-dependent).</summary>
    public KnnMethod KnnMethod { get => _knnMethod.Or(PresetDefaults.KnnMethod); init => _knnMethod = value; }

    /// <summary>Distance of the kNN graph in data space (default Euclidean).</summary>
    public DistanceMetric KnnMetric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>Embedding dimension d ≥ 1 (default 2).</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>Seed of every random choice (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Threads; ≤ 0 means all processors (default 0). Results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Epochs between snapshot callbacks, ≥ 1 (default 25).</summary>
    public int SaveFrequency { get; init; } = 25;

    /// <summary>Train a network that maps data rows to positions instead of a table (default false).</summary>
    public bool Parametric { get; init; }

    /// <summary>Hidden layer widths of the parametric network (default 100, 100, 100).</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [100, 100, 100];

    // ─── Presets (issue 17) ───────────────────────────────────────────────────────────────────────────────────
    // The options marked "preset-dependent" keep an Explicit<T>: the value set, or the preset's (CnePresets, the one
    // table of preset values; the reference's entry holds the defaults written above). An explicit value always
    // wins, whatever the order of the initialisers; `with` copies both the explicit values and the preset.

    /// <summary>
    /// The preset that supplies the default of every preset-dependent option not set explicitly (default
    /// <see cref="CnePreset.Reference"/>: the reference's defaults, bit for bit). Values: <see cref="CnePresets"/>.
    /// </summary>
    public CnePreset Preset { get; init; }

    /// <summary>
    /// Principal components the kNN search runs on: 0 (default) searches the data itself; c &gt; 0 searches the
    /// projection on the first c principal components when the data has more than c columns (a much cheaper search
    /// on wide data, with neighbours that differ little). Preset-dependent.
    /// </summary>
    public int KnnPcaComponents { get => _knnPcaComponents.Or(PresetDefaults.KnnPcaComponents); init => _knnPcaComponents = value; }

    private CnePresetDefaults PresetDefaults => CnePresets.Of(System.Enum.IsDefined(Preset) ? Preset : CnePreset.Reference);

    private Explicit<LossMode> _loss;
    private Explicit<double?> _s;
    private Explicit<int> _negativeSamples, _batchSize, _epochs, _k, _knnPcaComponents;
    private Explicit<double?> _learningRate;
    private Explicit<double> _eps;
    private Explicit<bool> _earlyExaggeration;
    private Explicit<KnnMethod> _knnMethod;
    private Explicit<RepulsionMode> _repulsion;
    private Explicit<int> _earlyExaggerationEpochs;
    private Explicit<double?> _perplexity;

    private static readonly System.Reflection.PropertyInfo[] SettableProperties =
        [.. typeof(CneOptions).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(p => p.CanWrite)];

    /// <summary>
    /// Equal when every option in force is equal (whether a value was set explicitly or came from the preset does
    /// not matter); <see cref="HiddenLayers"/> compares element by element.
    /// </summary>
    public bool Equals(CneOptions? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null) return false;
        foreach (var property in SettableProperties)
        {
            object? mine = property.GetValue(this), theirs = property.GetValue(other);
            bool same = mine is IReadOnlyList<int> a && theirs is IReadOnlyList<int> b ? a.SequenceEqual(b) : Equals(mine, theirs);
            if (!same) return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var property in SettableProperties)
        {
            if (property.GetValue(this) is IReadOnlyList<int> list)
                foreach (int v in list) hash.Add(v);
            else hash.Add(property.GetValue(this));
        }
        return hash.ToHashCode();
    }
    // ──────────────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>The learning rate in force: <see cref="LearningRate"/> or the mode's default.</summary>
    public double EffectiveLearningRate => LearningRate ?? (Parametric ? 0.001 : 1.0);

    /// <summary>Where training runs: <see cref="ComputeDevice.Cpu"/> (default), <see cref="ComputeDevice.Gpu"/> or
    /// <see cref="ComputeDevice.Auto"/> (the GPU when the ContrastiveNE.Gpu assembly and a CUDA device are present).</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>The lower clamp in force.</summary>
    public double EffectiveClampLow => ClampLow ?? (Metric == SimilarityMetric.Euclidean ? 1e-4 : double.NegativeInfinity);

    /// <summary>The upper clamp in force.</summary>
    public double EffectiveClampHigh => ClampHigh ?? (Metric == SimilarityMetric.Euclidean ? 1.0 : double.PositiveInfinity);

    // ---- FFT repulsion (t-SNE limit) and kNN preprocessing: RepulsionMode.Fft and the options it reads ----

    /// <summary>
    /// How repulsion is computed (default <see cref="RepulsionMode.Sampled"/>, the reference's sampled negatives).
    /// <see cref="RepulsionMode.Fft"/> trains t-SNE on the kNN affinities with <see cref="Perplexity"/>,
    /// <see cref="EarlyExaggerationFactor"/>, <see cref="EarlyExaggerationEpochs"/> and <see cref="Exaggeration"/>;
    /// the loss, negatives, batch, optimiser and schedule options do not apply to it.
    /// </summary>
    public RepulsionMode Repulsion { get => _repulsion.Or(PresetDefaults.Repulsion); init => _repulsion = value; }

    /// <summary>
    /// <see cref="RepulsionMode.Fft"/> only: perplexity of the Gaussian input affinities over each point's
    /// <see cref="K"/> neighbours, in (0, K] (t-SNE's usual pairing is K = 3 × perplexity). Default null: uniform
    /// affinities on the binary kNN graph.
    /// </summary>
    public double? Perplexity { get => _perplexity.Or(PresetDefaults.Perplexity); init => _perplexity = value; }

    /// <summary><see cref="RepulsionMode.Fft"/> only: the attraction's factor α in the early epochs, ≥ 1 (default 12, as t-SNE).</summary>
    public double EarlyExaggerationFactor { get; init; } = 12.0;

    /// <summary>
    /// <see cref="RepulsionMode.Fft"/> only: epochs of early exaggeration, ≥ 0 (default 250, as t-SNE; capped at
    /// <see cref="Epochs"/>; none when <see cref="EarlyExaggeration"/> is false).
    /// </summary>
    public int EarlyExaggerationEpochs { get => _earlyExaggerationEpochs.Or(250); init => _earlyExaggerationEpochs = value; }

    /// <summary><see cref="RepulsionMode.Fft"/> only: the attraction's factor α after the early phase, &gt; 0 (default 1: plain t-SNE).</summary>
    public double Exaggeration { get; init; } = 1.0;

    /// <summary>
    /// The learning rate of a <see cref="RepulsionMode.Fft"/> run: <see cref="LearningRate"/>, or max(n / 12, 50)
    /// (openTSNE's choice, n / early exaggeration; Belkina et al. 2019).
    /// </summary>
    public double FftLearningRate(int n) => LearningRate ?? Math.Max(n / 12.0, 50.0);

    private void ValidateFft()
    {
        Enum(Repulsion, nameof(Repulsion));
        if (Perplexity is { } perp && !(perp > 0 && perp <= K))
            throw new ArgumentOutOfRangeException(nameof(Perplexity), perp, $"Perplexity must lie in (0, K = {K}].");
        if (!(EarlyExaggerationFactor >= 1) || !double.IsFinite(EarlyExaggerationFactor))
            throw new ArgumentOutOfRangeException(nameof(EarlyExaggerationFactor), EarlyExaggerationFactor, "EarlyExaggerationFactor must be finite and ≥ 1.");
        if (EarlyExaggerationEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(EarlyExaggerationEpochs), EarlyExaggerationEpochs, "EarlyExaggerationEpochs must be ≥ 0.");
        Positive(Exaggeration, nameof(Exaggeration));
        if (Repulsion != RepulsionMode.Fft) return;
        if (Dimensions != 2) throw new ArgumentOutOfRangeException(nameof(Dimensions), Dimensions, "Repulsion Fft embeds in 2 dimensions.");
        if (Parametric) throw new ArgumentException("Repulsion Fft is non-parametric; switch Parametric off.", nameof(Parametric));
        if (Metric != SimilarityMetric.Euclidean) throw new ArgumentException("Repulsion Fft uses the Cauchy kernel: Metric must be Euclidean.", nameof(Metric));
        if (Device == ComputeDevice.Gpu) throw new ArgumentException("Repulsion Fft runs on the CPU.", nameof(Device));
    }

    // ---- end of the FFT repulsion block ----

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Enum(Preset, nameof(Preset));
        Enum(Loss, nameof(Loss));
        Enum(Metric, nameof(Metric));
        Enum(Schedule, nameof(Schedule));
        Enum(Optimizer, nameof(Optimizer));
        Enum(Aggregation, nameof(Aggregation));
        Enum(KnnMethod, nameof(KnnMethod));
        Enum(KnnMetric, nameof(KnnMetric));
        Enum(Device, nameof(Device));
        if (S is { } s && !double.IsFinite(s)) throw new ArgumentOutOfRangeException(nameof(S), s, "s must be finite.");
        Positive(ZBar, nameof(ZBar));
        Positive(NegSpec, nameof(NegSpec));
        Positive(InceSpec, nameof(InceSpec));
        if (NegativeSamples < -1)
            throw new ArgumentOutOfRangeException(nameof(NegativeSamples), NegativeSamples, "NegativeSamples must be ≥ 0, or −1 for the full batch.");
        if (NegativeSamples == 0)
        {
            if (Loss is LossMode.Nce or LossMode.InfoNceAlt)
                throw new ArgumentOutOfRangeException(nameof(NegativeSamples), NegativeSamples,
                    $"NegativeSamples = 0 leaves {Loss} without a loss (nce's c = Z·m and infonce_alt's normaliser need negatives); choose ≥ 1.");
            if (Loss == LossMode.Neg && (S is not null || ZBar is not null))
                throw new ArgumentOutOfRangeException(nameof(NegativeSamples), NegativeSamples,
                    "NegativeSamples = 0 with neg and S or ZBar gives neg_spec = m·Z̄/n² = 0; choose ≥ 1, or give NegSpec (or nothing: neg_spec = 1) instead.");
        }
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be ≥ 1.");
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be ≥ 0.");
        Positive(LearningRate, nameof(LearningRate));
        if (!(LrMinFactor >= 0 && LrMinFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(LrMinFactor), LrMinFactor, "LrMinFactor must lie in [0, 1].");
        if (WarmupEpochs < 0 || (WarmupEpochs > 0 && WarmupEpochs >= Epochs))
            throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, "WarmupEpochs must be ≥ 0 and below Epochs.");
        if (!(WarmupLearningRate >= 0) || !double.IsFinite(WarmupLearningRate))
            throw new ArgumentOutOfRangeException(nameof(WarmupLearningRate), WarmupLearningRate, "WarmupLearningRate must be finite and ≥ 0.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must lie in [0, 1).");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be finite and ≥ 0.");
        Positive(ClipValue, nameof(ClipValue));
        if (!(Eps >= 0) || !double.IsFinite(Eps)) throw new ArgumentOutOfRangeException(nameof(Eps), Eps, "Eps must be finite and ≥ 0.");
        Positive(InitialZ, nameof(InitialZ));
        Positive(Temperature, nameof(Temperature));
        Positive(BaseTemperature, nameof(BaseTemperature));
        if (LearnableTemperature && Metric != SimilarityMetric.Cosine)
            throw new ArgumentException("A learnable temperature needs the cosine metric.", nameof(LearnableTemperature));
        if (ClampLow is { } lo && double.IsNaN(lo)) throw new ArgumentOutOfRangeException(nameof(ClampLow), lo, "ClampLow must not be NaN.");
        if (ClampHigh is { } hi && double.IsNaN(hi)) throw new ArgumentOutOfRangeException(nameof(ClampHigh), hi, "ClampHigh must not be NaN.");
        if (!(EffectiveClampLow < EffectiveClampHigh))
            throw new ArgumentOutOfRangeException(nameof(ClampHigh), ClampHigh, $"ClampHigh must exceed ClampLow ({EffectiveClampLow}).");
        if (KnnPcaComponents < 0)
            throw new ArgumentOutOfRangeException(nameof(KnnPcaComponents), KnnPcaComponents, "KnnPcaComponents must be ≥ 0 (0 searches the data itself).");
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "K must be ≥ 1.");
        if (Dimensions < 1) throw new ArgumentOutOfRangeException(nameof(Dimensions), Dimensions, "Dimensions must be ≥ 1.");
        if (SaveFrequency < 1) throw new ArgumentOutOfRangeException(nameof(SaveFrequency), SaveFrequency, "SaveFrequency must be ≥ 1.");
        if (HiddenLayers is null) throw new ArgumentNullException(nameof(HiddenLayers));
        foreach (int w in HiddenLayers)
            if (w < 1) throw new ArgumentOutOfRangeException(nameof(HiddenLayers), w, "Every hidden layer needs a width ≥ 1.");
        ValidateFft();
    }

    private static void Enum<T>(T value, string name) where T : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} has no value {value}.");
    }

    private static void Positive(double? value, string name)
    {
        if (value is { } v && !(v > 0 && double.IsFinite(v)))
            throw new ArgumentOutOfRangeException(name, v, $"{name} must be finite and > 0.");
    }
}
