using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Tests.Neighbors;

public class NeighborGraphTests
{
    [Fact]
    public void FromKnnIsSymmetricBinaryAndSorted()
    {
        // 0 → 1, 2; 1 → 0, 2; 2 → 3, 0; 3 → 2, 1
        int[] knn = [1, 2, 0, 2, 3, 0, 2, 1];
        var g = NeighborGraph.FromKnn(4, 2, knn);
        Assert.Equal([1, 2], g.Neighbors(0).ToArray());
        Assert.Equal([0, 2, 3], g.Neighbors(1).ToArray());
        Assert.Equal([0, 1, 3], g.Neighbors(2).ToArray());
        Assert.Equal([1, 2], g.Neighbors(3).ToArray());
        for (int i = 0; i < 4; i++)
            foreach (int j in g.Neighbors(i)) Assert.True(g.HasEdge(j, i));
        Assert.Equal(g.EdgeCount, g.EdgeHeads.Length);
        Assert.Equal(10, g.EdgeCount);
    }

    [Fact]
    public void AUsersEdgeListIsUsedAsGivenWithItsSelfLoops()
    {
        // Regression (issue 15, item 4): the reference trains on graph.tocsr() — directed as given, self-loops kept;
        // this was symmetrised and a self-loop rejected.
        var g = NeighborGraph.FromEdges(3, [0, 1, 0, 2], [1, 1, 1, 0]);
        Assert.Equal([1], g.Neighbors(0).ToArray());   // the repeated 0 → 1 is one edge, as in COO → CSR
        Assert.Equal([1], g.Neighbors(1).ToArray());   // the self-loop stays
        Assert.Equal([0], g.Neighbors(2).ToArray());
        Assert.Equal(3, g.EdgeCount);
        Assert.Equal([0, 1, 2], g.EdgeHeads);
        Assert.Equal([1, 1, 0], g.EdgeTails);
        var sym = NeighborGraph.FromEdges(3, [0, 1, 0, 2], [1, 1, 1, 0], symmetrize: true);
        Assert.Equal([1, 2], sym.Neighbors(0).ToArray());
        Assert.Equal([0, 1], sym.Neighbors(1).ToArray());
        Assert.Equal([0], sym.Neighbors(2).ToArray());
    }

    [Fact]
    public void FromEdgesRejectsOutOfRange()
    {
        var e = Assert.Throws<ArgumentException>(() => NeighborGraph.FromEdges(3, [0, 1], [1, 3]));
        Assert.Contains("outside [0, 3)", e.Message);
    }

    [Fact]
    public void FromCsrRejectsNonSquareOffsets()
    {
        var e = Assert.Throws<ArgumentException>(() => NeighborGraph.FromCsr(3, [0, 1, 2], [1, 0]));
        Assert.Equal("rowOffsets", e.ParamName);
    }

    [Fact]
    public void FromCsrSymmetrisesAndMergesDuplicatesOnlyWhenAsked()
    {
        var g = NeighborGraph.FromCsr(3, [0, 2, 2, 3], [1, 1, 0], symmetrize: true);
        Assert.Equal([1, 2], g.Neighbors(0).ToArray());
        Assert.Equal([0], g.Neighbors(1).ToArray());
        Assert.Equal([0], g.Neighbors(2).ToArray());
        // As given: every stored entry is a directed edge (the repeated one too), nothing mirrored, self-loops kept.
        var given = NeighborGraph.FromCsr(3, [0, 2, 3, 4], [1, 1, 1, 0]);
        Assert.Equal([1, 1], given.Neighbors(0).ToArray());
        Assert.Equal([1], given.Neighbors(1).ToArray());
        Assert.Equal([0], given.Neighbors(2).ToArray());
        Assert.Equal(4, given.EdgeCount);
    }
}
