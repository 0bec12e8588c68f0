using ContrastiveNE.Data;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Metrics;

/// <summary>
/// Exact k-nearest-neighbour queries by brute force with double-precision distances, for the low-dimensional
/// embeddings the metrics look at (there a scan costs a few operations per point and beats building an index).
/// Ties in distance go to the smaller index, as in <see cref="Neighbors.KnnResult"/>.
/// </summary>
internal static class BruteForceNeighbors
{
    /// <summary>
    /// For each query row q (row <c>queryRows[q]</c> of <paramref name="queries"/>, or row q when null), its k nearest rows of
    /// <paramref name="reference"/>, returned as a row-major count × k table. With <paramref name="excludeSelf"/>,
    /// the queries are rows of the reference and each skips its own index.
    /// </summary>
    public static int[] Search(Matrix reference, Matrix queries, int[]? queryRows, int k, bool excludeSelf, int threads)
    {
        int count = queryRows?.Length ?? queries.Rows;
        var indices = new int[count * k];
        Parallelism.ForRanges(count, 64, threads, (start, end) =>
        {
            var bestDistance = new double[k];
            var bestIndex = new int[k];
            for (int q = start; q < end; q++)
            {
                int row = queryRows?[q] ?? q;
                Nearest(reference, queries.Row(row), excludeSelf ? row : -1, bestDistance, bestIndex);
                bestIndex.CopyTo(indices, q * k);
            }
        });
        return indices;
    }

    private static void Nearest(Matrix reference, ReadOnlySpan<float> query, int exclude, double[] bestDistance, int[] bestIndex)
    {
        int k = bestIndex.Length, dim = reference.Columns, filled = 0;
        // Chunk by chunk (one chunk, the whole buffer, for a contiguous matrix), rows in index order.
        for (int chunk = 0; chunk < reference.ChunkCount; chunk++)
        {
            ReadOnlySpan<float> data = reference.Chunk(chunk);
            int first = chunk * reference.RowsPerChunk;
            int end = first + (dim == 0 ? reference.Rows : data.Length / dim);
            for (int j = first; j < end; j++)
            {
                if (j == exclude) continue;
                double s = 0;
                int o = (j - first) * dim;
                for (int c = 0; c < dim; c++)
                {
                    double t = (double)data[o + c] - query[c];
                    s += t * t;
                }
                // Sorted insertion into the k best so far; candidates arrive in index order, so a strict comparison
                // keeps the smaller index first among equal distances.
                if (filled == k && s >= bestDistance[k - 1]) continue;
                int p = filled < k ? filled++ : k - 1;
                while (p > 0 && bestDistance[p - 1] > s)
                {
                    bestDistance[p] = bestDistance[p - 1];
                    bestIndex[p] = bestIndex[p - 1];
                    p--;
                }
                bestDistance[p] = s;
                bestIndex[p] = j;
            }
        }
    }
}
