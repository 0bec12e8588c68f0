using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Training;

/// <summary>
/// The pairs of neighbour embeddings (docs/method.md §1.2): an epoch is every directed edge of a <see cref="NeighborGraph"/>
/// once, in a fresh random order; consecutive chunks of the batch size are the batches, the last one may be shorter.
/// </summary>
/// <remarks>
/// The order is a uniform random permutation drawn in parallel (Rao–Sandelius): every edge gets a random bucket, the
/// edges are laid out bucket by bucket, and each bucket is shuffled by Fisher–Yates when the first batch that reads
/// it is asked for (so its edges are still in cache when the batch reads them). Chunks and buckets are fixed units
/// with their own random streams, so the permutation does not depend on the thread count or the order of requests.
/// </remarks>
public sealed class KnnEdgeSource : IPairSource
{
    private const int ChunkSize = 1 << 16;
    private const int Buckets = 256;
    private const int FillGrain = 8192;
    private const int LookaheadBatches = 3;

    private readonly int[] _heads, _tails;
    private readonly long[] _order;
    private readonly byte[] _keys;
    private readonly int[] _counts;
    private readonly int[] _bucketStart = new int[Buckets + 1];
    private int _shuffledBuckets;
    private readonly ulong _seed;
    private readonly int _threads;
    private int _preparedEpoch = -1;

    /// <summary>Creates the source over the directed edges of <paramref name="graph"/>.</summary>
    /// <param name="graph">The symmetric neighbour graph.</param>
    /// <param name="batchSize">Edges per batch, ≥ 1.</param>
    /// <param name="seed">Seed of the epoch orders.</param>
    /// <param name="threads">Threads for the shuffle (≤ 0: all processors).</param>
    public KnnEdgeSource(NeighborGraph graph, int batchSize, int seed, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (graph.EdgeCount == 0) throw new ArgumentException("The neighbour graph has no edges, so there is nothing to train on.", nameof(graph));
        Graph = graph;
        BatchSize = batchSize;
        _seed = unchecked((ulong)seed);
        _threads = threads;
        int e = graph.EdgeCount;
        // The graph's own head and tail arrays are read where the edges are distributed (no packed copy: at 10⁶ rows
        // that copy was 150 MB).
        _heads = graph.EdgeHeads;
        _tails = graph.EdgeTails;
        _order = new long[e];
        _keys = new byte[e];
        _counts = new int[ChunkCount * Buckets];
    }

    /// <summary>The graph whose edges are served.</summary>
    public NeighborGraph Graph { get; }

    /// <summary>Edges per batch.</summary>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public int BatchesPerEpoch => (Graph.EdgeCount + BatchSize - 1) / BatchSize;

    /// <inheritdoc/>
    public int MaxBatchSize => Math.Min(BatchSize, Graph.EdgeCount);

    private int ChunkCount => (_order.Length + ChunkSize - 1) / ChunkSize;

    /// <inheritdoc/>
    public void Fill(int epoch, int index, PairBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var order = Edges(epoch, index, out int start, out int b);
        if (batch.Items == null || batch.Items.Length < 2 * b) batch.Items = new int[2 * MaxBatchSize];
        var items = batch.Items;
        // Independent per row: split for large batches.
        Parallelism.ForRanges(b, FillGrain, b >= 2 * FillGrain ? _threads : 1, (first, end) => FillRows(order, start, b, first, end, items));
        batch.Size = b;
        batch.Inputs = null;
    }

    /// <summary>
    /// Batch <paramref name="index"/> of epoch <paramref name="epoch"/> as packed edges (head &lt;&lt; 32) | tail:
    /// entries [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of the returned array,
    /// valid until the next epoch is asked for. <see cref="Fill"/> spells the same batch out as items.
    /// </summary>
    internal long[] Edges(int epoch, int index, out int start, out int count)
    {
        if ((uint)index >= (uint)BatchesPerEpoch) throw new ArgumentOutOfRangeException(nameof(index), $"An epoch has {BatchesPerEpoch} batches.");
        if (epoch != _preparedEpoch) Shuffle(epoch);
        start = index * BatchSize;
        count = Math.Min(BatchSize, _order.Length - start);
        ShuffleBucketsBefore(start + count);
        return _order;
    }

    private static unsafe void FillRows(long[] edges, int start, int b, int first, int end, int[] batchItems)
    {
        fixed (long* order = edges)
        fixed (int* items = batchItems)
        {
            for (int r = first; r < end; r++)
            {
                long edge = order[start + r];
                items[r] = (int)(edge >> 32);
                items[b + r] = (int)edge;
            }
        }
    }

