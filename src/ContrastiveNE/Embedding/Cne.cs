using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Randomness;
using ContrastiveNE.Training;
using ContrastiveNE.Tsne;

namespace ContrastiveNE.Embedding;

/// <summary>
/// Contrastive neighbour embedding (the reference's CNE; docs/method.md §1): data → kNN graph → initialisation → epochs of
/// shuffled edge batches → embedding. The options describe what to compute; <see cref="Fit(Matrix, Matrix?, IProgress{FitReport}?, Action{int, Matrix}?, CancellationToken)"/>
/// returns a <see cref="CneEmbedding"/> that holds the run and can continue it.
/// </summary>
public sealed class Cne
{
    /// <summary>Creates the estimator; the options are validated here, before any work.</summary>
    /// <param name="options">The settings (null: all defaults).</param>
    public Cne(CneOptions? options = null)
    {
        Options = options ?? new CneOptions();
        Options.Validate();
    }

    /// <summary>The validated options.</summary>
    public CneOptions Options { get; }

    /// <summary>
    /// Embeds the rows of <paramref name="data"/>: builds the kNN graph (k = <see cref="CneOptions.K"/>), initialises
    /// (PCA unless <paramref name="initialization"/> is given) and optimises, with early exaggeration where docs/method.md §3 says.
    /// </summary>
    /// <param name="data">n × D data, finite.</param>
    /// <param name="initialization">Optional n × d starting positions (copied); not allowed with <see cref="CneOptions.Parametric"/>, where the network's initialisation decides.</param>
    /// <param name="progress">Receives every phase (see <see cref="FitReport"/>): the kNN search's fractions, the initialisation's start and end, the device that trains, one report per epoch.</param>
    /// <param name="snapshots">Called before the first epoch (epoch −1) and after every epoch e with e mod SaveFrequency = 0, with a copy of the positions.</param>
    /// <param name="cancellationToken">Observed in every phase (docs/cancellation.md): between and inside the kNN search's stages, before and after the initialisation, before every batch; a cancelled fit throws <see cref="OperationCanceledException"/> and frees what it allocated.</param>
    public CneEmbedding Fit(Matrix data, Matrix? initialization = null, IProgress<FitReport>? progress = null,
        Action<int, Matrix>? snapshots = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Options.Parametric) data.EnsureContiguous("a parametric fit (CneOptions.Parametric)", Matrix.ParametricRemedy);
        data.EnsureFinite(nameof(data));
        if (data.Rows < 2) throw new ArgumentException($"At least 2 rows are needed, got {data.Rows}.", nameof(data));
        if (Options.K >= data.Rows)
            throw new ArgumentOutOfRangeException(nameof(CneOptions.K), Options.K, $"K must be below the number of rows ({data.Rows}).");
        if (Options.Parametric && initialization != null)
            throw new ArgumentException("A parametric run starts from the network's initialisation; pass no initialisation.", nameof(initialization));
        CheckInitialization(initialization, data.Rows);
        // Above CneOptions.LargeDataRows a fit left at the reference's defaults, without a start of the caller's, runs
        // on the FFT engine (docs/scaling.md).
        var sized = initialization is null ? Options.ForRows(data.Rows) : Options;
        if (sized.Repulsion != Options.Repulsion)
            return new Cne(sized) { PhaseStarted = PhaseStarted, BatchCompleted = BatchCompleted }.Fit(data, initialization, progress, snapshots, cancellationToken);
        if (Options.Repulsion == RepulsionMode.Fft)
        {
            Enter(FitPhase.Neighbors, progress, cancellationToken);
            // One PCA serves the kNN search and the initialisation (its first two columns are PCA's initialisation).
            var projected = ProjectForSearch(data);
            cancellationToken.ThrowIfCancellationRequested();
            var tsneKnn = NearestNeighbors.Search(projected ?? data, Options.K, Options.KnnMethod, Options.KnnMetric, Options.Seed, Options.Threads,
                NeighborFractions(progress), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            // Above LargeDataRows the points are relabelled into the search's locality order (NN-descent's first
            // tree's leaf order), so that each point's neighbours sit near it in memory during training (docs/scaling.md).
            int[]? order = data.Rows > CneOptions.LargeDataRows ? tsneKnn.LocalityOrder : null;
            var affinities = AffinityMatrix.FromKnn(tsneKnn, Options.Perplexity, Options.Threads, order is null ? null : Inverse(order));
            Done(FitPhase.Neighbors, progress);
            Enter(FitPhase.Initialization, progress, cancellationToken);
            var tsneStart = initialization?.Clone()
                ?? TsneInitialization(projected is null ? DefaultInitialization(data) : LeadingColumns(projected, Options.Dimensions));
            Done(FitPhase.Initialization, progress);
            Enter(FitPhase.Epochs, progress, cancellationToken);
            return TrainTsne(affinities, tsneStart, progress, snapshots, cancellationToken, order);
        }
        Enter(FitPhase.Neighbors, progress, cancellationToken);
        var graph = CreateGraph(data, NeighborFractions(progress), cancellationToken);
        Done(FitPhase.Neighbors, progress);
        if (Options.Parametric) return TrainParametric(data, graph, progress, snapshots, cancellationToken);
        var start = Initialize(data, initialization, progress, cancellationToken);
        return Train(graph, start, progress, snapshots, cancellationToken, data);
    }

