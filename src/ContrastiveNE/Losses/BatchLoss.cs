using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ContrastiveNE.Models;
using ContrastiveNE.Optimization;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Losses;

/// <summary>
/// The loss and feature gradient of one batch of 2b feature rows (docs/method.md §2): for every head its positive and its
/// negatives (drawn inside the kernel), the row-wise loss, and the gradient with respect to all 2b rows.
/// </summary>
/// <remarks>
/// Ownership: heads are split into at most <see cref="MaxUnits"/> fixed units (their number depends on b only).
/// Head i writes the gradient rows i and i + b itself — no other head has them as head or positive. What a head
/// pushes onto its negatives goes into its unit's private 2b × d buffer; the buffers are then added to the owned rows
/// in unit order. Every unit draws from its own random stream, derived from (seed, batch stream, unit). Hence the
/// result is bit-identical at any thread count.
/// </remarks>
internal sealed class BatchLoss
{
    /// <summary>Upper bound on the number of work units of a batch (and of private accumulation buffers).</summary>
    public const int MaxUnits = 4;

    private const int HeadsPerUnit = 16384;
    private const int ReduceGrain = 16384;
    private const int ReduceBlock = 2048;
    private const int BlockEntries = 2048;
    private const float TemperatureFloor = 0.02f;

    /// <summary>
    /// The smallest eps the kernels use: eps = 0 (UMAP's implicit similarity 1/d²) is allowed, but q = 1/(eps + d²) of
    /// two coinciding rows would be 1/0; 1e-18 keeps q and q² finite in float32 (q ≤ 1e18, q² ≤ 1e36) and changes no q
    /// of rows that differ by more than 1e-9 (docs/method.md §2.2).
    /// </summary>
    internal const float MinimumEps = 1e-18f;

    private readonly LossMode _mode;
    private readonly SimilarityMetric _metric;
    private readonly int _negativeSamples;
    private readonly float _eps, _baseTemperature, _clampLow, _clampHigh;
    private readonly float? _kappaTemperature;
    private readonly LossAggregation _aggregation;
    private readonly Unit[] _units = new Unit[MaxUnits];
    private float[] _unitRows = [], _inverseNorms = [];
    private int[] _unpacked = [];
    private CosineInfoNceBatch? _fullBatch;
    private bool _accumulatorsDirty; // a targets call leaves its buffers as they are; others expect them all zero

    private sealed class Unit
    {
        /// <summary>
        /// Without targets: all zero between calls (the reduction clears what it has added). With targets: cleared by
        /// the unit itself when it starts.
        /// </summary>
        public float[] Accumulator = [];
        public float[] Q = [], Dq = [];
        /// <summary>The unit's own copy of the batch's 2-D rows when they come from a table.</summary>
        public float[] Rows = [];
        /// <summary>The unit's own copy of the batch's targets when they come as packed edges.</summary>
        public int[] Targets = [];
        public float[] Dx = [], Dy = [], BlockQ = [], BlockDq = [];
        public int[] BlockColumns = [];
        public int[] Columns = [];
        public double Loss, Spec, Temperature;
    }

    /// <summary>Fixes the loss configuration; per-batch values (spectrum, log Z, τ) come with each call.</summary>
    /// <param name="mode">The loss.</param>
    /// <param name="metric">The similarity.</param>
    /// <param name="negativeSamples">m ≥ 0, or −1 for the full batch.</param>
    /// <param name="eps">eps ≥ 0 of the Cauchy kernel (at least <see cref="MinimumEps"/> is used).</param>
    /// <param name="baseTemperature">The base of κ = τ₀ / base.</param>
    /// <param name="clampLow">Lower clamp of logarithm arguments.</param>
    /// <param name="clampHigh">Upper clamp of logarithm arguments.</param>
    /// <param name="aggregation">Sum or mean.</param>
    /// <param name="kappaTemperature">
    /// τ₀ of InfoNCE's factor κ = τ₀ / base: the run's INITIAL temperature, fixed even when τ is learned (the
    /// reference's κ; docs/method.md §2.4). Null: κ uses the τ given to each call (one-off evaluations).
    /// </param>
    public BatchLoss(LossMode mode, SimilarityMetric metric, int negativeSamples, float eps, float baseTemperature,
        float clampLow, float clampHigh, LossAggregation aggregation, float? kappaTemperature = null)
    {
        _mode = mode;
        _metric = metric;
        _negativeSamples = negativeSamples;
        _eps = MathF.Max(eps, MinimumEps);
        _kappaTemperature = kappaTemperature;
        _baseTemperature = baseTemperature;
        _clampLow = clampLow;
        _clampHigh = clampHigh;
        _aggregation = aggregation;
        for (int u = 0; u < MaxUnits; u++) _units[u] = new Unit();
    }

