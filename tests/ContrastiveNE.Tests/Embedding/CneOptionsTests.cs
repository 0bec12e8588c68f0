using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Optimization;

namespace ContrastiveNE.Tests.Embedding;

public class CneOptionsTests
{
    public static TheoryData<string, CneOptions> InvalidOptions() => new()
    {
        { nameof(CneOptions.Loss), new CneOptions { Loss = (LossMode)99 } },
        { nameof(CneOptions.Metric), new CneOptions { Metric = (SimilarityMetric)99 } },
        { nameof(CneOptions.S), new CneOptions { S = double.NaN } },
        { nameof(CneOptions.ZBar), new CneOptions { ZBar = 0 } },
        { nameof(CneOptions.NegSpec), new CneOptions { NegSpec = -1 } },
        { nameof(CneOptions.InceSpec), new CneOptions { InceSpec = double.PositiveInfinity } },
        { nameof(CneOptions.NegativeSamples), new CneOptions { NegativeSamples = 0, Loss = LossMode.Nce } },
        { nameof(CneOptions.NegativeSamples), new CneOptions { NegativeSamples = 0, Loss = LossMode.InfoNceAlt } },
        { nameof(CneOptions.NegativeSamples), new CneOptions { NegativeSamples = 0, Loss = LossMode.Neg, S = 0.5 } },
        { nameof(CneOptions.NegativeSamples), new CneOptions { NegativeSamples = -2 } },
        { nameof(CneOptions.BatchSize), new CneOptions { BatchSize = 0 } },
        { nameof(CneOptions.Epochs), new CneOptions { Epochs = -1 } },
        { nameof(CneOptions.LearningRate), new CneOptions { LearningRate = 0 } },
        { nameof(CneOptions.Schedule), new CneOptions { Schedule = (LearningRateSchedule)7 } },
        { nameof(CneOptions.LrMinFactor), new CneOptions { LrMinFactor = 1.5 } },
        { nameof(CneOptions.WarmupEpochs), new CneOptions { WarmupEpochs = 200 } },
        { nameof(CneOptions.WarmupLearningRate), new CneOptions { WarmupLearningRate = -0.1 } },
        { nameof(CneOptions.Optimizer), new CneOptions { Optimizer = (OptimizerKind)5 } },
        { nameof(CneOptions.Momentum), new CneOptions { Momentum = 1 } },
        { nameof(CneOptions.WeightDecay), new CneOptions { WeightDecay = -1 } },
        { nameof(CneOptions.ClipValue), new CneOptions { ClipValue = 0 } },
        { nameof(CneOptions.Aggregation), new CneOptions { Aggregation = (LossAggregation)3 } },
        { nameof(CneOptions.Eps), new CneOptions { Eps = -1e-3 } },
        { nameof(CneOptions.Eps), new CneOptions { Eps = double.PositiveInfinity } },
        { nameof(CneOptions.InitialZ), new CneOptions { InitialZ = 0 } },
        { nameof(CneOptions.Temperature), new CneOptions { Temperature = -0.5 } },
        { nameof(CneOptions.LearnableTemperature), new CneOptions { LearnableTemperature = true } },
        { nameof(CneOptions.BaseTemperature), new CneOptions { BaseTemperature = 0 } },
        { nameof(CneOptions.ClampLow), new CneOptions { ClampLow = double.NaN } },
        { nameof(CneOptions.ClampHigh), new CneOptions { ClampLow = 0.5, ClampHigh = 0.1 } },
        { nameof(CneOptions.K), new CneOptions { K = 0 } },
        { nameof(CneOptions.KnnMethod), new CneOptions { KnnMethod = (KnnMethod)42 } },
        { nameof(CneOptions.KnnMetric), new CneOptions { KnnMetric = (DistanceMetric)42 } },
        { nameof(CneOptions.Dimensions), new CneOptions { Dimensions = 0 } },
        { nameof(CneOptions.SaveFrequency), new CneOptions { SaveFrequency = 0 } },
        { nameof(CneOptions.HiddenLayers), new CneOptions { HiddenLayers = [100, 0] } },
        { nameof(CneOptions.Preset), new CneOptions { Preset = (CnePreset)9 } },
        { nameof(CneOptions.KnnPcaComponents), new CneOptions { KnnPcaComponents = -1 } },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void EachInvalidOptionIsNamedBeforeAnyWork(string option, CneOptions options)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new Cne(options));
        Assert.Equal(option, e.ParamName);
    }

    [Fact]
    public void DefaultsAreTheReferencesDefaults()
    {
        var o = new CneOptions();
        o.Validate();
        Assert.Equal(LossMode.InfoNce, o.Loss);
        Assert.Equal(SimilarityMetric.Euclidean, o.Metric);
        Assert.Equal((15, 2, 5, 32768, 200, 0), (o.K, o.Dimensions, o.NegativeSamples, o.BatchSize, o.Epochs, o.Seed));
        Assert.Equal(1.0, o.EffectiveLearningRate);
        Assert.Equal(0.001, (o with { Parametric = true }).EffectiveLearningRate);
        Assert.Equal((OptimizerKind.Sgd, 0.0, 0.0), (o.Optimizer, o.Momentum, o.WeightDecay));
        Assert.Equal(LearningRateSchedule.Linear, o.Schedule);
        Assert.Equal(4.0, o.ClipValue);
        Assert.Equal((1.0, 0.5, LossAggregation.Sum, true), (o.Eps, o.Temperature, o.Aggregation, o.EarlyExaggeration));
        Assert.Equal((1e-4, 1.0), (o.EffectiveClampLow, o.EffectiveClampHigh));
        var cosine = o with { Metric = SimilarityMetric.Cosine };
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity), (cosine.EffectiveClampLow, cosine.EffectiveClampHigh));
    }

    [Fact]
    public void OptionsTheReferenceAcceptsAreAccepted()
    {
        // eps = 0 is UMAP's implicit similarity; no negatives is pure attraction where the loss still has a term.
        new CneOptions { Eps = 0 }.Validate();
        new CneOptions { NegativeSamples = 0 }.Validate();
        new CneOptions { NegativeSamples = 0, Loss = LossMode.Umap }.Validate();
        new CneOptions { NegativeSamples = 0, Loss = LossMode.Neg }.Validate();
        new CneOptions { NegativeSamples = 0, Loss = LossMode.Neg, NegSpec = 2 }.Validate();
        new CneOptions { Loss = LossMode.Nce, InitialZ = 50 }.Validate();
        Assert.Equal(1.0, new CneOptions().InitialZ);
    }
}
