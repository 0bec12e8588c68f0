using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;
using ContrastiveNE.Models;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Optimization;

/// <summary>
/// Clips and applies gradients to a fixed list of parameters with SGD (momentum, weight decay) or Adam, as PyTorch's
/// optimisers do on dense gradients, then zeroes the gradients for the next batch. State (momentum buffers, Adam's
/// moments and step count) lives here for a whole fit, early exaggeration included; a new instance starts fresh,
/// as the reference does for every fit (docs/method.md §3.2).
/// </summary>
internal sealed class ParameterOptimizer
{
    /// <summary>Elements per parallel range of a step (the loss reduces table gradients in the same ranges).</summary>
    internal const int Grain = 1 << 16;
    private const int Block = 2048;
    private const int PrefetchDistance = 32;
    private const float Beta1 = 0.9f, Beta2 = 0.999f, AdamEps = 1e-8f;

    private readonly OptimizerKind _kind;
    private readonly float _momentum, _weightDecay;
    private readonly float[]?[] _first, _second;
    private readonly int[] _steps;

    /// <summary>
    /// Whether <see cref="StepRows"/> gives this optimiser's dense step: plain SGD without momentum or weight decay,
    /// where a row without gradient does not move.
    /// </summary>
    public bool StepsRowsExactly => _kind == OptimizerKind.Sgd && _momentum == 0f && _weightDecay == 0f;

    public ParameterOptimizer(OptimizerKind kind, float momentum, float weightDecay, int parameterCount)
    {
        _kind = kind;
        _momentum = momentum;
        _weightDecay = weightDecay;
        _first = new float[parameterCount][];
        _second = new float[parameterCount][];
        _steps = new int[parameterCount];
    }

    /// <summary>
    /// One step of parameter number <paramref name="index"/>: clip every gradient entry to ±<paramref name="clip"/>
    /// (when given), add weight decay, update, zero the gradient. Element-wise, so splitting into ranges cannot change
    /// the result.
    /// </summary>
    public void Step(int index, Parameter parameter, float learningRate, float? clip, int threads)
    {
        int step = ++_steps[index];
        if (_kind == OptimizerKind.Sgd && _momentum != 0f) _first[index] ??= new float[parameter.Length];
        if (_kind == OptimizerKind.Adam)
        {
            _first[index] ??= new float[parameter.Length];
            _second[index] ??= new float[parameter.Length];
        }
        var first = _first[index];
        var second = _second[index];
        float bc1 = 1f - MathF.Pow(Beta1, step), bc2Sqrt = MathF.Sqrt(1f - MathF.Pow(Beta2, step));
        Parallelism.ForRanges(parameter.Length, Grain, parameter.Length >= 2 * Grain ? threads : 1, (rangeStart, rangeEnd) =>
        {
            // Blocks small enough that the successive element-wise passes find their operands in the first-level cache.
            for (int start = rangeStart; start < rangeEnd; start += Block)
                StepBlock(start, Math.Min(rangeEnd, start + Block));
        });

        void StepBlock(int start, int end)
        {
            var p = parameter.Value.AsSpan(start, end - start);
            var g = parameter.Gradient.AsSpan(start, end - start);
            if (clip is { } c) TensorPrimitives.Clamp(g, -c, c, g);
            if (_weightDecay != 0f) TensorPrimitives.MultiplyAdd(p, _weightDecay, g, g);
            if (_kind == OptimizerKind.Sgd)
            {
                if (first != null)
                {
                    // PyTorch: the buffer starts as the first gradient, then buf = μ·buf + g.
                    var buf = first.AsSpan(start, end - start);
                    if (step == 1) g.CopyTo(buf);
                    else TensorPrimitives.MultiplyAdd(buf, _momentum, g, buf);
                    TensorPrimitives.MultiplyAdd(buf, -learningRate, p, p);
                }
                else TensorPrimitives.MultiplyAdd(g, -learningRate, p, p);
            }
            else
            {
                var m = first!.AsSpan(start, end - start);
                var v = second!.AsSpan(start, end - start);
                float stepSize = learningRate / bc1;
                for (int i = 0; i < p.Length; i++)
                {
                    float gi = g[i];
                    m[i] = Beta1 * m[i] + (1f - Beta1) * gi;
                    v[i] = Beta2 * v[i] + (1f - Beta2) * gi * gi;
                    p[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / bc2Sqrt + AdamEps);
                }
            }
            g.Clear();
        }
    }

