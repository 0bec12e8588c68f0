using System.CommandLine;
using ContrastiveNE.Embedding;

namespace ContrastiveNE.Cli.Options;

/// <summary>
/// The flags of <see cref="RepulsionMode.Fft"/> (the t-SNE limit): --repulsion, --perplexity,
/// --early-exaggeration-factor, --early-exaggeration-epochs, --exaggeration. Kept apart from
/// <see cref="EmbedOptions"/>'s list so that the two grow independently; <see cref="EmbedOptions"/> adds them and
/// applies them to the options it builds.
/// </summary>
internal sealed class RepulsionFlags
{
    private static readonly CneOptions Defaults = new();

    /// <summary>The words of --repulsion.</summary>
    public static readonly IReadOnlyDictionary<string, RepulsionMode> Modes = new Dictionary<string, RepulsionMode>
    {
        ["sampled"] = RepulsionMode.Sampled,
        ["fft"] = RepulsionMode.Fft,
    };

    /// <summary>Library option names → flags, for error messages.</summary>
    public static readonly IReadOnlyDictionary<string, string> FlagOf = new Dictionary<string, string>
    {
        [nameof(CneOptions.Repulsion)] = "--repulsion", [nameof(CneOptions.Perplexity)] = "--perplexity",
        [nameof(CneOptions.EarlyExaggerationFactor)] = "--early-exaggeration-factor",
        [nameof(CneOptions.EarlyExaggerationEpochs)] = "--early-exaggeration-epochs", [nameof(CneOptions.Exaggeration)] = "--exaggeration",
    };

    private readonly ChoiceOption<RepulsionMode> _repulsion = new("--repulsion", Choices.Word(Modes, Defaults.Repulsion),
        "Repulsion: sampled (negative samples, the reference) or fft (all negatives: t-SNE on the kNN affinities, FFT-accelerated; 2-D, euclidean).", Modes);
    private readonly Option<double?> _perplexity = CliOptions.OptionalDouble("--perplexity",
        "With --repulsion fft: perplexity of Gaussian affinities over the k neighbours (≤ --k; t-SNE pairs k = 3 × perplexity). [default: none — uniform weights]", 0, minExclusive: true);
    private readonly Option<double> _earlyFactor = CliOptions.Double("--early-exaggeration-factor", Defaults.EarlyExaggerationFactor,
        "With --repulsion fft: attraction factor of the early epochs.", 1);
    private readonly Option<int> _earlyEpochs = CliOptions.Int("--early-exaggeration-epochs", Defaults.EarlyExaggerationEpochs,
        "With --repulsion fft: epochs of early exaggeration (capped at --epochs).", min: 0);
    private readonly Option<double> _exaggeration = CliOptions.Double("--exaggeration", Defaults.Exaggeration,
        "With --repulsion fft: attraction factor after the early phase (1 = t-SNE; > 1 tighter, more UMAP-like clusters).", 0, minExclusive: true);

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_repulsion.Option);
        command.Options.Add(_perplexity);
        command.Options.Add(_earlyFactor);
        command.Options.Add(_earlyEpochs);
        command.Options.Add(_exaggeration);
    }

    /// <summary>
    /// The options with the flags given on the command line applied; flags not given leave the options' values
    /// (a preset's defaults among them) alone.
    /// </summary>
    public CneOptions Apply(CneOptions options, ParseResult parsed)
    {
        if (Given(parsed, _repulsion.Option)) options = options with { Repulsion = _repulsion.Get(parsed) };
        if (Given(parsed, _perplexity)) options = options with { Perplexity = parsed.GetValue(_perplexity) };
        if (Given(parsed, _earlyFactor)) options = options with { EarlyExaggerationFactor = parsed.GetValue(_earlyFactor) };
        if (Given(parsed, _earlyEpochs)) options = options with { EarlyExaggerationEpochs = parsed.GetValue(_earlyEpochs) };
        if (Given(parsed, _exaggeration)) options = options with { Exaggeration = parsed.GetValue(_exaggeration) };
        return options;
    }

    private static bool Given(ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };
}
