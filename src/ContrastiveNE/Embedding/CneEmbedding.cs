using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Training;

namespace ContrastiveNE.Embedding;

/// <summary>
/// The state of a fitted non-parametric embedding (openTSNE's TSNEEmbedding): the positions, the batch losses of every
/// epoch, the resolved spectrum values, and the trainer, so that <see cref="Optimize"/> can continue.
/// </summary>
public sealed class CneEmbedding
{
    private readonly EmbeddingTable _table;
    private readonly IPhaseTrainer _trainer;

    internal CneEmbedding(EmbeddingTable table, IPhaseTrainer trainer, NeighborGraphInfo graph, ResolvedSpectrum spectrum, CneOptions options)
    {
        _table = table;
        _trainer = trainer;
        Graph = graph;
        Spectrum = spectrum;
        Options = options;
    }

    /// <summary>The n × d positions (live: <see cref="Optimize"/> updates them in place).</summary>
    public Matrix Embedding => _table.Positions;

    /// <summary>The options of the fit.</summary>
    public CneOptions Options { get; }

    /// <summary>The spectrum values used (final and early phase).</summary>
    public ResolvedSpectrum Spectrum { get; }

    /// <summary>Size of the neighbour graph trained on.</summary>
    public NeighborGraphInfo Graph { get; }

    /// <summary>The loss of every batch, one array per epoch run (a cancelled epoch holds its finished batches).</summary>
    public IReadOnlyList<float[]> BatchLosses => _trainer.BatchLosses;

    /// <summary>Epochs run so far, over all phases.</summary>
    public int EpochsCompleted => _trainer.EpochsCompleted;

    /// <summary>The learned NCE normalisation constant Z (1 for other losses).</summary>
    public double Z => _trainer.Z;

    /// <summary>The temperature τ (learned when <see cref="CneOptions.LearnableTemperature"/>).</summary>
    public double Temperature => _trainer.Temperature;

    /// <summary>True when the last fit or optimise call was cancelled before finishing.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>
    /// Continues training for <paramref name="epochs"/> more epochs as a new phase (fresh optimiser state, the
    /// learning-rate schedule over these epochs) at <paramref name="spectrum"/> (default: the run's final value).
    /// </summary>
    /// <param name="epochs">Epochs to add, ≥ 0.</param>
    /// <param name="spectrum">neg_spec c or ρ for this phase; null keeps <see cref="ResolvedSpectrum.Value"/>.</param>
    /// <param name="progress">Receives one report per epoch.</param>
    /// <param name="snapshots">Called every <see cref="CneOptions.SaveFrequency"/> epochs with (epoch, copy of the positions).</param>
    /// <param name="cancellationToken">Stops within one batch; the positions stay usable and <see cref="Cancelled"/> is set.</param>
    /// <returns>This object.</returns>
    public CneEmbedding Optimize(int epochs, double? spectrum = null, IProgress<EpochReport>? progress = null,
        Action<int, Matrix>? snapshots = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        if (spectrum is { } s && double.IsNaN(s) == false && !(s > 0 && double.IsFinite(s)) && !double.IsNaN(Spectrum.Value))
            throw new ArgumentOutOfRangeException(nameof(spectrum), s, "The spectrum value must be finite and > 0.");
        RunPhase(epochs, spectrum ?? Spectrum.Value, progress, snapshots, cancellationToken);
        return this;
    }

    internal void RunPhase(int epochs, double spectrum, IProgress<EpochReport>? progress, Action<int, Matrix>? snapshots, CancellationToken token)
    {
        int frequency = Options.SaveFrequency;
        Action<int>? after = snapshots == null ? null : epoch =>
        {
            if (epoch % frequency == 0) snapshots(epoch, _table.Positions.Clone());
        };
        Cancelled = !_trainer.Optimize(epochs, spectrum, progress, after, token);
    }
}

/// <summary>The size of the graph an embedding was trained on.</summary>
/// <param name="Nodes">Number of points n.</param>
/// <param name="DirectedEdges">Number of directed edges (pairs per epoch).</param>
public readonly record struct NeighborGraphInfo(int Nodes, int DirectedEdges);
