using ContrastiveNE.Embedding;

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
    }

    [Fact]
    public void AboveIt_UnsetLearningRateAndEpochsFollowN()
    {
        var o = new CneOptions { Seed = 3 };
        var big = o.ForRows(1_000_000);
        Assert.Equal(1_000_000 / 70_000.0, big.EffectiveLearningRate, 9);
        Assert.Equal(CneOptions.LargeDataEpochs, big.Epochs);
        Assert.Equal(3, big.Seed);
        Assert.Same(big, big.ForRows(1_000_000)); // now set: applying again changes nothing
        string note = o.LargeDataNote(1_000_000)!;
        Assert.Contains("14.29", note);
        Assert.Contains($"{CneOptions.LargeDataEpochs} epochs", note);
    }

    [Fact]
    public void ExplicitValues_OtherPresets_ParametricAndFft_AreLeftAlone()
    {
        var lr = new CneOptions { LearningRate = 2 }.ForRows(1_000_000);
        Assert.Equal(2, lr.EffectiveLearningRate);
        Assert.Equal(CneOptions.LargeDataEpochs, lr.Epochs);
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
