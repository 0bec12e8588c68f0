using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;

namespace ContrastiveNE.Tests.Embedding;

public class ResolvedSpectrumTests
{
    private const int N = 10_000;

    private static double NegSpecAt(double s)
    {
        double zTsne = 100.0 * N, zUmap = (double)N * N / 5;
        return 5 * zTsne * Math.Pow(zUmap / zTsne, s) / ((double)N * N);
    }

    [Fact]
    public void NegWithNothingGivenUsesNegSpecOneWithoutAnEarlyPhase()
    {
        var r = ResolvedSpectrum.Resolve(new CneOptions { Loss = LossMode.Neg }, N);
        Assert.Equal((1.0, (double?)null, 0), (r.Value, r.EarlyValue, r.EarlyEpochs));
    }

    [Fact]
    public void NegSOverridesZBarWhichOverridesNegSpec()
    {
        var o = new CneOptions { Loss = LossMode.Neg, S = 0, ZBar = 1e6, NegSpec = 3 };
        var r = ResolvedSpectrum.Resolve(o, N);
        Assert.Equal(NegSpecAt(0), r.Value, 12);   // 5·100n/n² = 500/n
        Assert.Equal(NegSpecAt(1), r.EarlyValue!.Value, 12); // = 1 at s = 1
        Assert.Equal(1.0, r.EarlyValue!.Value, 12);
        Assert.Equal(66, r.EarlyEpochs);
        var z = ResolvedSpectrum.Resolve(o with { S = null }, N);
        Assert.Equal(5 * 1e6 / ((double)N * N), z.Value, 15);
        Assert.Null(z.EarlyValue);
        Assert.Equal(3.0, ResolvedSpectrum.Resolve(o with { S = null, ZBar = null }, N).Value);
    }

    [Fact]
    public void InfoNceDefaultsToSZeroWithEarlyExaggerationAtSOne()
    {
        var r = ResolvedSpectrum.Resolve(new CneOptions(), N);
        Assert.Equal((1.0, (double?)4.0, 66, (double?)0.0), (r.Value, r.EarlyValue, r.EarlyEpochs, r.S));
        var s = ResolvedSpectrum.Resolve(new CneOptions { S = 1.5, InceSpec = 9 }, N);
        Assert.Equal(Math.Pow(4, 1.5), s.Value, 12);
        Assert.Equal(Math.Pow(4, 1.5), s.EarlyValue!.Value, 12); // max(s, 1) = s
        var rho = ResolvedSpectrum.Resolve(new CneOptions { InceSpec = 9 }, N);
        Assert.Equal((9.0, (double?)null), (rho.Value, rho.EarlyValue));
    }

    [Fact]
    public void LargerSMeansMoreAttraction()
    {
        double last = 0;
        foreach (double s in new[] { -0.5, 0, 0.3, 0.7, 1, 1.5 })
        {
            double c = ResolvedSpectrum.Resolve(new CneOptions { Loss = LossMode.Neg, S = s }, N).Value;
            Assert.True(c > last);
            last = c;
        }
    }

    [Fact]
    public void EarlyExaggerationIsOffForNceAndWhenSwitchedOff()
    {
        Assert.Null(ResolvedSpectrum.Resolve(new CneOptions { Loss = LossMode.Nce }, N).EarlyValue);
        Assert.Null(ResolvedSpectrum.Resolve(new CneOptions { EarlyExaggeration = false }, N).EarlyValue);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(1)]
    public void ZBarUmapIsNSquaredOverFiveWhateverM(int m)
    {
        // The reference's Z̄_umap = n²/5 for every m, so s = 1 gives neg_spec = m/5 (it was n²/m, i.e. 1, before).
        var o = new CneOptions { Loss = LossMode.Neg, NegativeSamples = m };
        Assert.Equal(m / 5.0, ResolvedSpectrum.Resolve(o with { S = 1 }, N).Value, 12);
        Assert.Equal(m * 100.0 / N, ResolvedSpectrum.Resolve(o with { S = 0 }, N).Value, 12);
        double zBar = 100.0 * N * Math.Pow((double)N * N / 5 / (100.0 * N), 0.4);
        Assert.Equal(m * zBar / ((double)N * N), ResolvedSpectrum.Resolve(o with { S = 0.4 }, N).Value, 12);
    }

    [Fact]
    public void TheScheduleGivesTheEarlyValueForTheFirstThirdOnly()
    {
        var schedule = ResolvedSpectrum.Resolve(new CneOptions { Epochs = 9 }, N).Schedule;
        Assert.Equal([4.0, 4.0, 4.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], Enumerable.Range(0, 9).Select(schedule.At));
        var none = ResolvedSpectrum.Resolve(new CneOptions { Epochs = 9, EarlyExaggeration = false }, N).Schedule;
        Assert.All(Enumerable.Range(0, 9), e => Assert.Equal(1.0, none.At(e)));
    }
}
