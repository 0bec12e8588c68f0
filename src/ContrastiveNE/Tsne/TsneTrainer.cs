using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ContrastiveNE.Embedding;
using ContrastiveNE.Models;
using ContrastiveNE.Threading;
using ContrastiveNE.Training;

namespace ContrastiveNE.Tsne;

/// <summary>
/// Full-batch t-SNE on a sparse affinity matrix — InfoNCE's limit of infinitely many negatives (SPEC's
/// <see cref="RepulsionMode.Fft"/>): each epoch is one gradient step of KL(P ‖ Q) with the Cauchy kernel,
/// ∂/∂yᵢ = α Σⱼ pᵢⱼ qᵢⱼ (yᵢ − yⱼ) − Σⱼ q²ᵢⱼ (yᵢ − yⱼ) / Z (the constant factor 4 folded into the learning rate, as
/// FIt-SNE and openTSNE do), attraction over the stored entries, repulsion by <see cref="FftRepulsion"/>. The step is
/// t-SNE's: momentum (0.5 during the early-exaggeration epochs, 0.8 after) with delta-bar-delta gains
/// (+0.2 where the gradient turns against the last update, ×0.8 where it does not, floor 0.01); the positions are
/// re-centred after every step. The spectrum argument of a phase is the exaggeration α. Deterministic and
/// independent of the thread count.
/// </summary>
internal sealed class TsneTrainer : IPhaseTrainer
{
    private readonly EmbeddingTable _table;
    private readonly AffinityMatrix _p;
    private readonly int _threads;
    private readonly double _learningRate;
    private readonly int _momentumSwitchEpoch;
    private readonly int _lossEvery;
    private readonly FftRepulsion _repulsion;
    private readonly double[] _gradient;
    private readonly double[] _update;
    private readonly double[] _gains;
    private readonly double[] _repulsive;
    private readonly List<float[]> _losses = [];
    private double _lastLoss = double.NaN;
    private readonly double _pLogP;
    private readonly int[]? _order;
    private readonly float[] _positions;

    /// <summary>Creates the trainer on <paramref name="table"/>'s positions (n × 2).</summary>
    /// <param name="table">The positions, updated in place.</param>
    /// <param name="affinities">P (n × n).</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="momentumSwitchEpoch">Epochs run at momentum 0.5 before 0.8 (the early-exaggeration epochs).</param>
    /// <param name="lossEvery">The KL divergence is evaluated every this many epochs and at the end of a phase (other epochs repeat the last value).</param>
    /// <param name="threads">Threads (≤ 0: all).</param>
    /// <param name="interpolationPoints">Lagrange nodes per box side.</param>
    /// <param name="maxBoxWidth">Widest interpolation box.</param>
    /// <param name="maxGridSize">Largest FFT side.</param>
    /// <param name="order">
    /// Null, or the order the trainer keeps the points in: <paramref name="affinities"/> are over points relabelled so
    /// that point p is row order[p] of the table. The trainer then works on its own copy of the positions in that
    /// order — a locality order puts a point's neighbours near it in memory, which at 10⁶ points cuts the time of the
    /// attraction's gathers — and writes them back to the table, in the table's order, after every epoch.
    /// </param>
    public TsneTrainer(EmbeddingTable table, AffinityMatrix affinities, double learningRate, int momentumSwitchEpoch, int lossEvery, int threads,
        int interpolationPoints = 3, double maxBoxWidth = 1.0, int maxGridSize = 512, int[]? order = null)
    {
        _repulsion = new FftRepulsion { InterpolationPoints = interpolationPoints, MaxBoxWidth = maxBoxWidth, MaxGridSize = maxGridSize };
        if (table.Positions.Columns != 2) throw new ArgumentException("FFT repulsion embeds in two dimensions.", nameof(CneOptions.Dimensions));
        if (affinities.NodeCount != table.Positions.Rows) throw new ArgumentException("The affinities and the positions differ in size.", nameof(affinities));
        _table = table;
        _p = affinities;
        _learningRate = learningRate;
        _momentumSwitchEpoch = momentumSwitchEpoch;
        _lossEvery = Math.Max(1, lossEvery);
        _threads = threads;
        int n = table.Positions.Rows;
        _gradient = new double[2 * n];
        _update = new double[2 * n];
        _gains = new double[2 * n];
        Array.Fill(_gains, 1.0);
        _repulsive = new double[2 * n];
        if (order != null)
        {
            if (order.Length != n) throw new ArgumentException("The order must hold one entry per point.", nameof(order));
            _order = order;
            _positions = new float[2 * n];
            var y = table.Positions.Data;
            for (int p = 0; p < n; p++)
            {
                _positions[2 * p] = y[2 * order[p]];
                _positions[2 * p + 1] = y[2 * order[p] + 1];
            }
        }
        else _positions = table.Positions.Data;
        foreach (float p in affinities.Weights) if (p > 0) _pLogP += p * Math.Log(p);
    }

