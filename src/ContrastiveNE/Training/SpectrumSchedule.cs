namespace ContrastiveNE.Training;

/// <summary>
/// The spectrum value (neg_spec c or ρ) of every epoch of one optimisation run: <see cref="EarlyValue"/> for the
/// first <see cref="EarlyEpochs"/> epochs (early exaggeration), <see cref="Value"/> afterwards. Only this value
/// changes at the boundary: the optimiser's state and the learning-rate schedule run on over the whole run
/// (docs/method.md §3.2).
/// </summary>
/// <param name="Value">The value after the early epochs (NaN for losses without a spectrum).</param>
/// <param name="EarlyValue">The value of the early epochs, or null when there are none.</param>
/// <param name="EarlyEpochs">Number of early epochs (ignored when <paramref name="EarlyValue"/> is null).</param>
public readonly record struct SpectrumSchedule(double Value, double? EarlyValue = null, int EarlyEpochs = 0)
{
    /// <summary>A run at one value throughout.</summary>
    /// <param name="value">The spectrum value.</param>
    public static SpectrumSchedule Constant(double value) => new(value);

    /// <summary>The value of 0-based epoch <paramref name="epoch"/> of the run.</summary>
    /// <param name="epoch">Epoch within the run (not counting earlier runs).</param>
    public double At(int epoch) => EarlyValue is { } early && epoch < EarlyEpochs ? early : Value;
}
