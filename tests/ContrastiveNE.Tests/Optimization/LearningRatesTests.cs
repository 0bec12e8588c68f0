using ContrastiveNE.Optimization;

namespace ContrastiveNE.Tests.Optimization;

public class LearningRatesTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(50, 0.75)]
    [InlineData(199, 0.005)]
    public void LinearAnnealsToZero(int epoch, double expected) =>
        Assert.Equal(expected, LearningRates.At(LearningRateSchedule.Linear, 1.0, 0.0, epoch, 200), 12);

    [Fact]
    public void LinearStopsAtTheMinimumFactor() =>
        Assert.Equal(0.2, LearningRates.At(LearningRateSchedule.Linear, 2.0, 0.1, 190, 200), 12);

    [Fact]
    public void CosineFollowsHalfACosine()
    {
        Assert.Equal(1.0, LearningRates.At(LearningRateSchedule.Cosine, 1.0, 0, 0, 100), 12);
        Assert.Equal(0.5, LearningRates.At(LearningRateSchedule.Cosine, 1.0, 0, 50, 100), 12);
        Assert.Equal((1 + Math.Cos(Math.PI * 0.9)) / 2, LearningRates.At(LearningRateSchedule.Cosine, 1.0, 0, 90, 100), 12);
    }

    [Fact]
    public void NoneIsConstant() => Assert.Equal(0.3, LearningRates.At(LearningRateSchedule.None, 0.3, 0, 77, 100));

    [Fact]
    public void WarmupRisesLinearlyThenTheScheduleSpansTheRest()
    {
        Assert.Equal(0.1, LearningRates.At(LearningRateSchedule.Linear, 1.0, 0, 0, 110, 10, 0.1), 12);
        Assert.Equal(0.1 + 0.9 * 5 / 10.0, LearningRates.At(LearningRateSchedule.Linear, 1.0, 0, 5, 110, 10, 0.1), 12);
        Assert.Equal(1.0, LearningRates.At(LearningRateSchedule.Linear, 1.0, 0, 10, 110, 10, 0.1), 12);
        Assert.Equal(0.5, LearningRates.At(LearningRateSchedule.Linear, 1.0, 0, 60, 110, 10, 0.1), 12);
    }
}