    /// <summary>The initialisation phase: a copy of the user's start, or PCA (not interruptible; the token is checked before and after).</summary>
    private Matrix Initialize(Matrix data, Matrix? initialization, IProgress<FitReport>? progress, CancellationToken token)
    {
        Enter(FitPhase.Initialization, progress, token);
        var start = initialization?.Clone() ?? DefaultInitialization(data);
        Done(FitPhase.Initialization, progress);
        Enter(FitPhase.Epochs, progress, token);
        return start;
    }

    /// <summary>Called when a phase of a fit begins, after the cancellation check (tests cancel at a known phase from here).</summary>
    internal Action<FitPhase>? PhaseStarted { get; init; }

    /// <summary>Passed to the CPU trainer's <see cref="ContrastiveTrainer.BatchCompleted"/> (tests cancel mid-epoch from here).</summary>
    internal Action<int, int>? BatchCompleted { get; init; }

    /// <summary>
    /// A phase boundary: a cancellation point, then the phase begins (reported at fraction 0 for the kNN search and the
    /// initialisation, which run on the CPU; the epochs report their start themselves, naming the device that trains).
    /// </summary>
    private void Enter(FitPhase phase, IProgress<FitReport>? progress, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        PhaseStarted?.Invoke(phase);
        if (phase != FitPhase.Epochs) progress?.Report(FitReport.OnCpu(phase, 0));
    }

    /// <summary>The end of the kNN search or the initialisation (fraction 1).</summary>
    private static void Done(FitPhase phase, IProgress<FitReport>? progress) => progress?.Report(FitReport.OnCpu(phase, 1));

    /// <summary>The kNN search's fractions as reports of the <see cref="FitPhase.Neighbors"/> phase.</summary>
    private static IProgress<double>? NeighborFractions(IProgress<FitReport>? progress) =>
        progress is null ? null : new FractionProgress(progress);

    private sealed class FractionProgress(IProgress<FitReport> progress) : IProgress<double>
    {
        public void Report(double value) => progress.Report(FitReport.OnCpu(FitPhase.Neighbors, Math.Min(value, 1)));
    }

