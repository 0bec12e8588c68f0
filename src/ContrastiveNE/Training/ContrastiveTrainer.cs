using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Models;
using ContrastiveNE.Optimization;

namespace ContrastiveNE.Training;

/// <summary>
/// The one training loop (docs/method.md §1.4–1.5, §2, §4) over any model and any pair source. Per batch: the source fills the
/// pairs, the model computes the 2b feature rows, the batch loss draws negatives and returns dℓ/dF, the model
/// back-propagates it into its parameters, every gradient is clipped and the optimiser steps. For an
/// <see cref="EmbeddingTable"/> the loss adds dℓ/dF straight into the table's gradient by item (the table's backward
/// pass), so that scatter runs in the loss's parallel units.
/// </summary>
/// <remarks>
/// Each <see cref="Optimize(int, SpectrumSchedule, IProgress{EpochReport}?, Action{int}?, CancellationToken)"/> call is
/// one run, as the reference's fit is: one optimiser state (momentum, Adam's moments and step count) and one
/// learning-rate schedule with warm-up once over all its epochs; early exaggeration changes only the spectrum value at
/// its boundary (docs/method.md §3.2). A later call starts a fresh optimiser and schedule. Epoch
/// numbers (and hence random streams) continue across calls. The learnable log Z (nce) and log τ (learnable cosine
/// temperature) use a constant learning rate of 0.001, are clipped like every parameter, and persist across calls.
/// </remarks>
public sealed class ContrastiveTrainer : IPhaseTrainer
{
    private const float ScalarLearningRate = 0.001f;

    private readonly IEmbeddingModel _model;
    private readonly IPairSource _source;
    private readonly CneOptions _options;
    private readonly BatchLoss _loss;
    private readonly Parameter _logZ;
    private readonly Parameter _logTemperature;
    private readonly List<float[]> _batchLosses = [];
    private readonly PairBatch _batch = new();
    private readonly float[] _features, _featureGradient;
    private readonly Func<Matrix?>? _embedding;

    /// <summary>Creates a trainer; <paramref name="options"/> is validated here.</summary>
    /// <param name="model">What is trained.</param>
    /// <param name="source">Where positive pairs come from.</param>
    /// <param name="options">Loss, optimiser and schedule settings (kNN and initialisation settings are not used here).</param>
    /// <param name="embedding">
    /// Optional: returns a copy of the current embedding, carried by <see cref="NonFiniteTrainingException"/>.
    /// </param>
    public ContrastiveTrainer(IEmbeddingModel model, IPairSource source, CneOptions options, Func<Matrix?>? embedding = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _source = source;
        _options = options;
        _embedding = embedding;
        _loss = new BatchLoss(options.Loss, options.Metric, options.NegativeSamples, (float)options.Eps, (float)options.BaseTemperature,
            (float)options.EffectiveClampLow, (float)options.EffectiveClampHigh, options.Aggregation, kappaTemperature: (float)options.Temperature);
        _logZ = new Parameter("log_z", [MathF.Log((float)options.InitialZ)]);
        _logTemperature = new Parameter("log_temperature", [MathF.Log((float)options.Temperature)]);
        int rows = 2 * source.MaxBatchSize * model.OutputDimension;
        _features = new float[rows];
        _featureGradient = new float[rows];
    }

    /// <summary>The loss of every batch of every completed (or cancelled) epoch, in order.</summary>
    public IReadOnlyList<float[]> BatchLosses => _batchLosses;

    /// <summary>Epochs run so far, over all runs (a cancelled epoch counts).</summary>
    public int EpochsCompleted { get; private set; }

    /// <summary>The current NCE normalisation constant Z (<see cref="CneOptions.InitialZ"/> until trained).</summary>
    public double Z => Math.Exp(_logZ.Value[0]);

    /// <summary>The current temperature τ.</summary>
    public double Temperature => Math.Exp(_logTemperature.Value[0]);

    /// <summary>
    /// A table at least this many times the batch's 2b rows takes the sparse path (when the optimiser allows it): the
    /// gradient stays in batch space and only the rows a batch touched are stepped, so an epoch costs time in proportion
    /// to its edges. Smaller tables keep the dense path, whose table-sized passes are cheap there and stream well.
    /// </summary>
    internal const int SparseTableRatio = 4;

    /// <summary>
    /// Test hook: true forces the sparse table path (where the optimiser allows it), false the dense one; null (the
    /// default) chooses by size (<see cref="SparseTableRatio"/>).
    /// </summary>
    internal bool? SparseTable { get; set; }

