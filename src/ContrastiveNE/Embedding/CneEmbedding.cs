using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Training;

namespace ContrastiveNE.Embedding;

/// <summary>
/// The state of a fitted embedding (openTSNE's TSNEEmbedding): the positions, the batch losses of every
/// epoch, the resolved spectrum values, and the trainer, so that <see cref="Optimize"/> can continue. A parametric
/// embedding also holds its network (<see cref="Model"/>), which embeds new rows and can be saved.
/// </summary>
/// <remarks>
/// A fit on the GPU (<see cref="CneOptions.Device"/>) keeps its trainer's device buffers (positions or network,
/// optimiser state, edge list) so that <see cref="Optimize"/> can continue on the device: dispose the embedding
/// (<c>using var fit = cne.Fit(data);</c>) to free them as soon as no more epochs are needed. Disposing a CPU
/// embedding is harmless. After <see cref="Dispose"/> the results stay readable (<see cref="Embedding"/>,
/// <see cref="Model"/>, <see cref="Transform(Matrix)"/>, <see cref="Save"/>, <see cref="BatchLosses"/>, <see cref="Z"/>,
/// <see cref="Temperature"/>); only <see cref="Optimize"/> throws <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed class CneEmbedding : IDisposable
{
    private readonly EmbeddingTable? _table;
    private readonly CneModel? _model;
    private readonly Matrix? _data;
    private readonly IPhaseTrainer _trainer;
    private Matrix? _mapped;
    private (double Z, double Temperature)? _final;

    internal CneEmbedding(EmbeddingTable table, IPhaseTrainer trainer, NeighborGraphInfo graph, ResolvedSpectrum spectrum, CneOptions options,
        Matrix? data = null)
    {
        _table = table;
        _data = data;
        _trainer = trainer;
        Graph = graph;
        Spectrum = spectrum;
        Options = options;
    }

    internal CneEmbedding(CneModel model, Matrix data, IPhaseTrainer trainer, NeighborGraphInfo graph, ResolvedSpectrum spectrum, CneOptions options)
    {
        _model = model;
        _data = data;
        _trainer = trainer;
        Graph = graph;
        Spectrum = spectrum;
        Options = options;
    }

    /// <summary>
    /// The n × d positions. Non-parametric: live (<see cref="Optimize"/> updates them in place). Parametric: the network's
    /// map of the training data, recomputed after every fit or optimise call.
    /// </summary>
    public Matrix Embedding => _table?.Positions ?? (_mapped ??= _model!.Transform(_data!));

    /// <summary>The trained network of a parametric embedding (<see cref="CneOptions.Parametric"/>); null otherwise.</summary>
    public CneModel? Model => _model;

    /// <summary>
    /// Embeds new rows: a parametric embedding runs its network (<see cref="CneModel.Transform"/>); a non-parametric
    /// one places them into the fixed map with default <see cref="CneTransformOptions"/> (<see cref="CneMap.Transform"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A non-parametric embedding that cannot place new points (see <see cref="ToMap"/>).</exception>
    /// <exception cref="ArgumentException">The column count differs from the training data's.</exception>
    public Matrix Transform(Matrix newData) => Transform(newData, null);

    /// <summary>
    /// Embeds new rows as <see cref="Transform(Matrix)"/>; <paramref name="options"/> and <paramref name="cancellationToken"/>
    /// apply to the placement into a non-parametric map (a network's transform has no settings and is not interrupted).
    /// The positions of this embedding never change: the map is copied (<see cref="ToMap"/>) and the new points are
    /// optimised against the copy.
    /// </summary>
    /// <param name="newData">m × D rows with the training data's columns, finite.</param>
    /// <param name="options">Placement settings (null: defaults); ignored by a parametric embedding.</param>
    /// <param name="cancellationToken">Observed by the placement's search and optimisation.</param>
    /// <exception cref="InvalidOperationException">A non-parametric embedding that cannot place new points (see <see cref="ToMap"/>).</exception>
    /// <exception cref="ArgumentException">The column count differs from the training data's.</exception>
    public Matrix Transform(Matrix newData, CneTransformOptions? options, CancellationToken cancellationToken = default) =>
        _model is not null ? _model.Transform(newData) : ToMap().Transform(newData, options, cancellationToken);

    /// <summary>
    /// The current state of a non-parametric embedding as a <see cref="CneMap"/> that places new points and saves to a
    /// map file: a copy of the positions, the training data (not copied), the options, Z and τ.
    /// </summary>
    /// <param name="trainingData">
    /// The n training rows, in the order of the positions: needed (and only allowed) when the fit had no data, as
    /// <c>Fit(graph)</c>; null takes the data the fit was given.
    /// </param>
    /// <exception cref="InvalidOperationException">The embedding is parametric (it has its network instead), was fitted with
    /// <see cref="RepulsionMode.Fft"/>, or was fitted on a graph alone and no <paramref name="trainingData"/> is given.</exception>
    /// <exception cref="ArgumentException"><paramref name="trainingData"/> does not have one row per point.</exception>
    public CneMap ToMap(Matrix? trainingData = null)
    {
        if (_model is not null)
            throw new InvalidOperationException("A parametric embedding transforms new rows with its network (Model); it has no map to save.");
        if (Options.Repulsion == RepulsionMode.Fft)
            throw new InvalidOperationException("A map fitted with Repulsion = Fft (the t-SNE engine) cannot place new points: the placement optimises the sampled-negative loss of a Repulsion = Sampled fit. Above 100,000 rows the default options switch to it (docs/scaling.md); set Repulsion = RepulsionMode.Sampled before fitting to get a map that can.");
        var data = trainingData ?? _data
            ?? throw new InvalidOperationException("This embedding was fitted on a graph without data, so new points have nothing to be compared with; pass the training rows to ToMap(trainingData).");
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rows != _table!.Positions.Rows)
            throw new ArgumentException($"The training data has {data.Rows} rows but the embedding {_table.Positions.Rows} points; give one row per point.", nameof(trainingData));
        return new CneMap(data, _table.Positions.Clone(), Options, Z, Temperature);
    }

    /// <summary>Saves a non-parametric embedding as a map file (<see cref="ToMap"/>, then <see cref="CneMap.Save"/>; docs/map-format.md).</summary>
    /// <param name="path">The file to write (atomically).</param>
    /// <param name="trainingData">As for <see cref="ToMap"/>.</param>
    public void SaveMap(string path, Matrix? trainingData = null) => ToMap(trainingData).Save(path);

    /// <summary>Saves the trained network and options (parametric embeddings only); load with <see cref="CneModel.Load"/>.</summary>
    /// <exception cref="InvalidOperationException">The embedding is not parametric.</exception>
    public void Save(string path) => ParametricModel().Save(path);

    private CneModel ParametricModel() =>
        _model ?? throw new InvalidOperationException("Only a parametric embedding (CneOptions.Parametric) can be saved as a model; save a non-parametric embedding with SaveMap.");

    /// <summary>The options of the fit.</summary>
    public CneOptions Options { get; }

    /// <summary>The spectrum values used (final and early phase).</summary>
    public ResolvedSpectrum Spectrum { get; }

    /// <summary>Size of the neighbour graph trained on.</summary>
    public NeighborGraphInfo Graph { get; }

    /// <summary>The loss of every batch, one array per epoch run (a cancelled epoch holds its finished batches).</summary>
    public IReadOnlyList<float[]> BatchLosses => _trainer.BatchLosses;

    /// <summary>Epochs run so far, over the fit and every <see cref="Optimize"/> call.</summary>
    public int EpochsCompleted => _trainer.EpochsCompleted;

    /// <summary>The learned NCE normalisation constant Z (1 for other losses).</summary>
    public double Z => _final?.Z ?? _trainer.Z;

    /// <summary>The temperature τ (learned when <see cref="CneOptions.LearnableTemperature"/>).</summary>
    public double Temperature => _final?.Temperature ?? _trainer.Temperature;

    /// <summary>The trainer (internal: benchmarks read its counters).</summary>
    internal IPhaseTrainer Trainer => _trainer;

    /// <summary>
    /// Continues training for <paramref name="epochs"/> more epochs as a new fit in the reference's terms (fresh
    /// optimiser state, the learning-rate schedule and warm-up over these epochs, no early exaggeration) at
    /// <paramref name="spectrum"/> (default: the run's final value).
    /// </summary>
    /// <param name="epochs">Epochs to add, ≥ 0.</param>
    /// <param name="spectrum">neg_spec c or ρ for these epochs; null keeps <see cref="ResolvedSpectrum.Value"/>.</param>
    /// <param name="progress">Receives the start of the epochs (naming the device) and one <see cref="FitReport"/> per epoch.</param>
    /// <param name="snapshots">Called every <see cref="CneOptions.SaveFrequency"/> epochs with (epoch, copy of the positions).</param>
    /// <param name="cancellationToken">Checked before every batch: when cancelled, <see cref="OperationCanceledException"/>
    /// is thrown within one batch and this object stays usable, holding the state after the last finished batch
    /// (docs/cancellation.md).</param>
    /// <returns>This object.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the last batch.</exception>
    /// <exception cref="ObjectDisposedException">The embedding was disposed.</exception>
    public CneEmbedding Optimize(int epochs, double? spectrum = null, IProgress<FitReport>? progress = null,
        Action<int, Matrix>? snapshots = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_final is not null, this);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        if (spectrum is { } s && !(s > 0 && double.IsFinite(s)))
            throw new ArgumentOutOfRangeException(nameof(spectrum), s, "The spectrum value must be finite and > 0.");
        RunFit(epochs, SpectrumSchedule.Constant(spectrum ?? Spectrum.Value), progress, snapshots, cancellationToken);
        return this;
    }

    internal void RunFit(int epochs, SpectrumSchedule spectrum, IProgress<FitReport>? progress, Action<int, Matrix>? snapshots, CancellationToken token)
    {
        int frequency = Options.SaveFrequency;
        Action<int>? after = snapshots == null ? null : epoch =>
        {
            if (epoch % frequency == 0) { _mapped = null; snapshots(epoch, Embedding.Clone()); }
        };
        progress?.Report(new FitReport(FitPhase.Epochs, 0, Device, DeviceName, null, DeviceFallback));
        try
        {
            _trainer.Optimize(epochs, spectrum, progress is null ? null : new EpochProgress(this, progress, epochs), after, token);
        }
        finally
        {
            _mapped = null;
        }
    }

    /// <summary>The trainer's epoch reports as <see cref="FitReport"/>s, with the fraction of this run done.</summary>
    private sealed class EpochProgress(CneEmbedding owner, IProgress<FitReport> progress, int epochs) : IProgress<EpochReport>
    {
        private int _done;

        public void Report(EpochReport value)
        {
            _done++;
            progress.Report(new FitReport(FitPhase.Epochs, epochs == 0 ? 1 : Math.Min(1, (double)_done / epochs), owner.Device, owner.DeviceName, value, owner.DeviceFallback));
        }
    }

    /// <summary>Where the epochs ran: <see cref="ComputeDevice.Cpu"/> or <see cref="ComputeDevice.Gpu"/> (never Auto: see <see cref="DeviceFallback"/>).</summary>
    public ComputeDevice Device { get; internal init; } = ComputeDevice.Cpu;

    /// <summary>The name of the device the epochs ran on: "CPU", or the GPU's name as its driver reports it.</summary>
    public string DeviceName { get; internal init; } = FitReport.CpuName;

    /// <summary>Why the epochs ran on the CPU although <see cref="CneOptions.Device"/> asked for Auto or another engine (null when the requested device ran).</summary>
    public string? DeviceFallback { get; internal init; }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _final is not null;

    /// <summary>
    /// Frees what the trainer holds outside managed memory (a GPU trainer's device buffers); idempotent. The results
    /// stay readable; <see cref="Optimize"/> throws <see cref="ObjectDisposedException"/> afterwards.
    /// </summary>
    public void Dispose()
    {
        if (_final is not null) return;
        _final = (_trainer.Z, _trainer.Temperature);
        (_trainer as IDisposable)?.Dispose();
    }
}

/// <summary>The size of the graph an embedding was trained on.</summary>
/// <param name="Nodes">Number of points n.</param>
/// <param name="DirectedEdges">Number of directed edges (pairs per epoch).</param>
public readonly record struct NeighborGraphInfo(int Nodes, int DirectedEdges);
