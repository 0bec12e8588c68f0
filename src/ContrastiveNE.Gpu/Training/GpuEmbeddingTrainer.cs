using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Gpu.Kernels;
using ContrastiveNE.Losses;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Optimization;
using ContrastiveNE.Training;
using ILGPU;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Training;

/// <summary>
/// The non-parametric training loop of <see cref="ContrastiveTrainer"/> on a device: the table, its gradient, the
/// optimiser state and the directed edge list live on the device for the whole run. A batch is three launches —
/// gather the 2b rows of the epoch's (Feistel-permuted) edges, the batch loss kernel (Philox negatives, atomics into
/// the table gradient), clip-and-step over the table — plus one for the learnable log Z under nce. The host only
/// schedules the learning rate, reads the batch losses back once per epoch and copies the positions into the
/// <see cref="EmbeddingTable"/> after every epoch (n·d floats), so snapshots, progress and cancellation behave as on
/// the CPU.
/// </summary>
/// <remarks>
/// Same semantics as the CPU trainer (docs/method.md §1–§3): losses, similarities, clamps, negatives drawn uniformly with
/// replacement from the other 2b − 1 rows (or the full batch), PyTorch's dense SGD/Adam with value clipping, a fresh
/// optimiser state and one learning-rate schedule per <see cref="Optimize"/> call (early exaggeration changes only
/// the spectrum value), log Z at a constant rate of 0.001. The random streams differ from the CPU's
/// (Philox and a permutation instead of a shuffled array), and float atomics add in a scheduling-dependent order, so
/// results agree with the CPU's statistically, not bit for bit. A learnable temperature is not supported here.
/// </remarks>
internal sealed class GpuEmbeddingTrainer : IPhaseTrainer, IDisposable
{

    private readonly GpuKernels _kernels;
    private readonly Accelerator _acc;
    private readonly EmbeddingTable _table;
    private readonly CneOptions _options;
    private readonly IDisposable? _owner;
    private readonly int _n, _d, _edges, _batchesPerEpoch;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _positions, _snapshot, _grad, _state1, _state2, _losses, _logZ, _logZState1, _logZState2;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _heads, _tails, _rows, _noColumns;
    private readonly List<float[]> _batchLosses = [];
    private readonly (uint K0, uint K1) _key;
    private bool _disposed;