    /// <summary>Whether the last <see cref="Optimize(int, SpectrumSchedule, IProgress{EpochReport}?, Action{int}?, CancellationToken)"/> ran the sparse table path.</summary>
    internal bool RanSparse { get; private set; }

    /// <summary>Called with (epoch, batch) after every finished batch (tests cancel mid-epoch from here).</summary>
    internal Action<int, int>? BatchCompleted { get; set; }

    /// <summary>
    /// Runs <paramref name="epochs"/> epochs at the constant spectrum value <paramref name="spectrum"/> (neg_spec c or
    /// ρ; ignored by other losses); see <see cref="Optimize(int, SpectrumSchedule, IProgress{EpochReport}?, Action{int}?, CancellationToken)"/>.
    /// </summary>
    /// <param name="epochs">Epochs of this run (the learning-rate schedule spans them).</param>
    /// <param name="spectrum">The spectrum value.</param>
    /// <param name="progress">Receives one report per epoch.</param>
    /// <param name="epochCompleted">Called with the global 0-based epoch number after each epoch.</param>
    /// <param name="cancellationToken">Checked before every batch; throws <see cref="OperationCanceledException"/> when cancelled.</param>
    public void Optimize(int epochs, double spectrum, IProgress<EpochReport>? progress = null, Action<int>? epochCompleted = null,
        CancellationToken cancellationToken = default)
        => Optimize(epochs, SpectrumSchedule.Constant(spectrum), progress, epochCompleted, cancellationToken);