    /// <summary>
    /// Embeds the rows of <paramref name="data"/> trained on a user's <paramref name="graph"/> over those rows instead of
    /// a kNN graph (the reference's <c>fit(X, graph=…)</c>): the graph is used as given (see <see cref="NeighborGraph"/>),
    /// the data gives the PCA initialisation or, with <see cref="CneOptions.Parametric"/>, the network's input rows.
    /// <see cref="CneOptions.K"/> is not used.
    /// </summary>
    /// <param name="data">n × D data, finite.</param>
    /// <param name="graph">The neighbour graph over the n rows; every stored entry is one positive pair.</param>
    /// <param name="initialization">Optional n × d starting positions (copied); not with <see cref="CneOptions.Parametric"/>.</param>
    /// <param name="progress">Receives every phase (see <see cref="FitReport"/>): the kNN search's fractions, the initialisation's start and end, the device that trains, one report per epoch.</param>
    /// <param name="snapshots">Called before the first epoch (epoch −1) and every SaveFrequency epochs with a copy of the positions.</param>
    /// <param name="cancellationToken">Observed in every phase (docs/cancellation.md): between and inside the kNN search's stages, before and after the initialisation, before every batch; a cancelled fit throws <see cref="OperationCanceledException"/> and frees what it allocated.</param>
    public CneEmbedding Fit(Matrix data, NeighborGraph graph, Matrix? initialization = null, IProgress<FitReport>? progress = null,
        Action<int, Matrix>? snapshots = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(graph);
        if (Options.Parametric) data.EnsureContiguous("a parametric fit (CneOptions.Parametric)", Matrix.ParametricRemedy);
        data.EnsureFinite(nameof(data));
        if (graph.NodeCount != data.Rows)
            throw new ArgumentException($"The graph has {graph.NodeCount} nodes but the data {data.Rows} rows; it must have one node per row.", nameof(graph));
        if (graph.EdgeCount == 0) throw new ArgumentException("The graph has no edges.", nameof(graph));
        if (Options.Parametric && initialization != null)
            throw new ArgumentException("A parametric run starts from the network's initialisation; pass no initialisation.", nameof(initialization));
        CheckInitialization(initialization, data.Rows);
        if (Options.Parametric) return TrainParametric(data, graph, progress, snapshots, cancellationToken);
        var start = Initialize(data, initialization, progress, cancellationToken);
        return Train(graph, start, progress, snapshots, cancellationToken, data);
    }