    /// <inheritdoc/>
    public IReadOnlyList<float[]> BatchLosses => _losses;

    /// <inheritdoc/>
    public int EpochsCompleted { get; private set; }

    /// <summary>The normaliser Σ_{i≠j} qᵢⱼ of the last epoch.</summary>
    public double Z { get; private set; } = double.NaN;

    /// <inheritdoc/>
    public double Temperature => 1.0;

    /// <summary>Wall seconds spent in the repulsion (FFT) so far.</summary>
    public double RepulsionSeconds { get; private set; }

    /// <summary>Wall seconds spent in the attraction and gradient so far.</summary>
    public double AttractionSeconds { get; private set; }

    /// <summary>Sum of the FFT grid sides over the epochs run (mean = this / epochs).</summary>
    public long GridSizeSum { get; private set; }

    /// <summary>Seconds per repulsion stage (weights, spread, forward FFTs, multiply, inverse FFTs, interpolation).</summary>
    internal double[] RepulsionStageSeconds => [.. _repulsion.StageTicks.Select(t => t / (double)System.Diagnostics.Stopwatch.Frequency)];

    /// <summary>Whether the trainer keeps the points in an order of its own (see the constructor's order).</summary>
    internal bool Relabelled => _order != null;

    /// <summary>The FFT grid side of the last epoch.</summary>
    public int GridSize => _repulsion.LastGridSize;

    /// <inheritdoc/>
    public void Optimize(int epochs, SpectrumSchedule spectrum, IProgress<EpochReport>? progress = null, Action<int>? epochCompleted = null,
        CancellationToken cancellationToken = default)
    {
        var y = _positions;
        for (int e = 0; e < epochs; e++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int epoch = EpochsCompleted;
            // The exaggeration of this epoch of the run: early exaggeration for the schedule's first epochs, then the rest.
            double exaggeration = spectrum.At(e);
            bool lossEpoch = epoch % _lossEvery == 0 || e == epochs - 1;
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            double z = _repulsion.Compute(y, _repulsive, _threads);
            Z = z;
            long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            double attractionLog = Attract(y, exaggeration, 1 / z, lossEpoch);
            long t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            RepulsionSeconds += (t1 - t0) / (double)System.Diagnostics.Stopwatch.Frequency;
            AttractionSeconds += (t2 - t1) / (double)System.Diagnostics.Stopwatch.Frequency;
            GridSizeSum += _repulsion.LastGridSize;
            if (lossEpoch)
            {
                // KL(P‖Q) = Σ p log p − Σ p log q + log Z, with log q = −log(1 + d²) (P fixed, its entropy term kept for the value).
                _lastLoss = _pLogP + attractionLog + Math.Log(z);
            }
            double momentum = epoch < _momentumSwitchEpoch ? 0.5 : 0.8;
            if (!Step(y, momentum))
            {
                throw new NonFiniteTrainingException(epoch, null, "a position is not finite");
            }
            if (_order != null) WriteBack();
            EpochsCompleted++;
            _losses.Add([(float)_lastLoss]);
            progress?.Report(new EpochReport(epoch, _lastLoss, _learningRate, exaggeration));
            epochCompleted?.Invoke(epoch);
        }
    }

    /// <summary>The positions, kept in <see cref="_order"/>, copied to the table in its own row order.</summary>
    private void WriteBack()
    {
        var order = _order!;
        var y = _positions;
        var table = _table.Positions.Data;
        Parallelism.ForRanges(order.Length, 8192, _threads, (s, e) =>
        {
            for (int p = s; p < e; p++)
            {
                table[2 * order[p]] = y[2 * p];
                table[2 * order[p] + 1] = y[2 * p + 1];
            }
        });
    }

    private readonly double[] _logPartials = new double[Units];

    private const int Units = 64;

