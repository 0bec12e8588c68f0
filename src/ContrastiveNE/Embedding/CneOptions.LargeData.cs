using System.Globalization;
using ContrastiveNE.Losses;

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
    /// Epochs of a large fit that switches to the FFT engine: 300 (at 10⁶ rows recall@15 0.626 after 200, 0.696 after
    /// 300, 0.721 after 400; 300 keeps the whole run near a minute on two cores: docs/scaling.md).
    /// </summary>
    internal const int LargeDataFftEpochs = 300;

    /// <summary>Early-exaggeration epochs of that fit: the first third, as the reference's early phase (measured: docs/scaling.md).</summary>
    internal const int LargeDataFftEarlyEpochs = 100;

    /// <summary>
    /// The options a fit of <paramref name="n"/> rows runs with. Above <see cref="LargeDataRows"/> rows, for a
    /// non-parametric fit under the reference preset (docs/scaling.md):
    /// <list type="bullet">
    /// <item>when nothing that belongs to sampled negatives was set (<see cref="Repulsion"/>, <see cref="Loss"/>,
    /// <see cref="S"/>, <see cref="NegativeSamples"/>, <see cref="BatchSize"/>, <see cref="LearningRate"/>) and the map is
    /// 2-D, Euclidean and on the CPU, the fit switches to <see cref="RepulsionMode.Fft"/>: t-SNE, the s = 0 limit the
    /// reference's InfoNCE approaches with many negatives, with all n − 1 repulsions computed instead of 5 sampled ones
    /// (with 5, the map at this size stays a filled disc); its epochs become <see cref="LargeDataFftEpochs"/> and its
    /// early exaggeration the first <see cref="LargeDataFftEarlyEpochs"/> unless set;</item>
    /// <item>otherwise, with sampled negatives, the learning rate left unset becomes 1.0 · n / 70,000 and the epochs
    /// <see cref="LargeDataEpochs"/>.</item>
    /// </list>
    /// Options set explicitly win; other presets, parametric fits and n ≤ <see cref="LargeDataRows"/> are returned
    /// unchanged (this instance), and so is a result of this method.
    /// </summary>
    /// <param name="n">Rows of the data.</param>
    public CneOptions ForRows(int n)
    {
        if (SwitchesToFft(n))
        {
            var fft = this with { Repulsion = RepulsionMode.Fft };
            if (!_epochs.IsSet) fft = fft with { Epochs = LargeDataFftEpochs };
            if (!_earlyExaggerationEpochs.IsSet) fft = fft with { EarlyExaggerationEpochs = LargeDataFftEarlyEpochs };
            return fft;
        }
        return ForRowsSampled(n);
    }

    /// <summary><see cref="ForRows"/> without the switch to the FFT engine (fits that train on a graph with sampled negatives).</summary>
    /// <param name="n">Rows of the data.</param>
    internal CneOptions ForRowsSampled(int n)
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
        if (SwitchesToFft(n))
        {
            var fft = ForRows(n);
            return string.Create(CultureInfo.InvariantCulture,
                $"large data (n = {n:N0} > {LargeDataRows:N0}): t-SNE with FFT repulsion (--repulsion fft), {fft.Epochs} epochs, early exaggeration {fft.EarlyExaggerationEpochs}, learning rate {fft.FftLearningRate(n):G4} (n / 12); set --repulsion sampled to keep sampled negatives (docs/scaling.md)");
        }
        if (!AdaptsTo(n) || (_learningRate.IsSet && _epochs.IsSet)) return null;
        var adapted = ForRowsSampled(n);
        var parts = new List<string>();
        if (!_learningRate.IsSet) parts.Add(string.Create(CultureInfo.InvariantCulture, $"learning rate {adapted.EffectiveLearningRate:G4} (1.0 · n / 70,000)"));
        if (!_epochs.IsSet) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{adapted.Epochs} epochs"));
        return string.Create(CultureInfo.InvariantCulture,
            $"large data (n = {n:N0} > {LargeDataRows:N0}): {string.Join(", ", parts)}; set --lr / --epochs to override (docs/scaling.md)");
    }

    private bool AdaptsTo(int n) => n > LargeDataRows && !Parametric && Repulsion == RepulsionMode.Sampled && Preset == CnePreset.Reference;

    private bool SwitchesToFft(int n) => AdaptsTo(n) && !_repulsion.IsSet && !_loss.IsSet && !_s.IsSet && !_negativeSamples.IsSet
        && !_batchSize.IsSet && !_learningRate.IsSet && Dimensions == 2 && Metric == SimilarityMetric.Euclidean && Device == ComputeDevice.Cpu;
}
