using ContrastiveNE.Embedding;
using ContrastiveNE.Gpu.Kernels;
using ContrastiveNE.Losses;

namespace ContrastiveNE.Gpu.Training;

/// <summary>
/// How the device trainers turn <see cref="CneOptions"/> into kernel settings — in one place, so the non-parametric
/// and parametric loops cannot drift apart (and both match the CPU trainer's reading of the options).
/// </summary>
internal static class GpuTrainingSettings
{
    /// <summary>Learning rate of the learnable log Z (constant, not annealed), as on the CPU.</summary>
    public const float ScalarLearningRate = 0.001f;

    private const uint CounterTag = 0x434E4531; // "CNE1": separates this generator's key space from other users of the seed

    /// <summary>The Philox key of a run.</summary>
    public static (uint K0, uint K1) Key(CneOptions options) => (unchecked((uint)options.Seed), CounterTag);

    /// <summary>The epoch's Feistel key for the edge order.</summary>
    public static PhiloxBlock EpochKey(int epoch, (uint K0, uint K1) key) => Philox.Block((uint)epoch, 0, 0, 0x65646765u, key.K0, key.K1);

    /// <summary>The per-epoch part of the batch kernel's settings (the spectrum value may change at early exaggeration's end).</summary>
    public static BatchLossParams Loss(CneOptions o, int dim, double spectrum, (uint K0, uint K1) key)
    {
        var mode = o.Loss switch
        {
            LossMode.Neg => GpuLossMode.Neg,
            LossMode.Nce => GpuLossMode.Nce,
            LossMode.Umap => GpuLossMode.Umap,
            LossMode.InfoNce => GpuLossMode.InfoNce,
            _ => GpuLossMode.InfoNceAlt,
        };
        return new BatchLossParams
        {
            Dim = dim, Mode = (int)mode, Cosine = o.Metric == SimilarityMetric.Cosine ? 1 : 0,
            Spec = double.IsNaN(spectrum) ? 1f : (float)spectrum, Eps = MathF.Max((float)o.Eps, 1e-18f), // eps = 0 allowed: the CPU kernels' floor keeps q finite
            // κ = τ₀/base with the run's initial τ₀ (docs/method.md §2.4).
            Tau = (float)Math.Max(o.Temperature, 0.02), Kappa = (float)(o.Temperature / o.BaseTemperature),
            ClampLow = (float)o.EffectiveClampLow, ClampHigh = (float)o.EffectiveClampHigh, KeyLo = key.K0, KeyHi = key.K1,
        };
    }

    /// <summary>The per-batch part: b heads, m = min(negatives, 2b − 2) or the full batch, the mean's divisor, a fresh counter.</summary>
    public static BatchLossParams Batch(BatchLossParams template, CneOptions o, int b, uint counter, int slot)
    {
        var p = template;
        bool full = o.NegativeSamples < 0 || o.NegativeSamples >= 2 * b - 2;
        p.Batch = b;
        p.Negatives = full ? 2 * b - 2 : o.NegativeSamples;
        p.Source = (int)(full ? GpuNegativeSource.FullBatch : GpuNegativeSource.Sampled);
        p.Scale = o.Aggregation == LossAggregation.Mean ? 1f / ((float)b * (p.Mode >= (int)GpuLossMode.InfoNce ? 1 : p.Negatives + 1)) : 1f;
        p.BatchCounter = counter;
        p.LossSlot = slot;
        return p;
    }

    /// <summary>One optimiser step's scalars (PyTorch's Adam constants; step counts from 1 within a run).</summary>
    public static OptimizerParams Optimizer(CneOptions o, float lr, int step) => new()
    {
        LearningRate = lr,
        Clip = o.ClipValue is { } c ? (float)c : float.PositiveInfinity,
        Momentum = (float)o.Momentum,
        WeightDecay = (float)o.WeightDecay,
        Beta1 = 0.9f, Beta2 = 0.999f, AdamEps = 1e-8f,
        BiasCorrection1 = 1f - MathF.Pow(0.9f, step),
        BiasCorrection2Sqrt = MathF.Sqrt(1f - MathF.Pow(0.999f, step)),
    };
}