    private ulong Stream(int epoch, int unit) => ((ulong)(uint)epoch << 32) | (uint)unit;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Shuffle(int epoch)
    {
        int e = _order.Length, chunks = ChunkCount;
        Array.Clear(_counts);
        Parallelism.For(chunks, _threads, c =>
        {
            var random = Xoshiro256.Create(_seed, Stream(epoch, c));
            DrawKeys(c, Math.Min(e, (c + 1) * ChunkSize), ref random);
        });
        // Offsets bucket-major, chunk-minor: bucket k holds chunk 0's edges of k, then chunk 1's, ...
        var bucketStart = _bucketStart;
        int running = 0;
        for (int k = 0; k < Buckets; k++)
        {
            bucketStart[k] = running;
            for (int c = 0; c < chunks; c++)
            {
                int count = _counts[c * Buckets + k];
                _counts[c * Buckets + k] = running;
                running += count;
            }
        }
        bucketStart[Buckets] = running;
        Parallelism.For(chunks, _threads, c => Distribute(c, Math.Min(e, (c + 1) * ChunkSize)));
        _preparedEpoch = epoch;
        _shuffledBuckets = 0;
    }

    /// <summary>
    /// Shuffles the buckets that hold edges before <paramref name="end"/> and are not shuffled yet — with those of the
    /// next few batches, so that each call has enough buckets for every thread. Buckets are shuffled just before their
    /// batches read them, while they are still in cache; each with its own stream, so the order is the same whenever
    /// and on whichever thread that happens.
    /// </summary>
    private void ShuffleBucketsBefore(int end)
    {
        if (_shuffledBuckets == Buckets || _bucketStart[_shuffledBuckets] >= end) return;
        long ahead = Math.Min((long)end + (long)LookaheadBatches * BatchSize, _order.Length);
        int first = _shuffledBuckets, last = first;
        while (last < Buckets && _bucketStart[last] < ahead) last++;
        int epoch = _preparedEpoch, chunks = ChunkCount;
        Parallelism.For(last - first, _threads, i =>
        {
            int k = first + i;
            var random = Xoshiro256.Create(_seed, Stream(epoch, chunks + k));
            ShuffleBucket(_order, _bucketStart[k], _bucketStart[k + 1] - _bucketStart[k], ref random);
        });
        _shuffledBuckets = last;
    }

    /// <summary>Draws chunk <paramref name="c"/>'s bucket keys, eight 8-bit keys per 64-bit draw, and counts them.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private unsafe void DrawKeys(int c, int end, ref Xoshiro256 random)
    {
        fixed (byte* keys = _keys)
        fixed (int* allCounts = _counts)
        {
            int* counts = allCounts + c * Buckets;
            int i = c * ChunkSize;
            for (; i + 8 <= end; i += 8)
            {
                ulong bits = random.NextUInt64();
                *(ulong*)(keys + i) = bits;
                for (int t = 0; t < 8; t++) counts[(byte)(bits >> (8 * t))]++;
            }
            if (i < end)
            {
                ulong bits = random.NextUInt64();
                for (; i < end; i++, bits >>= 8)
                {
                    keys[i] = (byte)bits;
                    counts[(byte)bits]++;
                }
            }
        }
    }

    /// <summary>Moves chunk <paramref name="c"/>'s edges to their buckets' cursors (pointers: the loop is the shuffle's costliest).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private unsafe void Distribute(int c, int end)
    {
        fixed (long* order = _order)
        fixed (int* counts = _counts, heads = _heads, tails = _tails)
        fixed (byte* keys = _keys)
        {
            int* cursor = counts + c * Buckets;
            for (int i = c * ChunkSize; i < end; i++) order[cursor[keys[i]]++] = ((long)heads[i] << 32) | (uint)tails[i];
        }
    }

    /// <summary>
    /// Fisher–Yates on values[start, start + length) with two swap positions per 64-bit draw (Lemire's multiply-shift
    /// on each 32-bit half; the bias is below 2⁻³²·bound, as for <see cref="Xoshiro256.NextInt"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ShuffleBucket(long[] array, int start, int length, ref Xoshiro256 random)
    {
        if (length < 2) return;
        fixed (long* values = &array[start])
        {
            int i = length - 1;
            for (; i > 1; i -= 2)
            {
                ulong bits = random.NextUInt64();
                long* a = values + i;
                long* b = values + (int)(((bits & 0xFFFFFFFFUL) * (ulong)(uint)(i + 1)) >> 32);
                long t = *a; *a = *b; *b = t;
                a = values + i - 1;
                b = values + (int)(((bits >> 32) * (ulong)(uint)i) >> 32);
                t = *a; *a = *b; *b = t;
            }
            if (i == 1)
            {
                long* b = values + random.NextInt(2);
                long t = values[1]; values[1] = *b; *b = t;
            }
        }
    }
}
