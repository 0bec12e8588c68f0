using System.Globalization;

namespace ContrastiveNE.Embedding;

// Defaults that follow the number of rows above LargeDataRows (issue #18, docs/scaling.md).
public sealed partial record CneOptions
{
    /// <summary>
    /// Rows above which a non-parametric fit with sampled negatives adapts the defaults the caller left unset to the
    /// data size (<see cref="ForRows"/>); at or below it every default is the reference's.
    /// </summary>
    public const int LargeDataRows = 100_000;

    /// <summary>The size the reference's defaults were tuned at (Fashion-MNIST, 70,000 rows).</summary>
    private const double ReferenceRows = 70_000;

    /// <summary>Epochs of a large fit when <see cref="Epochs"/> is left unset (measured at 10⁶ rows: docs/scaling.md).</summary>
    internal const int LargeDataEpochs = 60;

    /// <summary>
    /// The options a fit of <paramref name="n"/> rows runs with. For a non-parametric fit with sampled negatives of more
    /// than <see cref="LargeDataRows"/> rows under the reference preset, the options left unset change (docs/scaling.md):
    /// the learning rate becomes 1.0 · n / 70,000 (a map of n points must spread over an area that grows with n, and
    /// with a fixed step each epoch moves a point as far at 10⁶ rows as at 70,000), and the epochs become
    /// <see cref="LargeDataEpochs"/> (the larger steps converge in fewer epochs, each of which costs n / 70,000 times
    /// as much). Options set explicitly, other presets, parametric and FFT fits, and n ≤ <see cref="LargeDataRows"/>
    /// are returned unchanged (this instance).
    /// </summary>
    /// <param name="n">Rows of the data.</param>
    public CneOptions ForRows(int n)
    {
        if (!AdaptsTo(n)) return this;
        var adapted = this;
        if (!_learningRate.IsSet) adapted = adapted with { LearningRate = 1.0 * n / ReferenceRows };
        if (!_epochs.IsSet) adapted = adapted with { Epochs = LargeDataEpochs };
        return adapted;
    }

    /// <summary>
    /// One line naming what <see cref="ForRows"/> changes for <paramref name="n"/> rows (for progress output), or null
    /// when it changes nothing.
    /// </summary>
    /// <param name="n">Rows of the data.</param>
    public string? LargeDataNote(int n)
    {
        if (!AdaptsTo(n) || (_learningRate.IsSet && _epochs.IsSet)) return null;
        var adapted = ForRows(n);
        var parts = new List<string>();
        if (!_learningRate.IsSet) parts.Add(string.Create(CultureInfo.InvariantCulture, $"learning rate {adapted.EffectiveLearningRate:G4} (1.0 · n / 70,000)"));
        if (!_epochs.IsSet) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{adapted.Epochs} epochs"));
        return string.Create(CultureInfo.InvariantCulture,
            $"large data (n = {n:N0} > {LargeDataRows:N0}): {string.Join(", ", parts)}; set --lr / --epochs to override (docs/scaling.md)");
    }

    private bool AdaptsTo(int n) => n > LargeDataRows && !Parametric && Repulsion == RepulsionMode.Sampled && Preset == CnePreset.Reference;
}