    /// <summary>
    /// Test hook: when set, every later call writes each head's columns there (head i at i · (m + 1): its partner, then
    /// the negatives it drew), from whichever path ran (sixteen- or eight-lane kernel, scalar blocks, the general
    /// kernel), so tests can check those paths against an independent transcription with the same negatives. Needs at
    /// least b · (m + 1) entries; null (the default) records nothing.
    /// </summary>
    internal int[]? RecordedColumns { get; set; }

    /// <summary>The number of negatives per head for a batch of <paramref name="pairs"/> pairs.</summary>
    public int NegativesFor(int pairs)
    {
        int all = 2 * pairs - 2;
        return _negativeSamples < 0 || _negativeSamples >= all ? all : _negativeSamples;
    }

    private bool FullBatch(int pairs) => _negativeSamples < 0 || _negativeSamples >= 2 * pairs - 2;

    /// <summary>
    /// Evaluates the batch in <paramref name="features"/> (2b × d) and writes dℓ/dF into <paramref name="gradient"/>.
    /// </summary>
    /// <param name="features">The 2b feature rows, heads first.</param>
    /// <param name="pairs">b.</param>
    /// <param name="dimension">d.</param>
    /// <param name="spec">neg_spec c (neg) or ince_spec ρ (InfoNCE); unused otherwise.</param>
    /// <param name="logZ">log Z (nce).</param>
    /// <param name="temperature">τ of the cosine similarity (also κ's τ₀ when the constructor fixed none).</param>
    /// <param name="seed">The user's seed.</param>
    /// <param name="stream">This batch's stream number (derived from epoch and batch).</param>
    /// <param name="gradient">Receives dℓ/dF, 2b × d.</param>
    /// <param name="threads">Thread count.</param>
    /// <param name="negativesGiven">m when <paramref name="columns"/> is given.</param>
    /// <param name="columns">Explicit b × (m + 1) columns (positive first) instead of sampled negatives.</param>
    /// <param name="targets">
    /// Optional: the row of <paramref name="gradient"/> each of the 2b feature rows belongs to (a table model's item
    /// indices). The gradient is then a targets-space array that the batch's scaled contributions are ADDED to, summed
    /// per target row — the scatter of a table model's backward pass, done by the loss's own units in parallel.
    /// </param>
    /// <param name="table">
    /// Optional, with <paramref name="targets"/>: the table itself (targets-space rows of d values). Feature row r is
    /// then table row targets[r], and <paramref name="features"/> is only scratch: the planar kernels' units each
    /// gather their own copy of the batch rows (so each core reads rows it wrote itself), other paths gather into it.
    /// </param>
    /// <param name="edges">
    /// Optional, with <paramref name="table"/> and instead of <paramref name="targets"/>: the batch as packed edges
    /// (head &lt;&lt; 32) | tail from <paramref name="edgeStart"/> on — targets i and b + i are edge i's head and tail.
    /// The planar kernels' units then build their own targets while they gather (a pair source's batch copy saved).
    /// </param>
    /// <param name="edgeStart">The batch's first edge in <paramref name="edges"/>.</param>
    /// <param name="batchSpace">
    /// With <paramref name="table"/>: the rows still come from the table, but <paramref name="gradient"/> receives dℓ/dF
    /// of the 2b batch rows (written, as without targets) instead of sums added at the target rows — so no work is
    /// proportional to the table's size; the caller scatters the rows into the table (the sparse step of a large table).
    /// </param>
    public BatchLossResult Compute(float[] features, int pairs, int dimension, float spec, float logZ, float temperature,
        ulong seed, ulong stream, float[] gradient, int threads, int[]? columns = null, int negativesGiven = 0, int[]? targets = null,
        float[]? table = null, long[]? edges = null, int edgeStart = 0, bool batchSpace = false)
    {
        int b = pairs, d = dimension;
        int m = columns != null ? negativesGiven : NegativesFor(b);
        if (b == 0) return new BatchLossResult(0, 0, 0, m);
        if (RecordedColumns is { } record && record.Length < b * (m + 1))
            throw new InvalidOperationException($"RecordedColumns holds {record.Length} entries; {b} heads of {m + 1} columns need {b * (m + 1)}.");
        float[]? unitGatherTable = null;
        if (edges != null)
        {
            if (targets != null || table == null) throw new ArgumentException("Packed edges stand for the targets of a table's rows: give a table and no targets.", nameof(edges));
            if ((uint)edgeStart > (uint)edges.Length || edges.Length - edgeStart < b)
                throw new ArgumentOutOfRangeException(nameof(edgeStart), $"{b} edges from {edgeStart} do not fit in {edges.Length}.");
        }
        if (table != null)
        {
            if (targets == null && edges == null) throw new ArgumentException("Reading rows from a table needs the targets that map rows to table rows.", nameof(targets));
            if (batchSpace && gradient.Length < 2 * b * d)
                throw new ArgumentException($"The batch-space gradient holds {gradient.Length} values; {2 * b} rows need {2 * b * d}.", nameof(gradient));
            if (_metric == SimilarityMetric.Euclidean && d == 2) unitGatherTable = table;
            else
            {
                // Only the planar units read edges themselves: the other paths get the targets spelled out once.
                if (edges != null) targets = UnpackEdges(edges, edgeStart, b);
                edges = null;
                Gather(table, targets!, 2 * b, d, features, threads);
            }
        }
        float tauEff = MathF.Max(temperature, TemperatureFloor);
        bool floored = temperature < TemperatureFloor;
        // κ = τ₀/base with the run's initial τ₀, a constant even when τ is learned (as the reference computes it). The
        // golden temperature-floor case pins down that κ uses the raw τ₀: only the exponent sees the floor.
        float kappa = (_kappaTemperature ?? temperature) / _baseTemperature;
        float c = _mode == LossMode.Nce ? MathF.Exp(logZ) * m : spec;
        return _mode switch
        {
            LossMode.Neg or LossMode.Nce => WithSimilarity(new EstimatorLoss(c, _clampLow, _clampHigh)),
            LossMode.Umap => WithSimilarity(new UmapLoss(_clampLow, _clampHigh)),
            LossMode.InfoNce => WithSimilarity(new InfoNceLoss(kappa, spec, _clampLow, _clampHigh, includePositive: true)),
            _ => WithSimilarity(new InfoNceLoss(kappa, spec, _clampLow, _clampHigh, includePositive: false)),
        };

        BatchLossResult WithSimilarity<TLoss>(TLoss loss) where TLoss : struct, IRowLoss
        {
            if (_metric == SimilarityMetric.Euclidean)
                return WithColumns(loss, new CauchySimilarity(features, d, _eps));
            Normalise(features, 2 * b, d);
            return WithColumns(loss, new CosineSimilarity(_unitRows, _inverseNorms, d, tauEff, floored));
        }

        BatchLossResult WithColumns<TLoss, TSim>(TLoss loss, TSim sim) where TLoss : struct, IRowLoss where TSim : struct, ISimilarity
        {
            BatchLossResult r;
            if (typeof(TSim) == typeof(CosineSimilarity) && typeof(TLoss) == typeof(InfoNceLoss) && columns == null && targets == null && edges == null && FullBatch(b)
                && CosineInfoNceBatch.Fits(b))
            {
                // SimCLR's case: every pair of the batch is a term, so the cosines and the gradient are matrix products.
                float scale = _aggregation == LossAggregation.Mean ? 1f / ((float)b * loss.TermsPerHead(m)) : 1f;
                _fullBatch ??= new CosineInfoNceBatch();
                var (total, tau) = _fullBatch.Run(Unsafe.As<TLoss, InfoNceLoss>(ref loss), _unitRows, _inverseNorms, b, d, tauEff, floored, scale, gradient, threads);
                r = new BatchLossResult(total * scale, 0, tau * scale, m);
            }
            else if (columns != null) r = Run(loss, sim, new GivenColumns(columns), b, d, m, seed, stream, gradient, threads, targets, unitGatherTable, edges, edgeStart, batchSpace);
            else if (FullBatch(b)) r = Run(loss, sim, new FullBatchNegatives(b), b, d, m, seed, stream, gradient, threads, targets, unitGatherTable, edges, edgeStart, batchSpace);
            else r = Run(loss, sim, new RandomNegatives(b), b, d, m, seed, stream, gradient, threads, targets, unitGatherTable, edges, edgeStart, batchSpace);
            // dℓ/dlog Z = c·dℓ/dc because c = Z·m. κ is a constant (τ₀/base), so τ reaches the loss only through q.
            double logZGrad = _mode == LossMode.Nce ? r.LogZGradient * c : 0;
            return r with { LogZGradient = logZGrad, LogTemperatureGradient = _metric == SimilarityMetric.Cosine ? r.LogTemperatureGradient : 0 };
        }
    }

