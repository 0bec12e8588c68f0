using ILGPU;

namespace ContrastiveNE.Gpu.Kernels;

/// <summary>
/// The epoch's edge order without a shuffle: position → edge through a keyed Feistel permutation of
/// [0, 4^h) ⊇ [0, edges), walking the cycle until the image falls inside (expected &lt; 4 steps, as 4^h &lt; 4·edges).
/// A bijection, so every directed edge is visited exactly once per epoch; the key (seed, epoch) makes each epoch's order
/// fresh and reproducible, and nothing is stored or uploaded.
/// </summary>
internal static class EdgeSampler
{
    /// <summary>The edge at position <paramref name="position"/> of the epoch with key (<paramref name="k0"/>, <paramref name="k1"/>).</summary>
    public static int Permute(int position, int edges, int halfBits, uint k0, uint k1)
    {
        uint mask = (1u << halfBits) - 1u;
        uint x = (uint)position;
        do
        {
            uint left = x >> halfBits, right = x & mask;
            for (uint round = 0; round < 4; round++)
            {
                uint f = Mix(right ^ (k0 + round * 0x9E3779B9u), k1 + round) & mask;
                uint next = left ^ f;
                left = right;
                right = next;
            }
            x = (left << halfBits) | right;
        }
        while (x >= (uint)edges);
        return (int)x;
    }

    /// <summary>The half width h of the Feistel domain for <paramref name="edges"/> items: the smallest h with 4^h ≥ edges.</summary>
    public static int HalfBits(int edges)
    {
        int h = 1;
        while ((1L << (2 * h)) < edges) h++;
        return h;
    }

    // A 32-bit avalanche (the murmur3 finaliser) keyed by k: the Feistel round function.
    private static uint Mix(uint x, uint k)
    {
        x ^= k;
        x ^= x >> 16; x *= 0x85EBCA6Bu;
        x ^= x >> 13; x *= 0xC2B2AE35u;
        x ^= x >> 16;
        return x;
    }

    /// <summary>
    /// Writes the batch's 2b table rows: rows[t] = head and rows[b + t] = tail of the edge at epoch position
    /// <paramref name="start"/> + t (one thread per t).
    /// </summary>
    public static void GatherBatch(Index1D t, ArrayView<int> heads, ArrayView<int> tails, ArrayView<int> rows,
        int start, int batch, int edges, int halfBits, uint k0, uint k1)
    {
        int e = Permute(start + t, edges, halfBits, k0, k1);
        rows[t] = heads[e];
        rows[batch + t] = tails[e];
    }
}
