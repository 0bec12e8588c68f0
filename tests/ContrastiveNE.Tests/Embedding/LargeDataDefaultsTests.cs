using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;

namespace ContrastiveNE.Tests.Embedding;

/// <summary>The n-aware defaults above 100,000 rows (issue #18, docs/scaling.md).</summary>
public class LargeDataDefaultsTests
{
    [Fact]
    public void AtOrBelowTheThreshold_TheOptionsAreUnchanged()
    {
        var o = new CneOptions();
        Assert.Same(o, o.ForRows(70_000));
        Assert.Same(o, o.ForRows(CneOptions.LargeDataRows));
        Assert.Null(o.LargeDataNote(CneOptions.LargeDataRows));
        Assert.Equal(200, o.ForRows(CneOptions.LargeDataRows).Epochs);
        Assert.Equal(1.0, o.ForRows(CneOptions.LargeDataRows).EffectiveLearningRate);
        Assert.Equal(RepulsionMode.Sampled, o.ForRows(CneOptions.LargeDataRows).Repulsion);
    }

    [Fact]
    public void AboveIt_TheReferenceDefaultsSwitchToTheFftEngine()
    {
        var o = new CneOptions { Seed = 3 };
        var big = o.ForRows(1_000_000);
        Assert.Equal(RepulsionMode.Fft, big.Repulsion);
        Assert.Equal(CneOptions.LargeDataFftEpochs, big.Epochs);
        Assert.Equal(CneOptions.LargeDataFftEarlyEpochs, big.EarlyExaggerationEpochs);
        Assert.Equal(1_000_000 / 12.0, big.FftLearningRate(1_000_000), 9);
        Assert.Equal(3, big.Seed);
        Assert.Same(big, big.ForRows(1_000_000)); // now set: applying again changes nothing
        string note = o.LargeDataNote(1_000_000)!;
        Assert.Contains("FFT", note);
        Assert.Contains("--repulsion sampled", note);
        // Epochs and early exaggeration set explicitly are kept.
        var mine = new CneOptions { Epochs = 300, EarlyExaggerationEpochs = 100 }.ForRows(1_000_000);
        Assert.Equal(RepulsionMode.Fft, mine.Repulsion);
        Assert.Equal(300, mine.Epochs);
        Assert.Equal(100, mine.EarlyExaggerationEpochs);
    }

    [Fact]
    public void AboveIt_SampledNegatives_UnsetLearningRateAndEpochsFollowN()
    {
        // Repulsion set to Sampled explicitly keeps sampled negatives; lr and epochs then follow n.
        var o = new CneOptions { Repulsion = RepulsionMode.Sampled, Seed = 3 };
        var big = o.ForRows(1_000_000);
        Assert.Equal(RepulsionMode.Sampled, big.Repulsion);
        Assert.Equal(1_000_000 / 70_000.0, big.EffectiveLearningRate, 9);
        Assert.Equal(CneOptions.LargeDataEpochs, big.Epochs);
        Assert.Equal(3, big.Seed);
        Assert.Same(big, big.ForRows(1_000_000));
        string note = o.LargeDataNote(1_000_000)!;
        Assert.Contains("14.29", note);
        Assert.Contains($"{CneOptions.LargeDataEpochs} epochs", note);
    }

    [Fact]
    public void AnyOptionOfSampledNegatives_Or_AMapFftCannotDraw_KeepsSampledNegatives()
    {
        foreach (var o in new[]
        {
            new CneOptions { Loss = LossMode.InfoNce },
            new CneOptions { S = 0.0 },
            new CneOptions { NegativeSamples = 5 },
            new CneOptions { BatchSize = 4096 },
            new CneOptions { Dimensions = 3 },
            new CneOptions { Metric = SimilarityMetric.Cosine },
            new CneOptions { Device = ComputeDevice.Gpu },
        })
        {
            var big = o.ForRows(1_000_000);
            Assert.Equal(RepulsionMode.Sampled, big.Repulsion);
            Assert.Equal(CneOptions.LargeDataEpochs, big.Epochs);
        }
        var lr = new CneOptions { LearningRate = 2 }.ForRows(1_000_000);
        Assert.Equal(RepulsionMode.Sampled, lr.Repulsion);
        Assert.Equal(2, lr.EffectiveLearningRate);
        Assert.Equal(CneOptions.LargeDataEpochs, lr.Epochs);
    }

    [Fact]
    public void ExplicitValues_OtherPresets_ParametricAndFft_AreLeftAlone()
    {
        var both = new CneOptions { LearningRate = 2, Epochs = 7 };
        Assert.Same(both, both.ForRows(1_000_000));
        Assert.Null(both.LargeDataNote(1_000_000));
        foreach (var o in new[]
        {
            new CneOptions { Preset = CnePreset.Umap },
            new CneOptions { Preset = CnePreset.Tsne },
            new CneOptions { Parametric = true },
            new CneOptions { Repulsion = RepulsionMode.Fft },
        })
            Assert.Same(o, o.ForRows(1_000_000));
    }
}
