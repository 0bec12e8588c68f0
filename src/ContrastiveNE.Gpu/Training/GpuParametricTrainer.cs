using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Gpu.Kernels;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Optimization;
using ContrastiveNE.Training;
using ILGPU;
using ILGPU.Runtime;
using LinearLayer = ContrastiveNE.Models.Linear;

namespace ContrastiveNE.Gpu.Training;

/// <summary>
/// The parametric training loop on a device: the data, the network's weights, their gradients and optimiser state
/// and the edge list live on the device. Per batch: gather the 2b data rows, forward through every Linear (tiled
/// SGEMM, X·Wᵀ) with bias and ReLU, the batch loss kernel on the 2b output rows, then backward — dW = Gᵀ·A,
/// db = column sums of G, G ← G·W masked by the ReLU — and a clip-and-step per parameter. The weights are copied
/// back into the host network after every epoch, so <c>Transform</c>, snapshots and progress see them as on the CPU.
/// </summary>
/// <remarks>Supports networks that are a <see cref="Sequential"/> of <see cref="LinearLayer"/> layers, each optionally
/// followed by one <see cref="Relu"/> (the MLP of docs/method.md §1.3 and any depth or widths of it).</remarks>
internal sealed class GpuParametricTrainer : IPhaseTrainer, IDisposable
{
    private sealed class Layer(LinearLayer linear, bool relu, Accelerator acc)
    {
        public LinearLayer Linear { get; } = linear;
        public bool Relu { get; } = relu;
        public DeviceParameter Weight { get; } = new(linear.Weight, acc);
        public DeviceParameter Bias { get; } = new(linear.Bias, acc);
    }

    /// <summary>A parameter's value, gradient and two optimiser-state buffers on the device.</summary>
    private sealed class DeviceParameter(Parameter host, Accelerator acc) : IDisposable
    {
        public Parameter Host { get; } = host;
        public MemoryBuffer1D<float, Stride1D.Dense> Value { get; } = acc.Allocate1D(host.Value);
        public MemoryBuffer1D<float, Stride1D.Dense> Grad { get; } = Zeroed(acc, host.Length);
        public MemoryBuffer1D<float, Stride1D.Dense> State1 { get; } = Zeroed(acc, host.Length);
        public MemoryBuffer1D<float, Stride1D.Dense> State2 { get; } = Zeroed(acc, host.Length);

        public void Dispose() { Value.Dispose(); Grad.Dispose(); State1.Dispose(); State2.Dispose(); }
    }

