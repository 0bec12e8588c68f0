using System.CommandLine;
using System.Globalization;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Optimization;

namespace ContrastiveNE.Cli.Options;

/// <summary>
/// Every option of <see cref="CneOptions"/> in kebab-case, with the library's defaults (read from a default
/// <see cref="CneOptions"/>, so they are written in one place), and the mapping back to <see cref="CneOptions"/>.
/// </summary>
internal sealed class EmbedOptions
{
    private static readonly CneOptions Defaults = new();

    /// <summary>Library option names (<see cref="ArgumentException.ParamName"/>) → CLI flags, for error messages.</summary>
    public static readonly IReadOnlyDictionary<string, string> FlagOf = new Dictionary<string, string>
    {
        [nameof(CneOptions.Loss)] = "--loss", [nameof(CneOptions.Metric)] = "--metric", [nameof(CneOptions.S)] = "--s",
        [nameof(CneOptions.ZBar)] = "--z-bar", [nameof(CneOptions.NegSpec)] = "--neg-spec", [nameof(CneOptions.InceSpec)] = "--ince-spec",
        [nameof(CneOptions.NegativeSamples)] = "--negatives", [nameof(CneOptions.BatchSize)] = "--batch-size",
        [nameof(CneOptions.Epochs)] = "--epochs", [nameof(CneOptions.LearningRate)] = "--lr", [nameof(CneOptions.Schedule)] = "--schedule",
        [nameof(CneOptions.LrMinFactor)] = "--lr-min-factor", [nameof(CneOptions.WarmupEpochs)] = "--warmup-epochs",
        [nameof(CneOptions.WarmupLearningRate)] = "--warmup-lr", [nameof(CneOptions.Optimizer)] = "--optimizer",
        [nameof(CneOptions.Momentum)] = "--momentum", [nameof(CneOptions.WeightDecay)] = "--weight-decay", [nameof(CneOptions.ClipValue)] = "--clip",
        [nameof(CneOptions.Aggregation)] = "--aggregation", [nameof(CneOptions.Eps)] = "--eps", [nameof(CneOptions.Temperature)] = "--temperature",
        [nameof(CneOptions.LearnableTemperature)] = "--learnable-temperature", [nameof(CneOptions.BaseTemperature)] = "--base-temperature",
        [nameof(CneOptions.InitialZ)] = "--initial-z",
        [nameof(CneOptions.ClampLow)] = "--clamp-low", [nameof(CneOptions.ClampHigh)] = "--clamp-high",
        [nameof(CneOptions.EarlyExaggeration)] = "--no-early-exaggeration", [nameof(CneOptions.K)] = "--k", [nameof(CneOptions.KnnMethod)] = "--knn",
        [nameof(CneOptions.KnnMetric)] = "--knn-metric", [nameof(CneOptions.Dimensions)] = "--dim", [nameof(CneOptions.Seed)] = "--seed",
        [nameof(CneOptions.Threads)] = "--threads", [nameof(CneOptions.Parametric)] = "--parametric", [nameof(CneOptions.HiddenLayers)] = "--hidden",
        [nameof(CneOptions.Device)] = "--device",
        [nameof(CneOptions.Preset)] = "--preset", [nameof(CneOptions.KnnPcaComponents)] = "--knn-pca",
    }.Concat(RepulsionFlags.FlagOf).ToDictionary();

    private readonly RepulsionFlags _repulsionFlags = new();

    private readonly ChoiceOption<LossMode> _loss;
    private readonly ChoiceOption<SimilarityMetric> _metric;
    private readonly Option<double?> _s, _zBar, _negSpec, _inceSpec, _lr, _clampLow, _clampHigh;
    private readonly Option<int> _negatives, _batchSize, _epochs, _warmupEpochs, _k, _dim, _seed, _threads;
    private readonly ChoiceOption<LearningRateSchedule> _schedule;
    private readonly ChoiceOption<OptimizerKind> _optimizer;
    private readonly ChoiceOption<LossAggregation> _aggregation;
    private readonly Option<double> _lrMinFactor, _warmupLr, _momentum, _weightDecay, _eps, _temperature, _baseTemperature, _initialZ;
    private readonly Option<string> _clip;
    private readonly Option<bool> _learnableTemperature, _noEarlyExaggeration, _parametric;
    private readonly ChoiceOption<KnnMethod> _knn;
    private readonly ChoiceOption<DistanceMetric> _knnMetric;
    private readonly ChoiceOption<ComputeDevice> _device;
    private readonly Option<int[]> _hidden;

