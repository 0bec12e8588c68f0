using System.Runtime.CompilerServices;

namespace ContrastiveNE.Neighbors;

/// <summary>
/// One bounded max-heap of k candidate neighbours per point, stored flat (n × k indices, squared distances and
/// "new" flags), the working state of NN-descent.
/// </summary>
/// <remarks>
/// Entries are ordered by (distance, index) lexicographically, a total order, so a heap always holds the k
/// smallest distinct entries pushed into it whatever the order of the pushes: results cannot depend on how work
/// was scheduled. Empty slots hold index −1 at +∞. The point itself is never stored (excluded by index, so exact
/// duplicates at distance 0 stay neighbours).
/// </remarks>
internal sealed class NeighborHeaps
{
    public NeighborHeaps(int count, int k)
    {
        Count = count;
        K = k;
        Indices = new int[count * k];
        Distances = new float[count * k];
        Flags = new byte[count * k];
        Indices.AsSpan().Fill(-1);
        Distances.AsSpan().Fill(float.PositiveInfinity);
    }

    public int Count { get; }

    public int K { get; }

    /// <summary>Neighbour indices, n × k (heap order within a row until <see cref="SortRows"/>).</summary>
    public int[] Indices { get; }

    /// <summary>Squared distances matching <see cref="Indices"/>.</summary>
    public float[] Distances { get; }

    /// <summary>1 where the entry arrived since it was last sampled as a "new" candidate.</summary>
    public byte[] Flags { get; }

    /// <summary>The largest (worst) squared distance held by <paramref name="point"/>'s heap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Worst(int point) => Distances[point * K];

    /// <summary>The squared distance stored for neighbour <paramref name="neighbor"/> of <paramref name="point"/>, or −1 when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Find(int point, int neighbor)
    {
        var row = Indices.AsSpan(point * K, K);
        int at = row.IndexOf(neighbor);
        return at < 0 ? -1f : Distances[point * K + at];
    }

    /// <summary>
    /// Offers <paramref name="neighbor"/> at <paramref name="distance"/> to <paramref name="point"/>'s heap;
    /// true when it was inserted (it beats the worst entry and was not already present).
    /// </summary>
    public bool Push(int point, int neighbor, float distance, byte flag)
    {
        int k = K, offset = point * k;
        var dist = Distances.AsSpan(offset, k);
        var idx = Indices.AsSpan(offset, k);
        if (!Less(distance, neighbor, dist[0], idx[0]) || neighbor == point) return false;
        if (idx.IndexOf(neighbor) >= 0) return false;
        var flags = Flags.AsSpan(offset, k);
        // Replace the root, then sift it down to restore the max-heap on (distance, index).
        int i = 0;
        while (true)
        {
            int left = 2 * i + 1;
            if (left >= k) break;
            int right = left + 1, child = left;
            if (right < k && Less(dist[left], idx[left], dist[right], idx[right])) child = right;
            if (!Less(distance, neighbor, dist[child], idx[child])) break;
            dist[i] = dist[child];
            idx[i] = idx[child];
            flags[i] = flags[child];
            i = child;
        }
        dist[i] = distance;
        idx[i] = neighbor;
        flags[i] = flag;
        return true;
    }

    /// <summary>Sorts every row by increasing (distance, index); the heap property is gone afterwards.</summary>
    public void SortRows(int threads)
    {
        Threading.Parallelism.ForRanges(Count, 1024, threads, (start, end) =>
        {
            for (int p = start; p < end; p++)
            {
                var dist = Distances.AsSpan(p * K, K);
                var idx = Indices.AsSpan(p * K, K);
                // Insertion sort: rows are short (k is tens) and the key is the (distance, index) pair.
                for (int a = 1; a < dist.Length; a++)
                {
                    float d = dist[a];
                    int j = idx[a], b = a - 1;
                    while (b >= 0 && Less(d, j, dist[b], idx[b]))
                    {
                        dist[b + 1] = dist[b];
                        idx[b + 1] = idx[b];
                        b--;
                    }
                    dist[b + 1] = d;
                    idx[b + 1] = j;
                }
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Less(float d1, int i1, float d2, int i2) => d1 < d2 || (d1 == d2 && (uint)i1 < (uint)i2);
}