    /// <summary>Uploads the graph and the table's positions to <paramref name="kernels"/>' accelerator.</summary>
    /// <param name="kernels">The kernels of the device to train on.</param>
    /// <param name="graph">The neighbour graph; every stored entry is one directed edge.</param>
    /// <param name="table">The positions (read now, written back after every epoch).</param>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="owner">Disposed with this trainer (e.g. the <see cref="GpuDevice"/> opened for it), or null.</param>
    public GpuEmbeddingTrainer(GpuKernels kernels, NeighborGraph graph, EmbeddingTable table, CneOptions options, IDisposable? owner = null)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.LearnableTemperature)
            throw new ArgumentException("A learnable temperature is not supported on the GPU backend; use Device = Cpu.", nameof(CneOptions.LearnableTemperature));
        if (graph.NodeCount != table.Positions.Rows)
            throw new ArgumentException($"The graph has {graph.NodeCount} nodes but the table {table.Positions.Rows} rows.", nameof(table));
        if (graph.EdgeCount == 0) throw new ArgumentException("The graph has no edges.", nameof(graph));

        _kernels = kernels;
        _acc = kernels.Accelerator;
        _table = table;
        _options = options;
        _owner = owner;
        _n = table.Positions.Rows;
        _d = table.Positions.Columns;
        _edges = graph.EdgeCount;
        int maxBatch = Math.Min(options.BatchSize, _edges);
        _batchesPerEpoch = (_edges + options.BatchSize - 1) / options.BatchSize;
        _key = GpuTrainingSettings.Key(options);

        _positions = _acc.Allocate1D(table.Positions.Data);
        _snapshot = _acc.Allocate1D<float>(_positions.Length);
        _grad = Zeroed(_positions.Length);
        bool adam = options.Optimizer == OptimizerKind.Adam;
        bool moments = adam || options.Momentum != 0;
        _state1 = Zeroed(moments ? _positions.Length : 1);
        _state2 = Zeroed(adam ? _positions.Length : 1);
        _losses = Zeroed(_batchesPerEpoch);
        _logZ = _acc.Allocate1D([MathF.Log((float)options.InitialZ), 0f]); // [log Z, dℓ/dlog Z]
        _logZState1 = Zeroed(1);
        _logZState2 = Zeroed(1);
        _heads = _acc.Allocate1D(graph.EdgeHeads);
        _tails = _acc.Allocate1D(graph.EdgeTails);
        _rows = _acc.Allocate1D<int>(2 * maxBatch);
        _noColumns = _acc.Allocate1D<int>(1);
    }

    /// <summary>The device's name.</summary>
    public string DeviceName => _acc.Name;

    /// <inheritdoc/>
    public IReadOnlyList<float[]> BatchLosses => _batchLosses;

    /// <inheritdoc/>
    public int EpochsCompleted { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The trainer was disposed (its device buffers are freed).</exception>
    public double Z
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Math.Exp(_logZ.GetAsArray1D()[0]);
        }
    }

    /// <inheritdoc/>
    public double Temperature => _options.Temperature;

    /// <inheritdoc/>
    public void Optimize(int epochs, SpectrumSchedule spectrum, IProgress<EpochReport>? progress = null, Action<int>? epochCompleted = null,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        var o = _options;
        // One run: a fresh optimiser here, kept through the early-exaggeration boundary (only the spectrum changes).
        _state1.MemSetToZero(); _state2.MemSetToZero(); _logZState1.MemSetToZero(); _logZState2.MemSetToZero();
        int adamStep = 0;

        for (int local = 0; local < epochs; local++)
        {
            int epoch = EpochsCompleted;
            float lr = (float)LearningRates.At(o.Schedule, o.EffectiveLearningRate, o.LrMinFactor, local, epochs, o.WarmupEpochs, o.WarmupLearningRate);
            double value = spectrum.At(local);
            var template = GpuTrainingSettings.Loss(o, _d, value, _key);
            _positions.View.CopyTo(_snapshot.View);
            _losses.MemSetToZero();
            var epochKey = GpuTrainingSettings.EpochKey(epoch, _key);
            int done = 0;
            for (int t = 0; t < _batchesPerEpoch; t++)
            {
                if (cancellationToken.IsCancellationRequested) break;
                int start = t * o.BatchSize;
                int b = Math.Min(o.BatchSize, _edges - start);
                _kernels.GatherBatch(_heads.View, _tails.View, _rows.View, start, b, _edges, epochKey.X0, epochKey.X1);
                var p = GpuTrainingSettings.Batch(template, o, b, unchecked((uint)(epoch * _batchesPerEpoch + t)), t);
                _kernels.BatchLoss(p, _positions.View, _rows.View, _noColumns.View, _grad.View, _losses.View, _logZ.View);

                adamStep++;
                Step(GpuTrainingSettings.Optimizer(o, lr, adamStep), _positions.View, _grad.View, _state1.View, _state2.View);
                if (p.Mode == (int)GpuLossMode.Nce)
                    Step(GpuTrainingSettings.Optimizer(o, GpuTrainingSettings.ScalarLearningRate, adamStep), _logZ.View.SubView(0, 1), _logZ.View.SubView(1, 1), _logZState1.View, _logZState2.View);
                done++;
            }

            _acc.Synchronize();
            float[] losses = _losses.GetAsArray1D();
            for (int t = 0; t < done; t++)
                if (!float.IsFinite(losses[t])) Fail(epoch, $"the loss of batch {t} is {losses[t]}");
            _positions.View.CopyToCPU(_table.Positions.Data);
            foreach (float v in _table.Positions.Data)
                if (!float.IsFinite(v)) Fail(epoch, "the embedding holds a non-finite value");
            _batchLosses.Add(done == _batchesPerEpoch ? losses : losses[..done]);
            EpochsCompleted++;
            if (done < _batchesPerEpoch) cancellationToken.ThrowIfCancellationRequested(); // only a cancellation ends an epoch early
            double mean = 0;
            foreach (float l in losses) mean += l;
            progress?.Report(new EpochReport(epoch, _batchesPerEpoch == 0 ? 0 : mean / _batchesPerEpoch, lr, value));
            epochCompleted?.Invoke(epoch);
        }
    }

    private void Step(in OptimizerParams p, ArrayView<float> value, ArrayView<float> grad, ArrayView<float> s1, ArrayView<float> s2)
    {
        if (_options.Optimizer == OptimizerKind.Adam) _kernels.Adam(p, value, grad, s1, s2);
        else _kernels.Sgd(p, value, grad, s1);
    }

    private void Fail(int epoch, string what)
    {
        _snapshot.View.CopyTo(_positions.View);
        _grad.MemSetToZero();
        _positions.View.CopyToCPU(_table.Positions.Data);
        throw new NonFiniteTrainingException(epoch, _table.Positions.Clone(), what);
    }

    private MemoryBuffer1D<float, Stride1D.Dense> Zeroed(long length)
    {
        var buffer = _acc.Allocate1D<float>(length);
        buffer.MemSetToZero();
        return buffer;
    }

    /// <summary>Frees the device buffers (and the owner given to the constructor); idempotent. The table keeps the last positions.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var b in new IDisposable[] { _positions, _snapshot, _grad, _state1, _state2, _losses, _logZ, _logZState1, _logZState2, _heads, _tails, _rows, _noColumns })
            b.Dispose();
        _owner?.Dispose();
    }
}