    /// <summary>
    /// The sparse form of a plain SGD step (no momentum, no weight decay) of a table whose gradient is given per batch
    /// row: row r of <paramref name="rowGradient"/> belongs to table row <paramref name="targets"/>[r]. The rows are
    /// summed per table row in batch order (so a row that occurs several times collects all its contributions before
    /// clipping, as in the dense step), then every touched table row is clipped, stepped and its gradient cleared. Rows
    /// the batch did not touch have zero gradient, which a dense step leaves unchanged, so this is the dense step up to
    /// the order of the float sums — with work proportional to the batch, not the table. The table rows are split
    /// among the threads in fixed blocks; each thread sums and steps only its own rows, in batch order, so the result is
    /// the same at any thread count. The parameter's gradient must be all zero on entry; it is again on exit.
    /// </summary>
    /// <param name="parameter">The n × d table (values and an n × d gradient scratch).</param>
    /// <param name="d">Values per row.</param>
    /// <param name="targets">The table row of each batch row.</param>
    /// <param name="rows">Batch rows (a prefix of <paramref name="targets"/>).</param>
    /// <param name="rowGradient">The batch's gradient, rows × d.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="clip">Clip of every (summed) gradient entry, or null.</param>
    /// <param name="threads">Threads (≤ 0: all processors).</param>
    public static void StepRows(Parameter parameter, int d, int[] targets, int rows, float[] rowGradient, float learningRate, float? clip, int threads)
    {
        if (rows > targets.Length || rowGradient.Length < (long)rows * d)
            throw new ArgumentException($"{rows} rows of {d} need {rows} targets and {(long)rows * d} gradient values.", nameof(rowGradient));
        int parts = rows >= 4096 ? Math.Min(Parallelism.Resolve(threads), MaxStepParts) : 1;
        Parallelism.For(parts, parts, part => StepOwnRows(parameter, d, targets, rows, rowGradient, learningRate, clip, part, parts));
    }

    /// <summary>Table rows are owned by threads in blocks of this many rows (whole cache lines of a 2-D table and more).</summary>
    private const int OwnerBlockShift = 6;
    private const int MaxStepParts = 8;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void StepOwnRows(Parameter parameter, int d, int[] targets, int rows, float[] rowGradient, float learningRate, float? clip,
        int part, int parts)
    {
        float low = clip is { } c ? -c : float.NegativeInfinity, high = clip is { } c2 ? c2 : float.PositiveInfinity;
        float minusRate = -learningRate;
        fixed (float* p = parameter.Value, g = parameter.Gradient, source = rowGradient)
        fixed (int* t = targets)
        {
            // The rows are scattered all over a table far larger than the cache: asking for the row a few dozen ahead
            // keeps many reads in flight (3–4× faster at 10⁶ rows than waiting for each).
            int ahead = rows - PrefetchDistance;
            // Pass 1: sum per table row, in batch order.
            for (int r = 0; r < rows; r++)
            {
                if (r < ahead && Sse.IsSupported) Sse.Prefetch0(g + (long)t[r + PrefetchDistance] * d);
                int target = t[r];
                if (parts > 1 && ((target >> OwnerBlockShift) % parts) != part) continue;
                float* gt = g + (long)target * d, sr = source + (long)r * d;
                if (d == 2)
                {
                    gt[0] += sr[0];
                    gt[1] += sr[1];
                }
                else
                    for (int k = 0; k < d; k++) gt[k] += sr[k];
            }
            // Pass 2: step each touched row once. A repeated row finds its gradient already cleared: a zero gradient
            // (clipped: still zero) moves nothing, so no deduplication is needed.
            for (int r = 0; r < rows; r++)
            {
                if (r < ahead && Sse.IsSupported)
                {
                    long next = (long)t[r + PrefetchDistance] * d;
                    Sse.Prefetch0(g + next);
                    Sse.Prefetch0(p + next);
                }
                int target = t[r];
                if (parts > 1 && ((target >> OwnerBlockShift) % parts) != part) continue;
                long o = (long)target * d;
                for (int k = 0; k < d; k++)
                {
                    float gv = Math.Clamp(g[o + k], low, high);
                    p[o + k] = gv * minusRate + p[o + k];
                    g[o + k] = 0f;
                }
            }
        }
    }
}