    /// <summary>
    /// Runs <paramref name="epochs"/> epochs with one fresh optimiser state and one learning-rate schedule over all of
    /// them, epoch e at spectrum value <paramref name="spectrum"/>.At(e) (neg_spec c or ρ; ignored by other losses).
    /// </summary>
    /// <remarks>
    /// Cancellation (docs/cancellation.md): the token is checked before every batch; when it is cancelled the epoch's
    /// finished batches are recorded (<see cref="BatchLosses"/>, <see cref="EpochsCompleted"/> counts the cut epoch),
    /// the model keeps the state after the last finished batch, and <see cref="OperationCanceledException"/> is thrown.
    /// </remarks>
    /// <param name="epochs">Epochs of this run (the learning-rate schedule spans them).</param>
    /// <param name="spectrum">The spectrum value of each epoch of the run.</param>
    /// <param name="progress">Receives one report per epoch.</param>
    /// <param name="epochCompleted">Called with the global 0-based epoch number after each epoch.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <exception cref="NonFiniteTrainingException">A loss or parameter became non-finite; the model is restored to the epoch's start.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the last batch.</exception>
    public void Optimize(int epochs, SpectrumSchedule spectrum, IProgress<EpochReport>? progress = null, Action<int>? epochCompleted = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        var o = _options;
        var parameters = _model.Parameters;
        var optimizer = new ParameterOptimizer(o.Optimizer, (float)o.Momentum, (float)o.WeightDecay, parameters.Count + 2);
        float? clip = o.ClipValue is { } c ? (float)c : null;
        int d = _model.OutputDimension;
        ulong seed = unchecked((ulong)o.Seed);
        bool learnZ = o.Loss == LossMode.Nce;
        bool learnTemperature = o.LearnableTemperature && o.Metric == SimilarityMetric.Cosine;
        var table = _model as EmbeddingTable;
        var knn = _source as KnnEdgeSource;
        // Plain SGD on a large table: the sparse path (issue #18): batch-space gradient, scatter, step of the touched rows.
        bool sparse = table != null && optimizer.StepsRowsExactly
            && (SparseTable ?? (long)table.Positions.Rows >= (long)SparseTableRatio * 2 * _source.MaxBatchSize);
        RanSparse = sparse;
        int[]? rowTargets = sparse ? new int[2 * _source.MaxBatchSize] : null;
        var snapshot = new float[parameters.Count][];
        for (int p = 0; p < parameters.Count; p++) snapshot[p] = new float[parameters[p].Length];

        for (int local = 0; local < epochs; local++)
        {
            int epoch = EpochsCompleted;
            float lr = (float)LearningRates.At(o.Schedule, o.EffectiveLearningRate, o.LrMinFactor, local, epochs, o.WarmupEpochs, o.WarmupLearningRate);
            double value = spectrum.At(local);
            for (int p = 0; p < parameters.Count; p++) parameters[p].Value.AsSpan().CopyTo(snapshot[p]);
            int batches = _source.BatchesPerEpoch;
            var losses = new float[batches];
            int done = 0;
            for (int t = 0; t < batches; t++)
            {
                if (cancellationToken.IsCancellationRequested) break;
                // A table trained on kNN edges takes its batch as the source's packed edges: the loss's units unpack
                // them while they gather the rows, which saves the batch copy.
                long[]? edges = null;
                int edgeStart = 0, b;
                if (table != null && knn != null) edges = knn.Edges(epoch, t, out edgeStart, out b);
                else
                {
                    _source.Fill(epoch, t, _batch);
                    b = _batch.Size;
                }
                ulong stream = ((ulong)(uint)epoch << 32) | (uint)t;
                float temperature = (float)Math.Exp(_logTemperature.Value[0]);
                BatchLossResult r;
                if (sparse)
                {
                    r = _loss.Compute(_features, b, d, (float)value, _logZ.Value[0], temperature, seed, stream,
                        _featureGradient, o.Threads, targets: edges == null ? _batch.Items : null, table: table!.Positions.Data,
                        edges: edges, edgeStart: edgeStart, batchSpace: true);
                }
                else if (table != null)
                {
                    // A table's forward pass is a gather and its backward pass a scatter-add, both by item: the loss does
                    // both in its own units (each unit gathers the rows it reads and adds into the table gradient
                    // directly, in a fixed order) instead of a shared gather and a serial scatter.
                    r = _loss.Compute(_features, b, d, (float)value, _logZ.Value[0], temperature, seed, stream,
                        table.Parameters[0].Gradient, o.Threads, targets: edges == null ? _batch.Items : null, table: table.Positions.Data,
                        edges: edges, edgeStart: edgeStart);
                }
                else
                {
                    _model.Forward(_batch, _features.AsSpan(0, 2 * b * d));
                    r = _loss.Compute(_features, b, d, (float)value, _logZ.Value[0], temperature, seed, stream,
                        _featureGradient, o.Threads);
                }
                if (!double.IsFinite(r.Loss)) Fail(epoch, snapshot, $"the loss of batch {t} is {r.Loss}");
                if (table == null) _model.Backward(_batch, _featureGradient.AsSpan(0, 2 * b * d));
                if (sparse)
                {
                    var targets = edges == null ? _batch.Items! : Unpack(edges, edgeStart, b, rowTargets!);
                    ParameterOptimizer.StepRows(parameters[0], d, targets, 2 * b, _featureGradient, lr, clip, o.Threads);
                }
                else
                    for (int p = 0; p < parameters.Count; p++) optimizer.Step(p, parameters[p], lr, clip, o.Threads);
                if (learnZ)
                {
                    _logZ.Gradient[0] = (float)r.LogZGradient;
                    optimizer.Step(parameters.Count, _logZ, ScalarLearningRate, clip, 1);
                }
                if (learnTemperature)
                {
                    _logTemperature.Gradient[0] = (float)r.LogTemperatureGradient;
                    optimizer.Step(parameters.Count + 1, _logTemperature, ScalarLearningRate, clip, 1);
                }
                losses[t] = (float)r.Loss;
                done++;
                BatchCompleted?.Invoke(epoch, t);
            }
            for (int p = 0; p < parameters.Count; p++)
                if (!AllFinite(parameters[p].Value)) Fail(epoch, snapshot, $"parameter '{parameters[p].Name}' holds a non-finite value");
            _batchLosses.Add(done == batches ? losses : losses[..done]);
            EpochsCompleted++;
            if (done < batches) cancellationToken.ThrowIfCancellationRequested(); // only a cancellation ends an epoch early
            double mean = 0;
            foreach (float l in losses) mean += l;
            progress?.Report(new EpochReport(epoch, batches == 0 ? 0 : mean / batches, lr, value));
            epochCompleted?.Invoke(epoch);
        }
    }

    /// <summary>The targets of a batch given as packed edges: heads, then tails.</summary>
    private static int[] Unpack(long[] edges, int start, int b, int[] targets)
    {
        for (int r = 0; r < b; r++)
        {
            long edge = edges[start + r];
            targets[r] = (int)(edge >> 32);
            targets[b + r] = (int)edge;
        }
        return targets;
    }

    private void Fail(int epoch, float[][] snapshot, string what)
    {
        var parameters = _model.Parameters;
        for (int p = 0; p < parameters.Count; p++)
        {
            snapshot[p].CopyTo(parameters[p].Value, 0);
            Array.Clear(parameters[p].Gradient);
        }
        throw new NonFiniteTrainingException(epoch, _embedding?.Invoke(), what);
    }

    private static bool AllFinite(float[] values)
    {
        foreach (float v in values) if (!float.IsFinite(v)) return false;
        return true;
    }
}
