using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Kernels;

/// <summary>
/// Exact kNN on the device, one block of queries at a time: a tiled kernel writes the block's squared distances to
/// every point, point-major (dist[j·Q + q]) so that in the selection kernel — one thread per query scanning all
/// points — neighbouring threads read neighbouring addresses.
/// </summary>
internal static class KnnKernels
{
    /// <summary>Points (and queries) per group side.</summary>
    public const int Tile = 8;

    /// <summary>Launch configuration for <paramref name="points"/> × <paramref name="queries"/>.</summary>
    public static KernelConfig DistanceConfig(int points, int queries) =>
        new(new Index2D((queries + Tile - 1) / Tile, (points + Tile - 1) / Tile), new Index2D(Tile, Tile));

    /// <summary>
    /// Squared Euclidean distances Σ (x_q − x_j)² accumulated directly (no ‖x‖² + ‖y‖² − 2x·y expansion, so
    /// duplicates come out exactly 0). Each group stages 8 query rows and 8 point rows, 8 features at a time.
    /// </summary>
    public static void Distances(ArrayView<float> data, int n, int dim, int queryStart, int queries, ArrayView<float> dist)
    {
        var qTile = SharedMemory.Allocate<float>(Tile * Tile);
        var pTile = SharedMemory.Allocate<float>(Tile * Tile);
        int tx = Group.IdxX, ty = Group.IdxY;
        int q = Grid.IdxX * Tile + tx;          // query within the block
        int j = Grid.IdxY * Tile + ty;          // point
        int qLoad = Grid.IdxX * Tile + ty;      // the query row this thread stages
        int jLoad = Grid.IdxY * Tile + ty;      // the point row this thread stages
        float s = 0f;
        for (int f0 = 0; f0 < dim; f0 += Tile)
        {
            int f = f0 + tx;
            qTile[ty * Tile + tx] = qLoad < queries && f < dim ? data[(long)(queryStart + qLoad) * dim + f] : 0f;
            pTile[ty * Tile + tx] = jLoad < n && f < dim ? data[(long)jLoad * dim + f] : 0f;
            Group.Barrier();
            for (int t = 0; t < Tile; t++)
            {
                float diff = qTile[tx * Tile + t] - pTile[ty * Tile + t];
                s += diff * diff;
            }
            Group.Barrier();
        }
        if (q < queries && j < n) dist[(long)j * queries + q] = s;
    }

    /// <summary>
    /// The k smallest distances of query q (its own row skipped by index), kept sorted in the output rows by
    /// insertion: a candidate enters only if strictly closer than the current k-th, so ties keep the smaller index.
    /// Writes Euclidean (not squared) distances.
    /// </summary>
    public static void TopK(Index1D index, ArrayView<float> dist, int n, int queries, int queryStart, int k,
        ArrayView<int> outIndex, ArrayView<float> outDist)
    {
        int q = index;
        long o = (long)(queryStart + q) * k;
        for (int t = 0; t < k; t++) { outIndex[o + t] = -1; outDist[o + t] = float.PositiveInfinity; }
        float worst = float.PositiveInfinity;
        int self = queryStart + q;
        for (int j = 0; j < n; j++)
        {
            if (j == self) continue;
            float v = dist[(long)j * queries + q];
            if (!(v < worst)) continue;
            int t = k - 1;
            while (t > 0 && v < outDist[o + t - 1])
            {
                outDist[o + t] = outDist[o + t - 1];
                outIndex[o + t] = outIndex[o + t - 1];
                t--;
            }
            outDist[o + t] = v;
            outIndex[o + t] = j;
            worst = outDist[o + k - 1];
        }
        for (int t = 0; t < k; t++) outDist[o + t] = XMath.Sqrt(outDist[o + t]);
    }
}
