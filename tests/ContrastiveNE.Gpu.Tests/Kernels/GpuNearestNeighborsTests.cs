using ContrastiveNE.Data;
using ContrastiveNE.Gpu.Neighbors;
using ContrastiveNE.Gpu.Tests.Support;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Gpu.Tests.Kernels;

public class GpuNearestNeighborsTests
{
    [Fact]
    public void MatchesTheCpuExactSearchOnDigitsInSeveralBlocks()
    {
        var data = NpyFile.ReadMatrix(TestFiles.DigitsImages).Slice(0, 40);
        var expected = NearestNeighbors.Exact(data, 5);
        // 4·40·16 bytes: blocks of 16 queries, the last one partial.
        var actual = GpuNearestNeighbors.Exact(CpuAccelerator.Kernels, data, 5, blockBytes: 4L * 40 * 16);
        int same = 0;
        for (int i = 0; i < expected.Indices.Length; i++)
        {
            if (expected.Indices[i] == actual.Indices[i]) same++;
            Assert.Equal(expected.Distances[i], actual.Distances[i], 1e-3f * Math.Max(1f, expected.Distances[i]));
        }
        // Integer pixel data has exact ties, which either side may order differently only if distances tie exactly.
        Assert.True(same >= expected.Indices.Length * 0.98, $"{same} of {expected.Indices.Length} indices agree");
    }

    [Fact]
    public void RejectsKOutOfRangeNamingIt()
    {
        var data = new Matrix(3, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GpuNearestNeighbors.Exact(CpuAccelerator.Kernels, data, 3));
        Assert.Equal("k", e.ParamName);
    }
}