    // Presets (issue 17): --preset fills every preset-dependent option the command line does not give.
    private readonly ChoiceOption<CnePreset> _preset;
    private readonly Option<int> _knnPca;

    /// <summary>
    /// Creates the options; <paramref name="withParametric"/> adds --parametric and --hidden;
    /// <paramref name="withLossAndS"/> false leaves --loss and --s to the command (spectrum takes a list of s).
    /// </summary>
    /// <param name="withParametric">Whether --parametric and --hidden are offered.</param>
    /// <param name="withLossAndS">Whether --loss and --s are offered.</param>
    /// <param name="withPreset">Whether --preset is offered (spectrum offers its own list of presets).</param>
    public EmbedOptions(bool withParametric = true, bool withLossAndS = true, bool withPreset = true)
    {
        WithPreset = withPreset;
        WithLossAndS = withLossAndS;
        _loss = new ChoiceOption<LossMode>("--loss", Choices.Word(Choices.Losses, Defaults.Loss),
            "Loss: infonce (InfoNC-t-SNE, t-SNE-like), infonce-alt or infonce_alt (SimCLR form), neg (negative sampling, the spectrum), nce (NCVis), umap.", Choices.Losses);
        _metric = new ChoiceOption<SimilarityMetric>("--metric", Choices.Word(Choices.Similarities, Defaults.Metric),
            "Similarity in the embedding: euclidean (Cauchy kernel) or cosine (exp(cos/τ)).", Choices.Similarities);
        _s = CliOptions.OptionalDouble("--s", "Spectrum position: 0 t-SNE-like, 1 UMAP-like; outside [0, 1] extrapolates. [default: none — neg uses neg_spec 1, infonce s 0]");
        _zBar = CliOptions.OptionalDouble("--z-bar", "Expert (neg): fixed normaliser Z̄ > 0; --s takes precedence.", 0, minExclusive: true);
        _negSpec = CliOptions.OptionalDouble("--neg-spec", "Expert (neg): noise constant c > 0; --s and --z-bar take precedence.", 0, minExclusive: true);
        _inceSpec = CliOptions.OptionalDouble("--ince-spec", "Expert (infonce): ρ > 0; --s takes precedence.", 0, minExclusive: true);
        _negatives = new Option<int>("--negatives")
        {
            Description = "Negative samples per positive pair (≥ 0; 0 = attraction only, for umap, infonce and neg), or full-batch (every other row of the batch).",
            DefaultValueFactory = _ => Defaults.NegativeSamples,
            HelpName = "N|full-batch",
            CustomParser = result =>
            {
                string text = result.Tokens[^1].Value;
                if (text is "full-batch" or "-1") return -1;
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0) return v;
                result.AddError($"--negatives: expected an integer ≥ 0 or full-batch, got '{text}'.");
                return Defaults.NegativeSamples;
            },
        };
        _batchSize = CliOptions.Int("--batch-size", Defaults.BatchSize, "Edges per batch.", min: 1);
        _epochs = CliOptions.Int("--epochs", Defaults.Epochs, "Training epochs.", min: 0);
        _lr = CliOptions.OptionalDouble("--lr", "Learning rate > 0. [default: 1 non-parametric, 0.001 parametric]", 0, minExclusive: true);
        _schedule = new ChoiceOption<LearningRateSchedule>("--schedule", Choices.Word(Choices.Schedules, Defaults.Schedule),
            "Learning-rate schedule: linear (anneal to --lr-min-factor), cosine, none.", Choices.Schedules);
        _lrMinFactor = CliOptions.Double("--lr-min-factor", Defaults.LrMinFactor, "Floor of the linear schedule as a fraction of --lr, in [0, 1].", 0);
        _warmupEpochs = CliOptions.Int("--warmup-epochs", Defaults.WarmupEpochs, "Epochs of linear learning-rate warm-up (below --epochs).", min: 0);
        _warmupLr = CliOptions.Double("--warmup-lr", Defaults.WarmupLearningRate, "Learning rate the warm-up starts from.", 0);
        _optimizer = new ChoiceOption<OptimizerKind>("--optimizer", Choices.Word(Choices.Optimizers, Defaults.Optimizer),
            "Optimiser: sgd or adam (β = 0.9, 0.999; ε = 1e-8).", Choices.Optimizers);
        _momentum = CliOptions.Double("--momentum", Defaults.Momentum, "SGD momentum in [0, 1).", 0);
        _weightDecay = CliOptions.Double("--weight-decay", Defaults.WeightDecay, "Weight decay ≥ 0.", 0);
        _clip = new Option<string>("--clip")
        {
            Description = "Clip every gradient entry to [−v, v]; none switches clipping off.",
            DefaultValueFactory = _ => Defaults.ClipValue?.ToString(CultureInfo.InvariantCulture) ?? "none",
            HelpName = "V|none",
        };
        _clip.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            string text = result.Tokens[^1].Value;
            if (text != "none" && !(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)))
                result.AddError($"--clip: expected a number > 0 or none, got '{text}'.");
        });
        _aggregation = new ChoiceOption<LossAggregation>("--aggregation", Choices.Word(Choices.Aggregations, Defaults.Aggregation),
            "How batch loss terms combine: sum or mean.", Choices.Aggregations);
        _eps = CliOptions.Double("--eps", Defaults.Eps, "eps ≥ 0 of the Cauchy kernel 1/(eps + d²); 0 is UMAP's implicit similarity 1/d².", 0);
        _temperature = CliOptions.Double("--temperature", Defaults.Temperature, "Temperature τ of the cosine similarity (the initial value with --learnable-temperature); also scales InfoNCE by τ/base, always with this initial τ.", 0, minExclusive: true);
        _initialZ = CliOptions.Double("--initial-z", Defaults.InitialZ, "nce: the initial normalisation constant Z > 0 (log Z is then learned).", 0, minExclusive: true);
        _learnableTemperature = CliOptions.Flag("--learnable-temperature", "Learn τ (cosine metric only).");
        _baseTemperature = CliOptions.Double("--base-temperature", Defaults.BaseTemperature, "Base temperature of InfoNCE's factor τ/base.", 0, minExclusive: true);
        _clampLow = CliOptions.OptionalDouble("--clamp-low", "Lower clamp of logarithm arguments. [default: 1e-4 euclidean, −∞ cosine]");
        _clampHigh = CliOptions.OptionalDouble("--clamp-high", "Upper clamp of logarithm arguments. [default: 1 euclidean, +∞ cosine]");
        _noEarlyExaggeration = CliOptions.Flag("--no-early-exaggeration", "Skip the early-exaggeration phase (on by default for neg and infonce).");
        _k = CliOptions.Int("--k", Defaults.K, "Neighbours per point in the kNN graph.", min: 1);
        _knn = Choices.KnnOption();
        _knnMetric = Choices.KnnMetricOption();
        _device = new ChoiceOption<ComputeDevice>("--device", Choices.Word(Choices.Devices, Defaults.Device),
            "Where training runs: cpu, gpu (an NVIDIA GPU through ILGPU; an error without one) or auto (the GPU when present).", Choices.Devices);
        _dim = CliOptions.Int("--dim", Defaults.Dimensions, "Embedding dimension.", min: 1);
        _seed = CliOptions.Seed();
        _threads = CliOptions.Threads();
        if (withParametric)
        {
            _parametric = CliOptions.Flag("--parametric", "Train a network (data → 100 → 100 → 100 → dim) instead of free positions; it can embed new data (--save-model, cne transform).");
            _hidden = CliOptions.IntList("--hidden", [.. Defaults.HiddenLayers], "Hidden layer widths of the parametric network, comma-separated integers ≥ 1.", min: 1);
        }
        else
        {
            _parametric = CliOptions.Flag("--parametric", "");
            _hidden = CliOptions.IntList("--hidden", [], "");
        }
        WithParametric = withParametric;
        _preset = PresetOption();
        _knnPca = CliOptions.Int("--knn-pca", Defaults.KnnPcaComponents,
            "Search the kNN graph on this many principal components (0: on the data itself); much faster on wide data.", min: 0);
    }

    /// <summary>The words of --preset.</summary>
    public static readonly IReadOnlyDictionary<string, CnePreset> Presets = new Dictionary<string, CnePreset>
    {
        ["reference"] = CnePreset.Reference,
        ["umap"] = CnePreset.Umap,
        ["tsne"] = CnePreset.Tsne,
    };

    /// <summary>
    /// What each preset sets, as flags, generated from the library's one table (<see cref="CnePresets"/>), e.g.
    /// <c>umap: --loss neg --s 0.8 …</c>; shown in --help.
    /// </summary>
    public static string PresetSummary()
    {
        var lines = new List<string>();
        foreach (var (word, preset) in Presets)
        {
            var changes = CnePresets.Changes(preset);
            string flags = changes.Count == 0 ? "the reference's defaults (the default)"
                : string.Join(" ", changes.Select(c => $"{FlagOf.GetValueOrDefault(c.Key, c.Key)} {FlagValue(c.Key, c.Value)}"));
            lines.Add($"{word}: {flags}");
        }
        return string.Join("; ", lines);
    }

    private static string FlagValue(string option, string value) => option switch
    {
        nameof(CneOptions.Loss) => Choices.Word(Choices.Losses, Enum.Parse<Losses.LossMode>(value)),
        nameof(CneOptions.KnnMethod) => Choices.Word(Choices.KnnMethods, Enum.Parse<KnnMethod>(value)),
        nameof(CneOptions.EarlyExaggeration) => value == "False" ? "(off)" : "(on)",
        _ => value,
    };

    /// <summary>--preset as an option (the help lists what every preset sets).</summary>
    public static ChoiceOption<CnePreset> PresetOption() =>
        new("--preset", "reference",
            "Defaults for a kind of map; every option given explicitly still wins. " + PresetSummary() + ". Details and measurements: docs/presets.md.",
            Presets);

    /// <summary>Whether the user gave <paramref name="option"/> on the command line (not just its default).</summary>
    public static bool Given(ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };

    /// <summary>Whether --preset is offered.</summary>
    public bool WithPreset { get; }

    /// <summary>Whether --loss and --s are offered.</summary>
    public bool WithLossAndS { get; }

    /// <summary>Whether --parametric and --hidden are offered.</summary>
    public bool WithParametric { get; }

    /// <summary>The --epochs option (commands lower its default for quick runs).</summary>
    public Option<int> Epochs => _epochs;

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        if (WithPreset) command.Options.Add(_preset.Option);
        if (WithLossAndS)
        {
            command.Options.Add(_loss.Option);
            command.Options.Add(_s);
        }
        Option[] all =
        [
            _negatives, _epochs, _batchSize, _lr, _optimizer.Option, _metric.Option, _temperature, _k, _knn.Option, _knnMetric.Option, _knnPca, _device.Option,
            _dim, _seed, _threads, _schedule.Option, _lrMinFactor, _warmupEpochs, _warmupLr, _momentum, _weightDecay, _clip, _aggregation.Option,
            _eps, _initialZ, _learnableTemperature, _baseTemperature, _clampLow, _clampHigh, _noEarlyExaggeration, _zBar, _negSpec, _inceSpec,
        ];
        foreach (var option in all)
            command.Options.Add(option);
        _repulsionFlags.AddTo(command);
        if (WithParametric)
        {
            command.Options.Add(_parametric);
            command.Options.Add(_hidden);
        }
    }

    /// <summary>The library options for this command line, validated (a bad combination is a usage error naming the flag).</summary>
    /// <param name="parsed">The command line.</param>
    /// <param name="preset">The preset, when the command chooses it (spectrum's list); null reads --preset.</param>
    public CneOptions Build(ParseResult parsed, CnePreset? preset = null)
    {
        string clip = parsed.GetValue(_clip)!;
        var hidden = WithParametric ? parsed.GetValue(_hidden)! : [.. Defaults.HiddenLayers];
        // Preset-dependent options: the value given, else the preset's (so an explicit flag always wins).
        var chosen = preset ?? (WithPreset ? _preset.Get(parsed) : CnePreset.Reference);
        var fromPreset = new CneOptions { Preset = chosen };
        var options = new CneOptions
        {
            Preset = chosen,
            EarlyExaggeration = Given(parsed, _noEarlyExaggeration) ? !parsed.GetValue(_noEarlyExaggeration) : fromPreset.EarlyExaggeration,
            Eps = Given(parsed, _eps) ? parsed.GetValue(_eps) : fromPreset.Eps,
            K = Given(parsed, _k) ? parsed.GetValue(_k) : fromPreset.K,
            KnnMethod = Given(parsed, _knn.Option) ? _knn.Get(parsed) : fromPreset.KnnMethod,
            KnnPcaComponents = Given(parsed, _knnPca) ? parsed.GetValue(_knnPca) : fromPreset.KnnPcaComponents,
            // The rest have the same default under every preset.
            Metric = _metric.Get(parsed),
            ZBar = parsed.GetValue(_zBar),
            NegSpec = parsed.GetValue(_negSpec),
            InceSpec = parsed.GetValue(_inceSpec),
            Schedule = _schedule.Get(parsed),
            LrMinFactor = parsed.GetValue(_lrMinFactor),
            WarmupEpochs = parsed.GetValue(_warmupEpochs),
            WarmupLearningRate = parsed.GetValue(_warmupLr),
            Optimizer = _optimizer.Get(parsed),
            Momentum = parsed.GetValue(_momentum),
            WeightDecay = parsed.GetValue(_weightDecay),
            ClipValue = clip == "none" ? null : double.Parse(clip, CultureInfo.InvariantCulture),
            Aggregation = _aggregation.Get(parsed),
            Temperature = parsed.GetValue(_temperature),
            LearnableTemperature = parsed.GetValue(_learnableTemperature),
            BaseTemperature = parsed.GetValue(_baseTemperature),
            InitialZ = parsed.GetValue(_initialZ),
            ClampLow = parsed.GetValue(_clampLow),
            ClampHigh = parsed.GetValue(_clampHigh),
            KnnMetric = _knnMetric.Get(parsed),
            Device = _device.Get(parsed),
            Dimensions = parsed.GetValue(_dim),
            Seed = parsed.GetValue(_seed),
            Threads = parsed.GetValue(_threads),
            Parametric = WithParametric && parsed.GetValue(_parametric),
            HiddenLayers = hidden,
        };
        // Loss, s, negatives, batch size, epochs and learning rate stay unset unless given, so that the library's large-data defaults
        // (CneOptions.ForRows, docs/scaling.md) can apply above 100,000 rows; unset, they are the preset's.
        if (WithLossAndS && Given(parsed, _loss.Option)) options = options with { Loss = _loss.Get(parsed) };
        if (WithLossAndS && Given(parsed, _s)) options = options with { S = parsed.GetValue(_s) };
        if (Given(parsed, _negatives)) options = options with { NegativeSamples = parsed.GetValue(_negatives) };
        if (Given(parsed, _batchSize)) options = options with { BatchSize = parsed.GetValue(_batchSize) };
        if (Given(parsed, _epochs)) options = options with { Epochs = parsed.GetValue(_epochs) };
        if (Given(parsed, _lr)) options = options with { LearningRate = parsed.GetValue(_lr) };
        options = _repulsionFlags.Apply(options, parsed);
        Validate(options);
        return options;
    }

    /// <summary>Runs the library's validation, turning its exception into a usage error that names the flag.</summary>
    public static void Validate(CneOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            string flag = e.ParamName is { } name && FlagOf.TryGetValue(name, out var f) ? f : "options";
            throw new CliUsageException($"{flag}: {CneApp.CleanMessage(e)}");
        }
    }
}