    /// <summary>The targets of a batch given as packed edges: heads, then tails.</summary>
    private int[] UnpackEdges(long[] edges, int start, int b)
    {
        if (_unpacked.Length < 2 * b) _unpacked = new int[2 * b];
        for (int r = 0; r < b; r++)
        {
            long edge = edges[start + r];
            _unpacked[r] = (int)(edge >> 32);
            _unpacked[b + r] = (int)edge;
        }
        return _unpacked;
    }

    /// <summary>features[r] = table[targets[r]] for the first <paramref name="rows"/> rows.</summary>
    private static unsafe void Gather(float[] table, int[] targets, int rows, int d, float[] features, int threads)
    {
        if (features.Length < rows * d) throw new ArgumentException($"The feature buffer holds {features.Length} values; {rows} rows need {rows * d}.", nameof(features));
        fixed (float* f = features) EmbeddingTable.Gather(table, d, targets, rows, f, threads);
    }

    private void Normalise(float[] features, int rows, int d)
    {
        if (_unitRows.Length < rows * d) _unitRows = new float[rows * d];
        if (_inverseNorms.Length < rows) _inverseNorms = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = features.AsSpan(r * d, d);
            float norm = MathF.Max(MathF.Sqrt(TensorPrimitives.Dot(row, row)), 1e-12f);
            float inv = 1f / norm;
            _inverseNorms[r] = inv;
            TensorPrimitives.Multiply(row, inv, _unitRows.AsSpan(r * d, d));
        }
    }

    private BatchLossResult Run<TLoss, TSim, TColumns>(TLoss loss, TSim sim, TColumns columns, int b, int d, int m,
        ulong seed, ulong stream, float[] gradient, int threads, int[]? targets, float[]? unitGatherTable, long[]? edges, int edgeStart,
        bool batchSpace)
        where TLoss : struct, IRowLoss where TSim : struct, ISimilarity where TColumns : struct, INegativeColumns
    {
        // In batch space the targets (or edges) only say where the rows come from; the gradient stays per batch row.
        bool byTarget = (targets != null || edges != null) && !batchSpace;
        int[]? accumulateTargets = byTarget ? targets : null;
        int unitCount = Math.Clamp((b + HeadsPerUnit - 1) / HeadsPerUnit, 1, MaxUnits);
        int perUnit = (b + unitCount - 1) / unitCount;
        int rows = 2 * b;
        // With targets every unit adds all its terms into a private buffer shaped like the gradient; otherwise heads
        // write their own rows and only the pushes onto negatives need the private 2b × d buffers.
        int span = byTarget ? gradient.Length : rows * d;
        for (int u = 0; u < unitCount; u++)
        {
            var unit = _units[u];
            if (unit.Accumulator.Length < span) unit.Accumulator = new float[span];
            if (unit.Q.Length < m + 1) { unit.Q = new float[m + 1]; unit.Dq = new float[m + 1]; unit.Columns = new int[m + 1]; }
        }
        ulong unitBase = SplitMix64.Mix(stream);
        bool planar = typeof(TSim) == typeof(CauchySimilarity) && d == 2;
        float eps = _eps;
        if (!byTarget && _accumulatorsDirty)
        {
            foreach (var unit in _units) Array.Clear(unit.Accumulator);
            _accumulatorsDirty = false;
        }
        int[]? record = RecordedColumns;
        Parallelism.For(unitCount, threads, u =>
        {
            // With targets each unit clears its own buffer here, on its own thread (the reduction only reads them):
            // clearing them in the reduction's ranges would hand half of every buffer to the other core each batch.
            if (byTarget) Array.Clear(_units[u].Accumulator, 0, span);
            var random = Xoshiro256.Create(seed, unitBase + (ulong)u);
            int first = u * perUnit, end = Math.Min(b, (u + 1) * perUnit);
            if (planar && unitGatherTable != null)
            {
                var own = _units[u].Rows;
                if (own.Length < 2 * rows) _units[u].Rows = own = new float[2 * rows];
                var unitTargets = targets;
                if (edges != null)
                {
                    unitTargets = _units[u].Targets;
                    if (unitTargets.Length < rows) _units[u].Targets = unitTargets = new int[rows];
                    unsafe { fixed (float* o = own) fixed (int* t = unitTargets) EmbeddingTable.GatherEdges(unitGatherTable, edges, edgeStart, b, o, t); }
                }
                else unsafe { fixed (float* o = own) EmbeddingTable.GatherRange(unitGatherTable, 2, targets!, 0, rows, o); }
                RunUnitCauchy2(loss, columns, _units[u], first, end, b, m, eps, random, own, gradient, byTarget ? unitTargets : null, record);
            }
            else if (planar) RunUnitCauchy2(loss, columns, _units[u], first, end, b, m, eps, random, features(sim), gradient, accumulateTargets, record);
            else RunUnit(loss, sim, columns, _units[u], first, end, b, d, m, random, gradient, accumulateTargets, record);
        });

        // Add the private buffers to the owned rows in unit order, then apply the aggregation's scale.
        float scale = _aggregation == LossAggregation.Mean ? 1f / ((float)b * loss.TermsPerHead(m)) : 1f;
        // With targets the gradient is a table that the optimiser steps next, in ranges of its own grain: the same
        // ranges here put each range's reduction and step on the same thread, so the sums stay in that core's cache.
        int grain = byTarget ? ParameterOptimizer.Grain : ReduceGrain;
        int reduceThreads = byTarget && span < 2 * ParameterOptimizer.Grain ? 1 : threads;
        if (byTarget) _accumulatorsDirty = true;
        Parallelism.ForRanges(span, grain, reduceThreads, (rangeStart, rangeEnd) =>
        {
            // Blocks small enough that the passes over the buffers find them in the first-level cache.
            for (int start = rangeStart; start < rangeEnd; start += ReduceBlock)
                ReduceBlockAt(start, Math.Min(rangeEnd, start + ReduceBlock));
        });

        void ReduceBlockAt(int start, int end)
        {
            var g = gradient.AsSpan(start, end - start);
            if (byTarget)
            {
                // g += scale · Σ_u A_u, the units' sum formed in unit order in a local block; the buffers are only read.
                Span<float> sum = stackalloc float[ReduceBlock];
                sum = sum[..(end - start)];
                _units[0].Accumulator.AsSpan(start, end - start).CopyTo(sum);
                for (int u = 1; u < unitCount; u++) TensorPrimitives.Add(sum, _units[u].Accumulator.AsSpan(start, end - start), sum);
                if (scale != 1f) TensorPrimitives.MultiplyAdd(sum, scale, g, g);
                else TensorPrimitives.Add(g, sum, g);
                return;
            }
            for (int u = 0; u < unitCount; u++)
            {
                // Cleared while still in cache: every accumulator is all zero between calls, so the units need not
                // clear their 2b × d buffers (a whole extra pass over memory) before they start.
                var accumulator = _units[u].Accumulator.AsSpan(start, end - start);
                TensorPrimitives.Add(g, accumulator, g);
                accumulator.Clear();
            }
            if (scale != 1f) TensorPrimitives.Multiply(g, scale, g);
        }
        double total = 0, spec = 0, tau = 0;
        for (int u = 0; u < unitCount; u++) { total += _units[u].Loss; spec += _units[u].Spec; tau += _units[u].Temperature; }
        return new BatchLossResult(total * scale, spec * scale, tau * scale, m);
    }

    private static float[] features<TSim>(TSim sim) => sim is CauchySimilarity c ? c.Features : [];

    /// <summary>
    /// The common case — Cauchy kernel, d = 2 — in blocks of heads, phase by phase: draw the columns, gather the pair
    /// differences, q for the whole block (SIMD), the row losses, the gradient coefficients (SIMD), then the head's own
    /// gradient and the pushes onto its negatives. Short independent loops let the CPU overlap many heads, where one
    /// head at a time is a single long dependency chain. Same arithmetic, order and random draws as
    /// <see cref="RunUnit{TLoss, TSim, TColumns}"/>, so both give bit-identical results — except that InfoNCE and
    /// NEG/NCE with sampled negatives first run whole groups of sixteen (AVX-512) and then eight heads in SIMD lanes
    /// (<see cref="PlanarInfoNceKernel"/>, <see cref="PlanarEstimatorKernel"/>): their negatives come from lane
    /// streams seeded by the unit's stream, with the same distribution but other values. So a CPU with AVX-512 draws
    /// other negatives than one without: the same seed gives the same embedding on the same kind of CPU.
    /// </summary>
    // AggressiveOptimization: the kernel runs a few hundred times per fit; tier-0/OSR code measured ~1.6× slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunUnitCauchy2<TLoss, TColumns>(TLoss loss, TColumns columns, Unit unit, int first, int end,
        int b, int m, float eps, Xoshiro256 random, float[] features, float[] gradient, int[]? targets, int[]? record)
        where TLoss : struct, IRowLoss where TColumns : struct, INegativeColumns
    {
        var acc = unit.Accumulator;
        int width = m + 1;
        int block = Math.Max(1, BlockEntries / width);
        int capacity = block * width;
        // The lane kernels keep their buffers in Dx and BlockColumns.
        int laneFloats = PlanarInfoNceKernel.ScratchFloats(m), laneInts = PlanarInfoNceKernel.ColumnInts(m);
        if (unit.BlockColumns.Length < Math.Max(capacity, laneInts) || unit.Dx.Length < Math.Max(capacity, laneFloats))
        {
            unit.BlockColumns = new int[Math.Max(capacity, laneInts)];
            unit.Dx = new float[Math.Max(capacity, laneFloats)];
            unit.Dy = new float[capacity];
            unit.BlockQ = new float[capacity];
            unit.BlockDq = new float[capacity];
        }
        double lossSum = 0;
        float spec = 0f;
        fixed (float* f = features, g = gradient, a = acc, dxp = unit.Dx, dyp = unit.Dy, qp = unit.BlockQ, dqp = unit.BlockDq)
        fixed (int* cp = unit.BlockColumns, tp = targets, rp = record)
        {
            // Sixteen heads per group where AVX-512 runs, then eight, then the scalar blocks for the rest. Without
            // negatives (m = 0) there is nothing to draw: the scalar blocks do the partners.
            bool infoNce = typeof(TLoss) == typeof(InfoNceLoss) && typeof(TColumns) == typeof(RandomNegatives) && m > 0;
            bool estimator = typeof(TLoss) == typeof(EstimatorLoss) && typeof(TColumns) == typeof(RandomNegatives) && m > 0
                && Unsafe.As<TLoss, EstimatorLoss>(ref loss).Low >= PlanarEstimatorKernel.MinimumClamp;
            if ((infoNce || estimator) && WideLanes.IsSupported)
            {
                var lanes = Xoshiro256WideLanes.Create(ref random);
                first = infoNce
                    ? PlanarInfoNceKernel.RunWide(Unsafe.As<TLoss, InfoNceLoss>(ref loss), first, end, b, m, eps, ref lanes, f, g, a, tp, dxp, cp, ref lossSum, rp)
                    : PlanarEstimatorKernel.RunWide(Unsafe.As<TLoss, EstimatorLoss>(ref loss), first, end, b, m, eps, ref lanes, f, g, a, tp, dxp, cp,
                        ref lossSum, ref spec, rp);
            }
            if ((infoNce || estimator) && PlanarInfoNceKernel.IsSupported && end - first >= PlanarInfoNceKernel.Lanes)
            {
                var lanes = Xoshiro256Lanes.Create(ref random);
                first = infoNce
                    ? PlanarInfoNceKernel.Run(Unsafe.As<TLoss, InfoNceLoss>(ref loss), first, end, b, m, eps, ref lanes, f, g, a, tp, dxp, cp, ref lossSum, rp)
                    : PlanarEstimatorKernel.Run(Unsafe.As<TLoss, EstimatorLoss>(ref loss), first, end, b, m, eps, ref lanes, f, g, a, tp, dxp, cp,
                        ref lossSum, ref spec, rp);
            }
            for (int h0 = first; h0 < end; h0 += block)
            {
                int heads = Math.Min(block, end - h0), entries = heads * width;
                for (int h = 0; h < heads; h++) columns.Fill(h0 + h, new Span<int>(cp + h * width, width), ref random);
                if (rp != null) new ReadOnlySpan<int>(cp, entries).CopyTo(new Span<int>(rp + h0 * width, entries));
                for (int h = 0; h < heads; h++)
                {
                    int i = h0 + h;
                    float hx = f[2 * i], hy = f[2 * i + 1];
                    int o = h * width;
                    for (int k = 0; k < width; k++)
                    {
                        int j = cp[o + k];
                        dxp[o + k] = hx - f[2 * j];
                        dyp[o + k] = hy - f[2 * j + 1];
                    }
                }
                CauchyQ(dxp, dyp, qp, entries, eps);
                for (int h = 0; h < heads; h++)
                    lossSum += loss.Row(new ReadOnlySpan<float>(qp + h * width, width), new Span<float>(dqp + h * width, width), ref spec);
                // dqp becomes the coefficient −2·dℓ/dq·q², dxp and dyp the contributions to the head.
                CauchyBackward(dxp, dyp, qp, dqp, entries);
                for (int h = 0; h < heads; h++)
                {
                    int i = h0 + h, o = h * width;
                    float vx = dxp[o], vy = dyp[o];
                    float gx = vx, gy = vy;
                    float* pp = tp != null ? a + 2 * tp[i + b] : g + 2 * (i + b);
                    if (tp != null) { pp[0] -= vx; pp[1] -= vy; }
                    else { pp[0] = -vx; pp[1] = -vy; }
                    for (int k = 1; k < width; k++)
                    {
                        vx = dxp[o + k];
                        vy = dyp[o + k];
                        gx += vx; gy += vy;
                        float* t = a + 2 * (tp != null ? tp[cp[o + k]] : cp[o + k]);
                        t[0] -= vx;
                        t[1] -= vy;
                    }
                    if (tp != null) { a[2 * tp[i]] += gx; a[2 * tp[i] + 1] += gy; }
                    else { g[2 * i] = gx; g[2 * i + 1] = gy; }
                }
            }
        }
        unit.Loss = lossSum;
        unit.Spec = spec;
        unit.Temperature = 0;
    }

    /// <summary>q = 1 / (eps + (dx·dx + dy·dy)), element-wise, in the scalar kernel's operation order.</summary>
    private static unsafe void CauchyQ(float* dx, float* dy, float* q, int count, float eps)
    {
        int e = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var ve = Vector256.Create(eps);
            var one = Vector256<float>.One;
            for (; e + Vector256<float>.Count <= count; e += Vector256<float>.Count)
            {
                var x = Vector256.Load(dx + e);
                var y = Vector256.Load(dy + e);
                Vector256.Store(one / (ve + (x * x + y * y)), q + e);
            }
        }
        for (; e < count; e++) q[e] = 1f / (eps + (dx[e] * dx[e] + dy[e] * dy[e]));
    }

    /// <summary>coef = −2·g·q·q (in that order); dx ← coef·dx, dy ← coef·dy.</summary>
    private static unsafe void CauchyBackward(float* dx, float* dy, float* q, float* dq, int count)
    {
        int e = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var minusTwo = Vector256.Create(-2f);
            for (; e + Vector256<float>.Count <= count; e += Vector256<float>.Count)
            {
                var qv = Vector256.Load(q + e);
                var coef = minusTwo * Vector256.Load(dq + e) * qv * qv;
                Vector256.Store(coef * Vector256.Load(dx + e), dx + e);
                Vector256.Store(coef * Vector256.Load(dy + e), dy + e);
            }
        }
        for (; e < count; e++)
        {
            float coef = -2f * dq[e] * q[e] * q[e];
            dx[e] *= coef;
            dy[e] *= coef;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunUnit<TLoss, TSim, TColumns>(TLoss loss, TSim sim, TColumns columns, Unit unit, int first, int end,
        int b, int d, int m, Xoshiro256 random, float[] gradient, int[]? targets, int[]? record)
        where TLoss : struct, IRowLoss where TSim : struct, ISimilarity where TColumns : struct, INegativeColumns
    {
        var acc = unit.Accumulator;
        var q = unit.Q.AsSpan(0, m + 1);
        var dq = unit.Dq.AsSpan(0, m + 1);
        var cols = unit.Columns.AsSpan(0, m + 1);
        ref float g = ref MemoryMarshal.GetArrayDataReference(gradient);
        ref float a = ref MemoryMarshal.GetArrayDataReference(acc);
        double lossSum = 0, tauSum = 0;
        float spec = 0f;
        for (int i = first; i < end; i++)
        {
            columns.Fill(i, cols, ref random);
            if (record != null) cols.CopyTo(record.AsSpan(i * (m + 1), m + 1));
            for (int k = 0; k <= m; k++) q[k] = sim.Q(i, cols[k]);
            lossSum += loss.Row(q, dq, ref spec);
            if (targets != null)
            {
                // Everything accumulates in the unit's buffer at the target rows (heads may repeat across units).
                ref float ti = ref Unsafe.Add(ref a, targets[i] * d);
                sim.Backward(i, cols[0], q[0], dq[0], ref ti, ref Unsafe.Add(ref a, targets[cols[0]] * d));
                for (int k = 1; k <= m; k++)
                    sim.Backward(i, cols[k], q[k], dq[k], ref ti, ref Unsafe.Add(ref a, targets[cols[k]] * d));
            }
            else
            {
                ref float gi = ref Unsafe.Add(ref g, i * d);
                ref float gp = ref Unsafe.Add(ref g, (i + b) * d);
                for (int t = 0; t < d; t++) { Unsafe.Add(ref gi, t) = 0f; Unsafe.Add(ref gp, t) = 0f; }
                sim.Backward(i, cols[0], q[0], dq[0], ref gi, ref gp);
                for (int k = 1; k <= m; k++)
                    sim.Backward(i, cols[k], q[k], dq[k], ref gi, ref Unsafe.Add(ref a, cols[k] * d));
            }
            if (typeof(TSim) == typeof(CosineSimilarity))
                for (int k = 0; k <= m; k++) tauSum += dq[k] * sim.LogTemperatureGradient(q[k]);
        }
        unit.Loss = lossSum;
        unit.Spec = spec;
        unit.Temperature = tauSum;
    }
}