    private readonly GpuKernels _kernels;
    private readonly Accelerator _acc;
    private readonly CneOptions _options;
    private readonly Func<Matrix?>? _embedding;
    private readonly Layer[] _layers;
    private readonly int _inputWidth, _outputWidth, _edges, _batchesPerEpoch, _maxRows;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _data, _losses, _logZ, _logZState1, _logZState2;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] _activations, _gradients;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _heads, _tails, _rows, _identity, _noColumns;
    private readonly List<float[]> _batchLosses = [];
    private readonly (uint K0, uint K1) _key;
    private bool _disposed;

    /// <summary>Uploads the data, the graph and the network's parameters.</summary>
    /// <param name="kernels">The device's kernels.</param>
    /// <param name="network">The network (Linear/ReLU layers); its parameters are read now and written back after every epoch.</param>
    /// <param name="data">n × D input rows.</param>
    /// <param name="graph">The neighbour graph over the rows of <paramref name="data"/>.</param>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="embedding">Returns the current embedding for <see cref="NonFiniteTrainingException"/>, or null.</param>
    public GpuParametricTrainer(GpuKernels kernels, Sequential network, Matrix data, NeighborGraph graph, CneOptions options, Func<Matrix?>? embedding = null)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.LearnableTemperature)
            throw new ArgumentException("A learnable temperature is not supported on the GPU backend; use Device = Cpu.", nameof(CneOptions.LearnableTemperature));
        if (graph.NodeCount != data.Rows) throw new ArgumentException($"The graph has {graph.NodeCount} nodes but the data {data.Rows} rows.", nameof(graph));
        if (graph.EdgeCount == 0) throw new ArgumentException("The graph has no edges.", nameof(graph));
        if (network.InputDimension != data.Columns)
            throw new ArgumentException($"The network takes {network.InputDimension} inputs but the data has {data.Columns} columns.", nameof(data));

        _kernels = kernels;
        _acc = kernels.Accelerator;
        _options = options;
        _embedding = embedding;
        _layers = Flatten(network, _acc);
        _inputWidth = data.Columns;
        _outputWidth = network.OutputDimension;
        _edges = graph.EdgeCount;
        _batchesPerEpoch = (_edges + options.BatchSize - 1) / options.BatchSize;
        _maxRows = 2 * Math.Min(options.BatchSize, _edges);
        _key = GpuTrainingSettings.Key(options);

        _data = _acc.Allocate1D(data.Data);
        _activations = new MemoryBuffer1D<float, Stride1D.Dense>[_layers.Length + 1];
        _gradients = new MemoryBuffer1D<float, Stride1D.Dense>[_layers.Length + 1];
        _activations[0] = _acc.Allocate1D<float>((long)_maxRows * _inputWidth);
        for (int l = 0; l < _layers.Length; l++)
        {
            long size = (long)_maxRows * _layers[l].Linear.OutputDimension;
            _activations[l + 1] = _acc.Allocate1D<float>(size);
            _gradients[l + 1] = _acc.Allocate1D<float>(size);
        }
        _gradients[0] = _gradients[1]; // never written: the input needs no gradient
        _losses = Zeroed(_acc, _batchesPerEpoch);
        _logZ = _acc.Allocate1D([MathF.Log((float)options.InitialZ), 0f]); // [log Z, dℓ/dlog Z]
        _logZState1 = Zeroed(_acc, 1);
        _logZState2 = Zeroed(_acc, 1);
        _heads = _acc.Allocate1D(graph.EdgeHeads);
        _tails = _acc.Allocate1D(graph.EdgeTails);
        _rows = _acc.Allocate1D<int>(_maxRows);
        var identity = new int[_maxRows];
        for (int i = 0; i < identity.Length; i++) identity[i] = i;
        _identity = _acc.Allocate1D(identity);
        _noColumns = _acc.Allocate1D<int>(1);
    }

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
        foreach (var layer in _layers)
            foreach (var p in new[] { layer.Weight, layer.Bias }) { p.State1.MemSetToZero(); p.State2.MemSetToZero(); }
        _logZState1.MemSetToZero(); _logZState2.MemSetToZero();
        int step = 0;

        for (int local = 0; local < epochs; local++)
        {
            int epoch = EpochsCompleted;
            float lr = (float)LearningRates.At(o.Schedule, o.EffectiveLearningRate, o.LrMinFactor, local, epochs, o.WarmupEpochs, o.WarmupLearningRate);
            double value = spectrum.At(local);
            var template = GpuTrainingSettings.Loss(o, _outputWidth, value, _key);
            _losses.MemSetToZero();
            var epochKey = GpuTrainingSettings.EpochKey(epoch, _key);
            int done = 0;
            for (int t = 0; t < _batchesPerEpoch; t++)
            {
                if (cancellationToken.IsCancellationRequested) break;
                int start = t * o.BatchSize;
                int b = Math.Min(o.BatchSize, _edges - start);
                int rows = 2 * b;
                _kernels.GatherBatch(_heads.View, _tails.View, _rows.View, start, b, _edges, epochKey.X0, epochKey.X1);
                _kernels.GatherRows(_data.View, _rows.View.SubView(0, rows), _activations[0].View, _inputWidth);
                Forward(rows);

                var output = _activations[^1].View.SubView(0, (long)rows * _outputWidth);
                var outputGrad = _gradients[^1].View.SubView(0, (long)rows * _outputWidth);
                _gradients[^1].MemSetToZero();
                var p = GpuTrainingSettings.Batch(template, o, b, unchecked((uint)(epoch * _batchesPerEpoch + t)), t);
                _kernels.BatchLoss(p, output, _identity.View, _noColumns.View, outputGrad, _losses.View, _logZ.View);
                Backward(rows);

                step++;
                var opt = GpuTrainingSettings.Optimizer(o, lr, step);
                foreach (var layer in _layers) { Step(opt, layer.Weight); Step(opt, layer.Bias); }
                if (p.Mode == (int)GpuLossMode.Nce)
                    Step(GpuTrainingSettings.Optimizer(o, GpuTrainingSettings.ScalarLearningRate, step),
                        _logZ.View.SubView(0, 1), _logZ.View.SubView(1, 1), _logZState1.View, _logZState2.View);
                done++;
            }

            _acc.Synchronize();
            float[] losses = _losses.GetAsArray1D();
            for (int t = 0; t < done; t++)
                if (!float.IsFinite(losses[t])) Fail(epoch, $"the loss of batch {t} is {losses[t]}");
            foreach (var layer in _layers)
                foreach (var dp in new[] { layer.Weight, layer.Bias })
                {
                    var values = dp.Value.GetAsArray1D();
                    foreach (float v in values)
                        if (!float.IsFinite(v)) Fail(epoch, $"parameter '{dp.Host.Name}' holds a non-finite value");
                    values.CopyTo(dp.Host.Value, 0);
                }
            _batchLosses.Add(done == _batchesPerEpoch ? losses : losses[..done]);
            EpochsCompleted++;
            if (done < _batchesPerEpoch) cancellationToken.ThrowIfCancellationRequested(); // only a cancellation ends an epoch early
            double mean = 0;
            foreach (float l in losses) mean += l;
            progress?.Report(new EpochReport(epoch, _batchesPerEpoch == 0 ? 0 : mean / _batchesPerEpoch, lr, value));
            epochCompleted?.Invoke(epoch);
        }
    }

    private void Forward(int rows)
    {
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            int input = layer.Linear.InputDimension, output = layer.Linear.OutputDimension;
            var a = _activations[l].View.SubView(0, (long)rows * input);
            var z = _activations[l + 1].View.SubView(0, (long)rows * output);
            // Z = A·Wᵀ with W stored out × in.
            _kernels.Gemm(new GemmParams { M = rows, N = output, K = input, Lda = input, Ldb = input, Ldc = output, TransB = 1, Alpha = 1f },
                a, layer.Weight.Value.View, z);
            _kernels.BiasActivation(z, layer.Bias.Value.View, output, layer.Relu);
        }
    }

    private void Backward(int rows)
    {
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            int input = layer.Linear.InputDimension, output = layer.Linear.OutputDimension;
            var g = _gradients[l + 1].View.SubView(0, (long)rows * output);
            var a = _activations[l].View.SubView(0, (long)rows * input);
            // dW (out × in) = Gᵀ·A; the optimiser zeroed it after the last step, so β = 0 simply overwrites.
            _kernels.Gemm(new GemmParams { M = output, N = input, K = rows, Lda = output, Ldb = input, Ldc = input, TransA = 1, Alpha = 1f },
                g, a, layer.Weight.Grad.View);
            _kernels.BiasGradient(g, layer.Bias.Grad.View, rows, output);
            if (l == 0) break;
            // G_prev = G·W, then through the previous layer's ReLU (its output is A).
            var gPrev = _gradients[l].View.SubView(0, (long)rows * input);
            _kernels.Gemm(new GemmParams { M = rows, N = input, K = output, Lda = output, Ldb = input, Ldc = input, Alpha = 1f },
                g, layer.Weight.Value.View, gPrev);
            if (_layers[l - 1].Relu) _kernels.ReluBackward(gPrev, a);
        }
    }

    private void Step(in OptimizerParams p, DeviceParameter parameter) =>
        Step(p, parameter.Value.View, parameter.Grad.View, parameter.State1.View, parameter.State2.View);

    private void Step(in OptimizerParams p, ArrayView<float> value, ArrayView<float> grad, ArrayView<float> s1, ArrayView<float> s2)
    {
        if (_options.Optimizer == OptimizerKind.Adam) _kernels.Adam(p, value, grad, s1, s2);
        else _kernels.Sgd(p, value, grad, s1);
    }

    private void Fail(int epoch, string what)
    {
        // The host network still holds the weights of the last finished epoch: put them back on the device.
        foreach (var layer in _layers)
            foreach (var dp in new[] { layer.Weight, layer.Bias }) { dp.Value.CopyFromCPU(dp.Host.Value); dp.Grad.MemSetToZero(); }
        throw new NonFiniteTrainingException(epoch, _embedding?.Invoke(), what);
    }

    private static Layer[] Flatten(Sequential network, Accelerator acc)
    {
        var layers = new List<Layer>();
        var list = network.Layers;
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not LinearLayer linear)
                throw new ArgumentException($"The GPU backend trains Linear/ReLU networks; layer {i} is a {list[i].GetType().Name}.", nameof(network));
            bool relu = i + 1 < list.Count && list[i + 1] is Relu;
            if (relu) i++;
            layers.Add(new Layer(linear, relu, acc));
        }
        return [.. layers];
    }

    private static MemoryBuffer1D<float, Stride1D.Dense> Zeroed(Accelerator acc, long length)
    {
        var buffer = acc.Allocate1D<float>(length);
        buffer.MemSetToZero();
        return buffer;
    }

    /// <summary>Frees the device buffers; idempotent. The host network keeps the parameters of the last finished epoch.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var layer in _layers) { layer.Weight.Dispose(); layer.Bias.Dispose(); }
        for (int i = 0; i < _activations.Length; i++) _activations[i].Dispose();
        for (int i = 1; i < _gradients.Length; i++) _gradients[i].Dispose();
        foreach (var b in new IDisposable[] { _data, _losses, _logZ, _logZState1, _logZState2, _heads, _tails, _rows, _identity, _noColumns })
            b.Dispose();
    }
}
