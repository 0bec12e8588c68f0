using ContrastiveNE.Gpu.Tests.Support;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Tests.Kernels;

public class KnnKernelTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(40, 5, 3, 40)]
    [InlineData(57, 19, 6, 20)]
    public void TopKMatchesBruteForceWithDuplicatesAndSelfExcluded(int n, int dim, int k, int block)
    {
        var rng = new Random(n + dim);
        // Integer coordinates on a small grid give many duplicates and exact ties; rows 0 and 1 are identical.
        float[] data = Enumerable.Range(0, n * dim).Select(_ => (float)rng.Next(0, 3)).ToArray();
        if (n > 1) Array.Copy(data, 0, data, dim, dim);
        k = Math.Min(k, Math.Max(1, n - 1));

        var acc = CpuAccelerator.Instance.Accelerator;
        using var dData = acc.Allocate1D(data);
        using var dist = acc.Allocate1D<float>((long)n * block);
        using var idx = acc.Allocate1D<int>((long)n * k);
        using var dd = acc.Allocate1D<float>((long)n * k);
        for (int start = 0; start < n; start += block)
        {
            int q = Math.Min(block, n - start);
            CpuAccelerator.Kernels.Distances(dData.View, n, dim, start, q, dist.View);
            CpuAccelerator.Kernels.TopK(dist.View, n, start, q, k, idx.View, dd.View);
        }
        acc.Synchronize();
        int[] gotIdx = idx.GetAsArray1D();
        float[] gotDist = dd.GetAsArray1D();

        for (int i = 0; i < n; i++)
        {
            // Brute force: by distance, ties by index, self excluded.
            var order = Enumerable.Range(0, n).Where(j => j != i)
                .Select(j => (j, d: Math.Sqrt(Enumerable.Range(0, dim).Sum(c => Math.Pow(data[i * dim + c] - data[j * dim + c], 2)))))
                .OrderBy(t => t.d).ThenBy(t => t.j).Take(k).ToArray();
            if (n == 1) { Assert.Equal(-1, gotIdx[0]); continue; }
            for (int t = 0; t < k; t++)
            {
                Assert.Equal(order[t].j, gotIdx[i * k + t]);
                Assert.Equal(order[t].d, gotDist[i * k + t], 5);
            }
        }
        if (n > 1) Assert.Equal(1, gotIdx[0]); // the duplicate of row 0 is its nearest neighbour, at distance 0
    }
}
