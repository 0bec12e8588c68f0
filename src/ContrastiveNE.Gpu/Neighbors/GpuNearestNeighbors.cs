using ContrastiveNE.Data;
using ContrastiveNE.Neighbors;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Neighbors;

/// <summary>
/// Exact k-nearest-neighbour search on a device, for data that fits in its memory: the data is uploaded once, then
/// blocks of queries get their distances to every point (tiled kernel) and a per-query top-k pass
/// (<see cref="Kernels.KnnKernels"/>). Same contract as <c>NearestNeighbors.Exact</c>: self excluded by index,
/// ascending distance, ties by smaller index, Euclidean distances.
/// </summary>
internal static class GpuNearestNeighbors
{
    /// <summary>The k nearest neighbours of every row of <paramref name="data"/> among all its rows.</summary>
    /// <param name="kernels">The device's kernels.</param>
    /// <param name="data">n × D data, finite.</param>
    /// <param name="k">Neighbours per point, 1 ≤ k &lt; n.</param>
    /// <param name="blockBytes">Device memory for one block of distances (default 1 GiB); sets the queries per block.</param>
    public static KnnResult Exact(GpuKernels kernels, Matrix data, int k, long blockBytes = 1L << 30)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(data);
        int n = data.Rows, dim = data.Columns;
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {n - 1}] for {n} rows.");
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 4L * n, nameof(blockBytes));
        data.EnsureFinite(nameof(data));
        data.EnsureContiguous("the GPU kNN search", "Search on the CPU (NearestNeighbors, which works on chunked data) or on a projection of the data (--knn-pca 50).");
        var acc = kernels.Accelerator;
        int block = (int)Math.Min(n, blockBytes / (4L * n));
        using var points = acc.Allocate1D(data.Data);
        using var dist = acc.Allocate1D<float>((long)n * block);
        using var indices = acc.Allocate1D<int>((long)n * k);
        using var distances = acc.Allocate1D<float>((long)n * k);
        for (int start = 0; start < n; start += block)
        {
            int queries = Math.Min(block, n - start);
            kernels.Distances(points.View, n, dim, start, queries, dist.View);
            kernels.TopK(dist.View, n, start, queries, k, indices.View, distances.View);
        }
        acc.Synchronize();
        return new KnnResult(n, k, indices.GetAsArray1D(), distances.GetAsArray1D());
    }
}
