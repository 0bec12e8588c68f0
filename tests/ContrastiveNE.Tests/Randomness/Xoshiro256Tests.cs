using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Randomness;

public class Xoshiro256Tests
{
    [Fact]
    public void SameSeedAndStreamGiveSameSequence()
    {
        var a = Xoshiro256.Create(42, 7);
        var b = Xoshiro256.Create(42, 7);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void DifferentStreamsDiffer()
    {
        var a = Xoshiro256.Create(42, 0);
        var b = Xoshiro256.Create(42, 1);
        int equal = 0;
        for (int i = 0; i < 100; i++) if (a.NextUInt64() == b.NextUInt64()) equal++;
        Assert.Equal(0, equal);
    }

    [Fact]
    public void NextIntIsUniformAndInRange()
    {
        var g = Xoshiro256.Create(1);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[g.NextInt(7)]++;
        foreach (int c in counts) Assert.InRange(c, 9_500, 10_500);
    }

    [Fact]
    public void NextFloatIsInUnitInterval()
    {
        var g = Xoshiro256.Create(3);
        double sum = 0;
        for (int i = 0; i < 100_000; i++)
        {
            float f = g.NextFloat();
            Assert.InRange(f, 0f, 0.99999994f);
            sum += f;
        }
        Assert.InRange(sum / 100_000, 0.49, 0.51);
    }

    [Fact]
    public void ShuffleIsAPermutation()
    {
        var g = Xoshiro256.Create(5);
        var values = Enumerable.Range(0, 1000).ToArray();
        g.Shuffle<int>(values);
        Assert.NotEqual(Enumerable.Range(0, 1000), values);
        Assert.Equal(Enumerable.Range(0, 1000), values.Order());
    }
}