    /// <summary>
    /// Embeds the nodes of a user's <paramref name="graph"/> (n = its node count). Without an initialisation the
    /// positions start as seeded Gaussian noise scaled to unit standard deviation of the first column.
    /// </summary>
    /// <param name="graph">The neighbour graph, used as given; only its pattern is used.</param>
    /// <param name="initialization">Optional n × d starting positions (copied).</param>
    /// <param name="progress">Receives every phase (see <see cref="FitReport"/>): the kNN search's fractions, the initialisation's start and end, the device that trains, one report per epoch.</param>
    /// <param name="snapshots">Called before the first epoch (epoch −1) and every SaveFrequency epochs with a copy of the positions.</param>
    /// <param name="cancellationToken">Observed in every phase (docs/cancellation.md): between and inside the kNN search's stages, before and after the initialisation, before every batch; a cancelled fit throws <see cref="OperationCanceledException"/> and frees what it allocated.</param>
    public CneEmbedding Fit(NeighborGraph graph, Matrix? initialization = null, IProgress<FitReport>? progress = null,
        Action<int, Matrix>? snapshots = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.EdgeCount == 0) throw new ArgumentException("The graph has no edges.", nameof(graph));
        if (Options.Parametric)
            throw new ArgumentException("A parametric embedding maps data rows, so it needs the data: use Fit(data) or Fit(data, graph).", nameof(CneOptions.Parametric));
        CheckInitialization(initialization, graph.NodeCount);
        Enter(FitPhase.Initialization, progress, cancellationToken);
        var start = initialization?.Clone() ?? RandomInitialization(graph.NodeCount);
        Done(FitPhase.Initialization, progress);
        Enter(FitPhase.Epochs, progress, cancellationToken);
        if (Options.Repulsion == RepulsionMode.Fft)
            return TrainTsne(AffinityMatrix.Uniform(graph), initialization is null ? TsneInitialization(start) : start, progress, snapshots, cancellationToken);
        return Train(graph, start, progress, snapshots, cancellationToken);
    }

    /// <summary>
    /// The symmetric kNN graph of <paramref name="data"/> (k = <see cref="CneOptions.K"/>), the graph
    /// <see cref="Fit(Matrix, Matrix?, IProgress{FitReport}?, Action{int, Matrix}?, CancellationToken)"/> trains on:
    /// searched on the first <see cref="CneOptions.KnnPcaComponents"/> principal components when that is set and
    /// below the number of columns, on the data itself otherwise.
    /// </summary>
    /// <param name="data">n × D data, finite, with more than K rows.</param>
    /// <param name="progress">Receives the fraction of the search done.</param>
    /// <param name="cancellationToken">Checked between and inside the stages of the search; throws <see cref="OperationCanceledException"/>.</param>
    public NeighborGraph CreateGraph(Matrix data, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        cancellationToken.ThrowIfCancellationRequested();
        var input = KnnInput(data);
        cancellationToken.ThrowIfCancellationRequested();
        var graph = NearestNeighbors.Search(input, Options.K, Options.KnnMethod, Options.KnnMetric, Options.Seed, Options.Threads, progress, cancellationToken).ToGraph();
        cancellationToken.ThrowIfCancellationRequested();
        return graph;
    }

    /// <summary>What the kNN search runs on: the data, or its projection on the first KnnPcaComponents axes.</summary>
    internal Matrix KnnInput(Matrix data)
    {
        int components = Options.KnnPcaComponents;
        if (components <= 0 || components >= data.Columns) return data;
        return Initialization.Pca.FitForSearch(data, components, Options.Threads).TransformSingle(data, Options.Threads);
    }

    /// <summary>Fits and returns the embedding matrix.</summary>
    /// <inheritdoc cref="Fit(Matrix, Matrix?, IProgress{FitReport}?, Action{int, Matrix}?, CancellationToken)"/>
    public Matrix FitTransform(Matrix data, Matrix? initialization = null, IProgress<FitReport>? progress = null,
        Action<int, Matrix>? snapshots = null, CancellationToken cancellationToken = default)
        => Fit(data, initialization, progress, snapshots, cancellationToken).Embedding;

    // ---- FFT repulsion (t-SNE limit) and kNN preprocessing ----

    /// <summary>
    /// The kNN search of <see cref="Fit(Matrix, Matrix?, IProgress{FitReport}?, Action{int, Matrix}?, CancellationToken)"/>:
    /// on the data, or on its first <see cref="CneOptions.KnnPcaComponents"/> principal components.
    /// </summary>
    /// <param name="data">n × D data.</param>
    /// <param name="cancellationToken">Checked between stages of the search.</param>
    public KnnResult SearchNeighbors(Matrix data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return NearestNeighbors.Search(ProjectForSearch(data) ?? data, Options.K, Options.KnnMethod, Options.KnnMetric, Options.Seed, Options.Threads, null, cancellationToken);
    }

    /// <summary>
    /// Embeds with <see cref="RepulsionMode.Fft"/> on the given affinities (for callers that build P themselves, e.g.
    /// from a kNN search they time separately). The early phase runs <see cref="CneOptions.EarlyExaggerationEpochs"/>
    /// (capped at <see cref="CneOptions.Epochs"/>) at <see cref="CneOptions.EarlyExaggerationFactor"/>, the rest at
    /// <see cref="CneOptions.Exaggeration"/>.
    /// </summary>
    /// <param name="affinities">P over the n points.</param>
    /// <param name="initialization">n × 2 starting positions (copied).</param>
    /// <param name="progress">Receives the start of the epochs and one report per epoch (the loss is the KL divergence, evaluated every SaveFrequency epochs).</param>
    /// <param name="snapshots">Called before the first epoch (−1) and every SaveFrequency epochs with a copy of the positions.</param>
    /// <param name="cancellationToken">Checked before every epoch; a cancelled fit throws <see cref="OperationCanceledException"/>.</param>
    public CneEmbedding Fit(AffinityMatrix affinities, Matrix initialization, IProgress<FitReport>? progress = null,
        Action<int, Matrix>? snapshots = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(affinities);
        ArgumentNullException.ThrowIfNull(initialization);
        if (Options.Repulsion != RepulsionMode.Fft)
            throw new ArgumentException("Affinities are trained with Repulsion = Fft.", nameof(CneOptions.Repulsion));
        CheckInitialization(initialization, affinities.NodeCount);
        Enter(FitPhase.Epochs, progress, cancellationToken);
        return TrainTsne(affinities, initialization.Clone(), progress, snapshots, cancellationToken);
    }

    /// <summary>Lagrange nodes per box side of the FFT interpolation (internal tuning knob; default 3).</summary>
    internal int FftInterpolationPoints { get; init; } = 3;

    /// <summary>Widest interpolation box in embedding units (internal tuning knob; default 1).</summary>
    internal double FftMaxBoxWidth { get; init; } = 1.0;

    /// <summary>The data on its first <see cref="CneOptions.KnnPcaComponents"/> principal components, or null when the search uses the data itself.</summary>
    private Matrix? ProjectForSearch(Matrix data)
    {
        int components = Options.KnnPcaComponents;
        if (components <= 0 || components >= data.Columns) return null;
        return KnnInput(data); // qumap's fast projection for the search
    }

    /// <summary>The first <paramref name="count"/> columns (count ≤ columns), scaled like PCA's initialisation.</summary>
    internal static Matrix LeadingColumns(Matrix projected, int count)
    {
        var m = new Matrix(projected.Rows, count);
        for (int i = 0; i < projected.Rows; i++) projected.Row(i)[..count].CopyTo(m.Row(i));
        ScaleFirstColumnToUnitStd(m);
        return m;
    }

    /// <summary>Largest FFT side (internal tuning knob; default 512).</summary>
    internal int FftMaxGridSize { get; init; } = 512;

    /// <summary>t-SNE's starting scale: the positions scaled to standard deviation 1e-4 in the first column (Kobak &amp; Linderman 2021).</summary>
    internal static Matrix TsneInitialization(Matrix start)
    {
        ScaleFirstColumnToUnitStd(start);
        for (int i = 0; i < start.Data.Length; i++) start.Data[i] *= 1e-4f;
        return start;
    }

    private CneEmbedding TrainTsne(AffinityMatrix affinities, Matrix start, IProgress<FitReport>? progress, Action<int, Matrix>? snapshots, CancellationToken token,
        int[]? order = null)
    {
        var table = new EmbeddingTable(start, Options.Threads);
        int early = Options.EarlyExaggeration ? Math.Min(Options.EarlyExaggerationEpochs, Options.Epochs) : 0;
        var trainer = new TsneTrainer(table, affinities, Options.FftLearningRate(affinities.NodeCount), early, Options.SaveFrequency, Options.Threads,
            FftInterpolationPoints, FftMaxBoxWidth, FftMaxGridSize, order);
        var spectrum = new ResolvedSpectrum(Options.Exaggeration, early > 0 ? Options.EarlyExaggerationFactor : null, early, null);
        var result = new CneEmbedding(table, trainer, new NeighborGraphInfo(affinities.NodeCount, affinities.EntryCount), spectrum, Options)
        {
            DeviceFallback = Options.Device == ComputeDevice.Cpu ? null : $"Device = {Options.Device}: the FFT engine (Repulsion = Fft) runs on the CPU.",
        };
        return Run(result, spectrum, progress, snapshots, token);
    }

    /// <summary>The inverse permutation: element order[p] is p.</summary>
    internal static int[] Inverse(int[] order)
    {
        var position = new int[order.Length];
        for (int p = 0; p < order.Length; p++) position[order[p]] = p;
        return position;
    }

    // ---- end of the FFT repulsion block ----

    private void CheckInitialization(Matrix? initialization, int n)
    {
        if (initialization == null) return;
        if (initialization.Rows != n || initialization.Columns != Options.Dimensions)
            throw new ArgumentException($"The initialisation is {initialization.Rows} × {initialization.Columns}; {n} × {Options.Dimensions} is needed.", nameof(initialization));
        initialization.EnsureFinite(nameof(initialization));
    }

    private CneEmbedding Train(NeighborGraph graph, Matrix start, IProgress<FitReport>? progress, Action<int, Matrix>? snapshots, CancellationToken token,
        Matrix? data = null)
    {
        // Above CneOptions.LargeDataRows the defaults left unset follow n (docs/scaling.md); a fit of that size runs
        // as a Cne with those options.
        var sized = Options.ForRowsSampled(graph.NodeCount);
        if (!ReferenceEquals(sized, Options))
            return new Cne(sized) { PhaseStarted = PhaseStarted, BatchCompleted = BatchCompleted }.Train(graph, start, progress, snapshots, token);
        var table = new EmbeddingTable(start, Options.Threads);
        // The device backend (if any) takes the whole loop; the CPU trainer is the default.
        var backend = DeviceBackends.Resolve(Options.Device, out string? fallback);
        IPhaseTrainer trainer = backend?.CreateTrainer(graph, table, Options)
            ?? new ContrastiveTrainer(table, new KnnEdgeSource(graph, Options.BatchSize, Options.Seed, Options.Threads), Options, () => table.Positions.Clone())
            {
                BatchCompleted = BatchCompleted,
            };
        var spectrum = ResolvedSpectrum.Resolve(Options, graph.NodeCount);
        // The data stays with the result so that it can place new points (CneEmbedding.ToMap).
        var result = new CneEmbedding(table, trainer, new NeighborGraphInfo(graph.NodeCount, graph.EdgeCount), spectrum, Options, data)
        {
            Device = backend is null ? ComputeDevice.Cpu : ComputeDevice.Gpu, DeviceName = backend?.DeviceName ?? FitReport.CpuName, DeviceFallback = fallback,
        };
        return Run(result, spectrum, progress, snapshots, token);
    }

    /// <summary>The parametric mode (docs/method.md §1.3): the same loop, with the network over the data rows as the model.</summary>
    private CneEmbedding TrainParametric(Matrix data, NeighborGraph graph, IProgress<FitReport>? progress, Action<int, Matrix>? snapshots, CancellationToken token)
    {
        // The parametric initialisation is the network's (seeded) initial weights.
        Enter(FitPhase.Initialization, progress, token);
        var network = Mlp.Create(data.Columns, Options.HiddenLayers, Options.Dimensions, unchecked((ulong)Options.Seed), Options.Threads);
        var model = new CneModel(network, Options);
        Done(FitPhase.Initialization, progress);
        Enter(FitPhase.Epochs, progress, token);
        var trainingModel = new NetworkModel(network, data, Options.Threads);
        var backend = DeviceBackends.Resolve(Options.Device, out string? fallback);
        IPhaseTrainer trainer = backend?.CreateParametricTrainer(network, data, graph, Options, () => model.Transform(data))
            ?? new ContrastiveTrainer(trainingModel, new KnnEdgeSource(graph, Options.BatchSize, Options.Seed, Options.Threads), Options, () => model.Transform(data))
            {
                BatchCompleted = BatchCompleted,
            };
        var spectrum = ResolvedSpectrum.Resolve(Options, graph.NodeCount);
        var result = new CneEmbedding(model, data, trainer, new NeighborGraphInfo(graph.NodeCount, graph.EdgeCount), spectrum, Options)
        {
            Device = backend is null ? ComputeDevice.Cpu : ComputeDevice.Gpu, DeviceName = backend?.DeviceName ?? FitReport.CpuName, DeviceFallback = fallback,
        };
        return Run(result, spectrum, progress, snapshots, token);
    }

    private CneEmbedding Run(CneEmbedding result, ResolvedSpectrum spectrum, IProgress<FitReport>? progress, Action<int, Matrix>? snapshots, CancellationToken token)
    {
        try
        {
            snapshots?.Invoke(-1, result.Embedding.Clone());
            // One run over all epochs: early exaggeration changes only the spectrum value at ⌊E/3⌋ (docs/method.md).
            result.RunFit(Options.Epochs, spectrum.Schedule, progress, snapshots, token);
            return result;
        }
        catch
        {
            // The caller never sees this result, so a GPU trainer's device buffers are freed here.
            result.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The default initialisation of <paramref name="data"/>'s n points (docs/method.md §1.3): PCA onto the first d components,
    /// scaled so that the first column has unit population standard deviation.
    /// </summary>
    /// <param name="data">n × D data.</param>
    public Matrix CreateInitialization(Matrix data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Options.Dimensions > data.Columns)
            throw new ArgumentOutOfRangeException(nameof(CneOptions.Dimensions), Options.Dimensions,
                $"PCA initialisation needs Dimensions ≤ the {data.Columns} data columns; pass an initialisation instead.");
        return Initialization.PcaInitializer.Initialize(data, Options.Dimensions, Options.Threads);
    }

    private Matrix DefaultInitialization(Matrix data) => CreateInitialization(data);

    private Matrix RandomInitialization(int n)
    {
        var m = new Matrix(n, Options.Dimensions);
        var random = Xoshiro256.Create(unchecked((ulong)Options.Seed), 0x1A17UL);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)random.NextGaussian();
        ScaleFirstColumnToUnitStd(m);
        return m;
    }

    /// <summary>Divides every value by the population standard deviation of the first column (docs/method.md §1.3).</summary>
    internal static void ScaleFirstColumnToUnitStd(Matrix m)
    {
        double mean = 0, sq = 0;
        for (int i = 0; i < m.Rows; i++) mean += m[i, 0];
        mean /= m.Rows;
        for (int i = 0; i < m.Rows; i++) { double t = m[i, 0] - mean; sq += t * t; }
        double std = Math.Sqrt(sq / m.Rows);
        if (std > 0) for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(m.Data[i] / std);
    }
}
