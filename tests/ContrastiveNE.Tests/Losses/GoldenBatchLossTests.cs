namespace ContrastiveNE.Tests.Losses;

public class GoldenBatchLossTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in GoldenCase.Cases) data.Add(c.Name);
        return data;
    }

    [Fact]
    public void GoldenFileHoldsEveryModeAndMetric()
    {
        Assert.Equal(24, GoldenCase.Cases.Count);
        foreach (var mode in Enum.GetValues<ContrastiveNE.Losses.LossMode>())
            Assert.Contains(GoldenCase.Cases, c => c.Mode == mode);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void LossAndGradientMatchTheReference(string name)
    {
        var c = GoldenCase.Named(name);
        var (result, gradient) = c.Evaluate();
        Assert.True(Math.Abs(result.Loss - c.Loss) <= 1e-4 * Math.Abs(c.Loss) + 1e-6,
            $"{name}: loss {result.Loss} vs reference {c.Loss}");
        double scale = c.Gradient.Max(Math.Abs);
        for (int i = 0; i < gradient.Length; i++)
            Assert.True(Math.Abs(gradient[i] - c.Gradient[i]) <= 1e-4 * Math.Abs(c.Gradient[i]) + 2e-5 * scale,
                $"{name}: d loss / d F[{i / c.Dimension}, {i % c.Dimension}] = {gradient[i]} vs reference {c.Gradient[i]}");
        if (c.LogZGradient is { } gz)
            Assert.True(Math.Abs(result.LogZGradient - gz) <= 1e-4 * Math.Abs(gz) + 1e-6,
                $"{name}: d loss / d log Z = {result.LogZGradient} vs reference {gz}");
    }
}
