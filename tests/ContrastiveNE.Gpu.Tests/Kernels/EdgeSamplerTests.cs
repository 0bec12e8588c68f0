using ContrastiveNE.Gpu.Kernels;

namespace ContrastiveNE.Gpu.Tests.Kernels;

public class EdgeSamplerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(1000)]
    [InlineData(4097)]
    public void PermutationVisitsEveryEdgeExactlyOnce(int edges)
    {
        int h = EdgeSampler.HalfBits(edges);
        var seen = new bool[edges];
        for (int pos = 0; pos < edges; pos++)
        {
            int e = EdgeSampler.Permute(pos, edges, h, 12345, 678);
            Assert.InRange(e, 0, edges - 1);
            Assert.False(seen[e], $"edge {e} visited twice");
            seen[e] = true;
        }
    }

    [Fact]
    public void DifferentEpochKeysGiveDifferentOrders()
    {
        const int edges = 1000;
        int h = EdgeSampler.HalfBits(edges);
        int same = 0, fixedPoints = 0;
        for (int pos = 0; pos < edges; pos++)
        {
            int a = EdgeSampler.Permute(pos, edges, h, 1, 2), b = EdgeSampler.Permute(pos, edges, h, 3, 2);
            if (a == b) same++;
            if (a == pos) fixedPoints++;
        }
        // A random permutation agrees with another at ~1 position and has ~1 fixed point.
        Assert.True(same < 10, $"{same} equal positions");
        Assert.True(fixedPoints < 10, $"{fixedPoints} fixed points");
    }
}