    /// <summary>Gradient = α·attraction − repulsion/Z; returns Σ pᵢⱼ log(1 + d²ᵢⱼ) when asked (else 0).</summary>
    private double Attract(float[] y, double exaggeration, double inverseZ, bool withLoss)
    {
        int n = _p.NodeCount;
        var offsets = _p.RowOffsets;
        var cols = _p.Columns;
        var weights = _p.Weights;
        int grain = (n + Units - 1) / Units;
        Parallelism.For(Units, _threads, unit =>
        {
            int s = unit * grain, end = Math.Min(n, s + grain);
            double log = 0;
            for (int i = s; i < end; i++)
            {
                float xi = y[2 * i], yi = y[2 * i + 1];
                float fx = 0, fy = 0;
                int t = offsets[i], stop = offsets[i + 1];
                if (Avx2.IsSupported && !withLoss) (fx, fy, t) = AttractAvx2(y, cols, weights, t, stop, xi, yi);
                for (; t < stop; t++)
                {
                    int j = cols[t];
                    float dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
                    float d2 = dx * dx + dy * dy;
                    float pq = weights[t] / (1 + d2);
                    fx += pq * dx;
                    fy += pq * dy;
                    if (withLoss) log += weights[t] * Math.Log(1 + d2);
                }
                _gradient[2 * i] = exaggeration * fx - inverseZ * _repulsive[2 * i];
                _gradient[2 * i + 1] = exaggeration * fy - inverseZ * _repulsive[2 * i + 1];
            }
            _logPartials[unit] = log;
        });
        double total = 0;
        if (withLoss) foreach (double v in _logPartials) total += v;
        return total;
    }

    /// <summary>
    /// Eight entries of row i at a time: the neighbours' x and y gathered by index (2j and 2j + 1), pᵢⱼ/(1 + d²)
    /// weighting the differences, the eight lanes summed at the end. Returns the sums and the first entry not done.
    /// </summary>
    private static unsafe (float Fx, float Fy, int Next) AttractAvx2(float[] y, int[] cols, float[] weights, int t, int stop, float xi, float yi)
    {
        var sumX = Vector256<float>.Zero;
        var sumY = Vector256<float>.Zero;
        var one = Vector256.Create(1f);
        var vx = Vector256.Create(xi);
        var vy = Vector256.Create(yi);
        fixed (float* py = y, pw = weights)
        fixed (int* pc = cols)
        {
            for (; t + 8 <= stop; t += 8)
            {
                var j2 = Avx2.ShiftLeftLogical(Avx.LoadVector256(pc + t), 1);
                var dx = vx - Avx2.GatherVector256(py, j2, 4);
                var dy = vy - Avx2.GatherVector256(py + 1, j2, 4);
                var pq = Avx.LoadVector256(pw + t) / (one + dx * dx + dy * dy);
                sumX += pq * dx;
                sumY += pq * dy;
            }
        }
        return (Vector256.Sum(sumX), Vector256.Sum(sumY), t);
    }

    private bool Step(float[] y, double momentum)
    {
        int n = _p.NodeCount;
        double lr = _learningRate;
        var sums = new double[2 * Units];
        int grain = (n + Units - 1) / Units;
        bool finite = true;
        Parallelism.For(Units, _threads, unit =>
        {
            int s = 2 * unit * grain, end = 2 * Math.Min(n, unit * grain + grain);
            double sx = 0, sy = 0;
            for (int i = s; i < end; i++)
            {
                double g = _gradient[i], u = _update[i];
                double gain = (g > 0) != (u > 0) ? _gains[i] + 0.2 : _gains[i] * 0.8;
                if (gain < 0.01) gain = 0.01;
                _gains[i] = gain;
                u = momentum * u - lr * gain * g;
                _update[i] = u;
                float v = (float)(y[i] + u);
                y[i] = v;
                if ((i & 1) == 0) sx += v; else sy += v;
            }
            sums[2 * unit] = sx;
            sums[2 * unit + 1] = sy;
        });
        double mx = 0, my = 0;
        for (int u = 0; u < Units; u++) { mx += sums[2 * u]; my += sums[2 * u + 1]; }
        mx /= n;
        my /= n;
        if (!double.IsFinite(mx) || !double.IsFinite(my)) finite = false;
        float cx = (float)mx, cy = (float)my;
        for (int i = 0; i < n; i++) { y[2 * i] -= cx; y[2 * i + 1] -= cy; }
        return finite;
    }
}
