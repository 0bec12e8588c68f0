using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Training;

namespace ContrastiveNE.Tests.Training;

public class KnnEdgeSourceTests
{
    private static NeighborGraph Ring(int n, int reach)
    {
        var heads = new List<int>();
        var tails = new List<int>();
        for (int i = 0; i < n; i++)
            for (int r = 1; r <= reach; r++) { heads.Add(i); tails.Add((i + r) % n); }
        return NeighborGraph.FromEdges(n, heads.ToArray(), tails.ToArray(), symmetrize: true);
    }

    private static List<(int, int)> Epoch(KnnEdgeSource source, int epoch)
    {
        var batch = new PairBatch();
        var pairs = new List<(int, int)>();
        for (int t = 0; t < source.BatchesPerEpoch; t++)
        {
            source.Fill(epoch, t, batch);
            if (t < source.BatchesPerEpoch - 1) Assert.Equal(source.BatchSize, batch.Size);
            for (int r = 0; r < batch.Size; r++) pairs.Add((batch.Items![r], batch.Items[batch.Size + r]));
        }
        return pairs;
    }

    [Fact]
    public void AnEpochServesEveryDirectedEdgeOnceAndTheLastBatchIsShorter()
    {
        var graph = Ring(50_000, 2); // 200,000 directed edges: several shuffle chunks
        var source = new KnnEdgeSource(graph, 30_000, seed: 4, threads: 2);
        Assert.Equal(7, source.BatchesPerEpoch);
        var pairs = Epoch(source, 0);
        var expected = Enumerable.Range(0, graph.EdgeCount).Select(e => (graph.EdgeHeads[e], graph.EdgeTails[e])).Order().ToList();
        Assert.Equal(expected, pairs.Order().ToList());
    }

    [Fact]
    public void PackedEdgesAreTheBatchesFillSpellsOut()
    {
        var graph = Ring(20_000, 2);
        var packed = new KnnEdgeSource(graph, 7_000, seed: 3, threads: 2);
        var filled = new KnnEdgeSource(graph, 7_000, seed: 3, threads: 2);
        var batch = new PairBatch();
        for (int epoch = 0; epoch < 2; epoch++)
            for (int t = 0; t < packed.BatchesPerEpoch; t++)
            {
                var edges = packed.Edges(epoch, t, out int start, out int count);
                filled.Fill(epoch, t, batch);
                Assert.Equal(batch.Size, count);
                Assert.Equal(t * 7_000, start);
                for (int r = 0; r < count; r++)
                {
                    Assert.Equal(batch.Items![r], (int)(edges[start + r] >> 32));
                    Assert.Equal(batch.Items[count + r], (int)edges[start + r]);
                }
            }
        Assert.Throws<ArgumentOutOfRangeException>(() => packed.Edges(0, packed.BatchesPerEpoch, out _, out _));
    }

    [Fact]
    public void BatchesDoNotDependOnTheOrderTheyAreAskedFor()
    {
        var graph = Ring(40_000, 3);
        var inOrder = new KnnEdgeSource(graph, 5_000, seed: 8, threads: 2);
        var backwards = new KnnEdgeSource(graph, 5_000, seed: 8, threads: 1);
        var expected = new List<long[]>();
        for (int t = 0; t < inOrder.BatchesPerEpoch; t++)
        {
            var edges = inOrder.Edges(2, t, out int start, out int count);
            expected.Add(edges[start..(start + count)]);
        }
        for (int t = backwards.BatchesPerEpoch - 1; t >= 0; t--)
        {
            var edges = backwards.Edges(2, t, out int start, out int count);
            Assert.Equal(expected[t], edges[start..(start + count)]);
        }
    }

    [Fact]
    public void EpochsHaveFreshOrdersAndTheSameSeedRepeatsThemAtAnyThreadCount()
    {
        var graph = Ring(40_000, 2);
        var a = new KnnEdgeSource(graph, 10_000, seed: 1, threads: 1);
        var b = new KnnEdgeSource(graph, 10_000, seed: 1, threads: 2);
        var a0 = Epoch(a, 0);
        Assert.Equal(a0, Epoch(b, 0));
        var a1 = Epoch(a, 1);
        Assert.NotEqual(a0, a1);
        Assert.Equal(a1, Epoch(b, 1));
        Assert.NotEqual(a0, Epoch(new KnnEdgeSource(graph, 10_000, seed: 2, threads: 1), 0));
    }

    [Fact]
    public void TheOrderIsWellMixed()
    {
        // Position of each edge in the permutation vs its CSR index: a uniform shuffle leaves no correlation.
        var graph = Ring(30_000, 1);
        var source = new KnnEdgeSource(graph, graph.EdgeCount, seed: 0, threads: 1);
        var batch = new PairBatch();
        source.Fill(0, 0, batch);
        double n = batch.Size, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int r = 0; r < batch.Size; r++)
        {
            double x = r, y = batch.Items![r];
            sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
        }
        double corr = (n * sxy - sx * sy) / Math.Sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
        Assert.InRange(corr, -0.02, 0.02);
    }
}
