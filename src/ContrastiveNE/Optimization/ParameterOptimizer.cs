using System.Numerics.Tensors;
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
    private const float Beta1 = 0.9f, Beta2 = 0.999f, AdamEps = 1e-8f;

    private readonly OptimizerKind _kind;
    private readonly float _momentum, _weightDecay;
    private readonly float[]?[] _first, _second;
    private readonly int[] _steps;

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
}
