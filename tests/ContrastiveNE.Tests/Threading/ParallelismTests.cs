using ContrastiveNE.Threading;

namespace ContrastiveNE.Tests.Threading;

public sealed class ParallelismTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(1000, 2)]
    [InlineData(37, 8)]
    public void EveryUnitRunsExactlyOnce(int count, int threads)
    {
        var hits = new int[count];
        for (int repeat = 0; repeat < 50; repeat++)
            Parallelism.For(count, threads, u => Interlocked.Increment(ref hits[u]));
        Assert.All(hits, h => Assert.Equal(50, h));
    }

    [Fact]
    public void AnExceptionInAUnitReachesTheCallerUnwrapped()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            Parallelism.For(64, 2, u => { if (u == 17) throw new InvalidOperationException("unit 17"); }));
        Assert.Equal("unit 17", e.Message);
        // The team is usable again afterwards.
        int sum = 0;
        Parallelism.For(10, 2, u => Interlocked.Add(ref sum, u));
        Assert.Equal(45, sum);
    }

    [Fact]
    public void NestedAndConcurrentCallsComplete()
    {
        long total = 0;
        Parallel.For(0, 4, _ =>
            Parallelism.For(8, 2, outer =>
                Parallelism.For(8, 2, inner => Interlocked.Add(ref total, outer * 8 + inner))));
        Assert.Equal(4L * (63 * 64 / 2), total);
    }

    [Fact]
    public void RangesCoverTheCountWithoutOverlap()
    {
        var hits = new int[10_007];
        Parallelism.ForRanges(hits.Length, 1000, 2, (start, end) =>
        {
            for (int i = start; i < end; i++) hits[i]++;
        });
        Assert.All(hits, h => Assert.Equal(1, h));
    }
}
