using ContrastiveNE.Losses;
using ContrastiveNE.Training;

namespace ContrastiveNE.Embedding;

/// <summary>
/// The spectrum values a run uses (docs/method.md §3): the final value (neg_spec c for neg, ρ for InfoNCE, NaN otherwise) and,
/// with early exaggeration, the value of the first <see cref="EarlyEpochs"/> epochs.
/// </summary>
/// <param name="Value">The value after the early phase.</param>
/// <param name="EarlyValue">The value of the early phase, or null when there is none.</param>
/// <param name="EarlyEpochs">Length of the early phase (0 when there is none).</param>
/// <param name="S">The s in force, or null when an expert override decided.</param>
public sealed record ResolvedSpectrum(double Value, double? EarlyValue, int EarlyEpochs, double? S)
{
    /// <summary>The value of every epoch of the fit: the early value for the first <see cref="EarlyEpochs"/>, then <see cref="Value"/>.</summary>
    public SpectrumSchedule Schedule => new(Value, EarlyValue, EarlyValue is null ? 0 : EarlyEpochs);

    /// <summary>
    /// The one place where s, Z̄, neg_spec and ince_spec are reconciled. Precedence for neg: s over Z̄ over neg_spec,
    /// neg_spec = 1 when none is given; for InfoNCE: s over ince_spec, s = 0 when neither is given. Early exaggeration
    /// (⌊E/3⌋ epochs at max(s, 1)) applies only when s is in force.
    /// </summary>
    /// <param name="options">The validated options.</param>
    /// <param name="n">Number of points (Z̄ is defined relative to n²).</param>
    public static ResolvedSpectrum Resolve(CneOptions options, int n)
    {
        ArgumentNullException.ThrowIfNull(options);
        int earlyEpochs = options.Epochs / 3;
        switch (options.Loss)
        {
            case LossMode.Neg:
            {
                // m of the Z̄ → neg_spec conversion; a full batch has 2·batch − 2 negatives.
                double m = options.NegativeSamples >= 0 ? options.NegativeSamples : 2.0 * options.BatchSize - 2;
                double nn = (double)n * n;
                double FromS(double s)
                {
                    // Z̄_umap = n²/5 whatever m is (the reference's constant), so at s = 1 neg_spec = m/5.
                    double zTsne = 100.0 * n, zUmap = nn / 5.0;
                    return m * (zTsne * Math.Exp(s * (Math.Log(zUmap) - Math.Log(zTsne)))) / nn;
                }
                if (options.S is { } s)
                {
                    bool early = options.EarlyExaggeration && earlyEpochs > 0;
                    return new(FromS(s), early ? FromS(Math.Max(s, 1.0)) : null, early ? earlyEpochs : 0, s);
                }
                if (options.ZBar is { } zBar) return new(m * zBar / nn, null, 0, null);
                return new(options.NegSpec ?? 1.0, null, 0, null);
            }
            case LossMode.InfoNce or LossMode.InfoNceAlt:
            {
                if (options.S is null && options.InceSpec is { } rho) return new(rho, null, 0, null);
                double s = options.S ?? 0.0;
                bool early = options.EarlyExaggeration && earlyEpochs > 0;
                return new(Math.Pow(4.0, s), early ? Math.Pow(4.0, Math.Max(s, 1.0)) : null, early ? earlyEpochs : 0, s);
            }
            default:
                return new(double.NaN, null, 0, null);
        }
    }
}
