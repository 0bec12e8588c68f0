using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Neighbors;

/// <summary>One run of <see cref="NNDescent"/>: the heaps, candidate lists and update buffers, and the loop over them.</summary>
/// <remarks>
/// Each iteration has three phases, each parallel by ownership:
/// (1) sample candidates: every point collects up to MaxCandidates "new" and "old" neighbours, forward and
///     reverse, keeping those with the smallest hash priority (a function of seed, iteration and edge, so the
///     choice does not depend on the order it is made in);
/// (2) local join: for each point, every new–new and new–old candidate pair is a possible neighbour pair;
///     heaps are only read here, and pairs that could improve either heap go to the work unit's own buffer;
/// (3) apply: each thread owns a range of heaps and pushes into them every buffered update, scanning the
///     buffers in unit order, so every heap sees the same sequence of pushes at any thread count.
/// Internally points are numbered in the first tree's leaf order (see Reorder); results are translated back.
/// </remarks>
internal sealed class NNDescentSearch
{
    private const int Grain = 256;                       // points per work unit of the join (fixed: determinism)
    private const ulong RandomFillStream = 1UL << 40;    // random streams above the trees' stream numbers
    private const int InputTrees = 2;                    // trees built before the rows are reordered (two run in parallel)

    private readonly Matrix _input;
    private Matrix _points = new(0, 0); // the input rows in the first tree's leaf order (see Reorder); chunked when the input is
    private float[]? _flat;             // _points' values when contiguous (the distance kernel's fast path)
    private int[] _original = [];   // internal position → input row
    private readonly int _n, _dim, _k, _threads;
    private readonly ulong _seed;
    private readonly NeighborHeaps _heaps;
    private long _distanceCount;

    public NNDescentSearch(Matrix points, int k, ulong seed, int threads)
    {
        _input = points;
        int n = points.Rows;
        _n = n;
        _dim = points.Columns;
        _k = k;
        _seed = seed;
        _threads = Parallelism.Resolve(threads);
        _heaps = new NeighborHeaps(n, k);
    }

    public int Trees { get; init; }

    public int LeafSize { get; init; }

    public int MaxIterations { get; init; }

    public double Delta { get; init; }

    public int MaxCandidates { get; init; }

    /// <summary>
    /// Whether update buffers store pairs as candidate-list positions (8 bytes an entry) where the lists are short
    /// enough (2 · MaxCandidates ≤ 4096); false always stores the two points (12 bytes). Same result either way.
    /// </summary>
    public bool PackUpdates { get; init; } = true;

    public KnnResult Run(IProgress<double>? progress, CancellationToken cancellationToken, out NNDescentStatistics statistics)
    {
        var clock = Stopwatch.StartNew();
        var trees = BuildTrees(cancellationToken);
        JoinLeaves(trees, cancellationToken);
        FillRandomly();
        double treeSeconds = clock.Elapsed.TotalSeconds;
        progress?.Report(0.1);

        int iterations = 0;
        LocalJoin? join = new LocalJoin(this);
        double stopBelow = Delta * _n * _k;
        while (iterations < MaxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long changed = join.Iterate(iterations);
            iterations++;
            progress?.Report(0.1 + 0.9 * iterations / MaxIterations);
            if (changed <= stopBelow) break;
        }
        _distanceCount += join.DistanceCount;
        // The candidate lists and update buffers (≈ 640 MB at 10⁶ × 50, k = 15) and the reordered rows are not needed
        // for the result: dropped and collected before its arrays are allocated, so they do not add to the peak.
        join = null;
        _points = new Matrix(0, 0);
        _flat = null;
        if (_n >= NNDescent.ReleaseAfterRows) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var result = Result();
        statistics = new NNDescentStatistics(treeSeconds, clock.Elapsed.TotalSeconds - treeSeconds, iterations, _distanceCount);
        progress?.Report(1.0);
        return result;
    }

    /// <summary>The heaps translated back to input rows: Euclidean distances, each row sorted by (distance, index).</summary>
    private KnnResult Result()
    {
        int k = _k;
        var indices = new int[_n * k];
        var distances = new float[_n * k];
        Parallelism.ForRanges(_n, 1024, _threads, (start, end) =>
        {
            for (int p = start; p < end; p++)
            {
                int row = _original[p];
                for (int t = 0; t < k; t++)
                {
                    indices[row * k + t] = _original[_heaps.Indices[p * k + t]];
                    distances[row * k + t] = MathF.Sqrt(_heaps.Distances[p * k + t]);
                }
                NeighborHeaps.SortRow(distances.AsSpan(row * k, k), indices.AsSpan(row * k, k));
            }
        });
        return new KnnResult(_n, k, indices, distances) { LocalityOrder = _original };
    }

    private float Distance(int a, int b)
    {
        if (_flat is { } flat) return SquaredEuclidean.Distance(flat.AsSpan(a * _dim, _dim), flat.AsSpan(b * _dim, _dim));
        return SquaredEuclidean.Distance(_points.Row(a), _points.Row(b));
    }

    /// <summary>
    /// Builds the first <see cref="InputTrees"/> trees on the input rows, stores the rows in the first tree's leaf
    /// order, then builds the other trees on the reordered rows: their nodes, too, gather nearby points, which now
    /// lie near each other in memory. One random stream per tree; the split into the two batches is fixed, so the
    /// trees do not depend on the thread count.
    /// </summary>
    private RandomProjectionTree[] BuildTrees(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var trees = new RandomProjectionTree[Trees];
        int first = Math.Min(InputTrees, Trees);
        Parallelism.For(first, _threads, t =>
        {
            var rng = Xoshiro256.Create(_seed, (ulong)t);
            trees[t] = RandomProjectionTree.Build(_input, LeafSize, ref rng);
        });
        Reorder(trees.AsSpan(0, first));
        cancellationToken.ThrowIfCancellationRequested();
        Parallelism.For(Trees - first, _threads, t =>
        {
            var rng = Xoshiro256.Create(_seed, (ulong)(t + first));
            trees[t + first] = RandomProjectionTree.Build(_points, LeafSize, ref rng);
        });
        return trees;
    }

    /// <summary>
    /// Copies the rows into the first tree's leaf order and renumbers the given trees to match. Every later step
    /// visits points in index order and reads the rows of their neighbours; with nearby points stored nearby, those
    /// rows are mostly already in cache, which matters far more than the arithmetic on data of hundreds of dimensions.
    /// </summary>
    private void Reorder(Span<RandomProjectionTree> built)
    {
        _original = (int[])built[0].Order.Clone();
        var position = new int[_n];
        for (int p = 0; p < _n; p++) position[_original[p]] = p;
        // A chunked input (more values than one array holds) gets a chunked copy: rows never straddle chunks.
        _points = _input.EmptyLike();
        _flat = _points.IsContiguous ? _points.Data : null;
        Parallelism.ForRanges(_n, 1024, _threads, (start, end) =>
        {
            for (int p = start; p < end; p++)
                _input.Row(_original[p]).CopyTo(_points.Row(p));
        });
        foreach (var tree in built)
        {
            var order = tree.Order;
            for (int i = 0; i < order.Length; i++) order[i] = position[order[i]];
        }
    }

    /// <summary>Offers every pair within a leaf to both heaps.</summary>
    private void JoinLeaves(RandomProjectionTree[] trees, CancellationToken cancellationToken)
    {
        long pairs = 0;
        foreach (var tree in trees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Within one tree the leaves are disjoint, so each heap has one writer.
            Parallelism.ForRanges(tree.LeafCount, 64, _threads, (first, last) =>
            {
                for (int leaf = first; leaf < last; leaf++)
                {
                    var members = tree.Order.AsSpan(tree.LeafStarts[leaf], tree.LeafStarts[leaf + 1] - tree.LeafStarts[leaf]);
                    for (int a = 0; a < members.Length; a++)
                    {
                        for (int b = a + 1; b < members.Length; b++)
                        {
                            int p = members[a], q = members[b];
                            float d = Distance(p, q);
                            _heaps.Push(p, q, d, 1);
                            _heaps.Push(q, p, d, 1);
                        }
                    }
                }
            });
            for (int leaf = 0; leaf < tree.LeafCount; leaf++)
            {
                long size = tree.LeafStarts[leaf + 1] - tree.LeafStarts[leaf];
                pairs += size * (size - 1) / 2;
            }
        }
        _distanceCount += pairs;
    }

    /// <summary>Tops up heaps that the leaves left short of k entries with random points (one stream per point).</summary>
    private void FillRandomly()
    {
        Parallelism.ForRanges(_n, 4096, _threads, (start, end) =>
        {
            for (int p = start; p < end; p++)
            {
                var row = _heaps.Indices.AsSpan(p * _k, _k);
                if (row.IndexOf(-1) < 0) continue;
                var rng = Xoshiro256.Create(_seed, RandomFillStream + (ulong)p);
                for (int attempt = 0; attempt < 4 * _k && row.IndexOf(-1) >= 0; attempt++)
                {
                    int q = rng.NextInt(_n);
                    if (q != p) _heaps.Push(p, q, Distance(p, q), 1);
                }
                // Tiny data sets (k close to n) may still have gaps: take the remaining points in order.
                for (int q = 0; q < _n && row.IndexOf(-1) >= 0; q++)
                    if (q != p) _heaps.Push(p, q, Distance(p, q), 1);
            }
        });
    }

    /// <summary>The per-iteration state: candidate lists, reverse-neighbour index and update buffers.</summary>
    private sealed class LocalJoin
    {
        private readonly NNDescentSearch _s;
        private readonly int _m;
        private readonly int[] _newCandidates, _oldCandidates, _newCount, _oldCount;
        private readonly int[] _reverseStart, _reverseEntry;
        private readonly NNDescentUpdates[] _updates;
        private readonly NNDescentUpdatePool _pool;

        // Packed update code: point offset in its unit (8 bits, Grain = 256), then two candidate-list positions of
        // PositionBits each: the first in the new list, the second in new followed by old (so 2m must fit).
        private const int PositionBits = 12;
        private const int PositionMask = (1 << PositionBits) - 1;
        private readonly long[] _unitDistances;

        public LocalJoin(NNDescentSearch search)
        {
            _s = search;
            int n = search._n;
            _m = search.MaxCandidates;
            _newCandidates = new int[n * _m];
            _oldCandidates = new int[n * _m];
            _newCount = new int[n];
            _oldCount = new int[n];
            _reverseStart = new int[n + 1];
            _reverseEntry = new int[n * search._k];
            int units = (n + Grain - 1) / Grain;
            _pool = new NNDescentUpdatePool(search.PackUpdates && 2 * _m <= 1 << PositionBits);
            _updates = new NNDescentUpdates[units];
            for (int u = 0; u < units; u++) _updates[u] = new NNDescentUpdates(_pool);
            _unitDistances = new long[units];
        }

        public long DistanceCount { get; private set; }

        /// <summary>One NN-descent iteration; returns the number of heap entries that changed.</summary>
        public long Iterate(int iteration)
        {
            ulong key = SplitMix64.Mix(_s._seed ^ SplitMix64.Mix((ulong)iteration + 0x9E3779B97F4A7C15UL));
            IndexReverse();
            Parallelism.ForRanges(_s._n, Grain, _s._threads, (start, end) => SampleCandidates(start, end, key));
            Parallelism.ForRanges(_s._n, Grain, _s._threads, MarkSampled);
            Parallelism.ForRanges(_s._n, Grain, _s._threads, (start, end) => Join(start, end));
            foreach (long c in _unitDistances) DistanceCount += c;
            return Apply();
        }

        /// <summary>CSR of reverse edges: for every point q, the heap entries (p·k + slot) that list q.</summary>
        private void IndexReverse()
        {
            var idx = _s._heaps.Indices;
            var start = _reverseStart;
            Array.Clear(start);
            foreach (int q in idx) start[q + 1]++;
            for (int q = 0; q < _s._n; q++) start[q + 1] += start[q];
            // Fill from the back so entries come out in increasing order within each point.
            for (int e = idx.Length - 1; e >= 0; e--) _reverseEntry[--start[idx[e] + 1]] = e;
        }

        private void SampleCandidates(int start, int end, ulong key)
        {
            var heaps = _s._heaps;
            int k = _s._k, m = _m;
            Span<ulong> newPriority = stackalloc ulong[m];
            Span<ulong> oldPriority = stackalloc ulong[m];
            for (int p = start; p < end; p++)
            {
                var newList = _newCandidates.AsSpan(p * m, m);
                var oldList = _oldCandidates.AsSpan(p * m, m);
                int newCount = 0, oldCount = 0;
                for (int slot = 0; slot < k; slot++)
                {
                    int e = p * k + slot;
                    int q = heaps.Indices[e];
                    ulong priority = Priority(key, e);
                    if (heaps.Flags[e] != 0) Offer(newList, newPriority, ref newCount, q, priority);
                    else Offer(oldList, oldPriority, ref oldCount, q, priority);
                }
                for (int r = _reverseStart[p]; r < _reverseStart[p + 1]; r++)
                {
                    int e = _reverseEntry[r];
                    int q = e / k;
                    ulong priority = Priority(key, e);
                    if (heaps.Flags[e] != 0) Offer(newList, newPriority, ref newCount, q, priority);
                    else Offer(oldList, oldPriority, ref oldCount, q, priority);
                }
                _newCount[p] = newCount;
                _oldCount[p] = oldCount;
            }
        }

        /// <summary>
        /// Forward entries sampled as new become old: they are joined in this iteration. A pass of its own, because
        /// sampling reads other points' flags (reverse edges) and must see them unchanged.
        /// </summary>
        private void MarkSampled(int start, int end)
        {
            var heaps = _s._heaps;
            int k = _s._k;
            for (int p = start; p < end; p++)
            {
                var newList = _newCandidates.AsSpan(p * _m, _newCount[p]);
                for (int e = p * k; e < (p + 1) * k; e++)
                    if (heaps.Flags[e] != 0 && newList.IndexOf(heaps.Indices[e]) >= 0) heaps.Flags[e] = 0;
            }
        }

        // One priority per heap entry (edge p → q), so forward sampling at p and reverse sampling at q agree on it.
        private static ulong Priority(ulong key, int entry) => SplitMix64.Mix(key ^ (ulong)entry);

        /// <summary>Keeps the (at most list.Length) candidates of smallest (priority, index), without duplicates.</summary>
        private static void Offer(Span<int> list, Span<ulong> priority, ref int count, int candidate, ulong value)
        {
            if (list[..count].IndexOf(candidate) >= 0) return;
            if (count < list.Length)
            {
                list[count] = candidate;
                priority[count++] = value;
                return;
            }
            int worst = 0;
            for (int i = 1; i < count; i++)
                if (priority[i] > priority[worst] || (priority[i] == priority[worst] && list[i] > list[worst])) worst = i;
            if (value < priority[worst] || (value == priority[worst] && candidate < list[worst]))
            {
                list[worst] = candidate;
                priority[worst] = value;
            }
        }

        private void Join(int start, int end)
        {
            var heaps = _s._heaps;
            int unit = start / Grain, m = _m;
            var updates = _updates[unit];
            updates.Clear();
            long distances = 0;
            bool packed = _pool.Packed;
            for (int p = start; p < end; p++)
            {
                var newList = _newCandidates.AsSpan(p * m, _newCount[p]);
                var oldList = _oldCandidates.AsSpan(p * m, _oldCount[p]);
                int pointCode = (p - start) << (2 * PositionBits);
                for (int a = 0; a < newList.Length; a++)
                {
                    int u = newList[a];
                    int pairCode = pointCode | (a << PositionBits);
                    for (int b = a + 1; b < newList.Length; b++)
                        Consider(heaps, updates, u, newList[b], packed ? pairCode | b : u, ref distances);
                    for (int b = 0; b < oldList.Length; b++)
                    {
                        int v = oldList[b];
                        if (v != u) Consider(heaps, updates, u, v, packed ? pairCode | (m + b) : u, ref distances);
                    }
                }
            }
            _unitDistances[unit] = distances;
        }

        /// <summary>Buffers (u, v) when it could enter either heap; reuses a distance either heap already holds.</summary>
        private void Consider(NeighborHeaps heaps, NNDescentUpdates updates, int u, int v, int code, ref long distances)
        {
            float inU = heaps.Find(u, v), inV = heaps.Find(v, u);
            if (inU >= 0 && inV >= 0) return;
            float d;
            if (inU >= 0) d = inU;
            else if (inV >= 0) d = inV;
            else
            {
                d = _s.Distance(u, v);
                distances++;
            }
            if (d <= heaps.Worst(u) || d <= heaps.Worst(v)) updates.Add(code, v, d);
        }

        /// <summary>Pushes every buffered update into the heaps; each thread owns a contiguous range of heaps.</summary>
        private long Apply()
        {
            int parts = _s._threads, n = _s._n;
            var changed = new long[parts];
            var heaps = _s._heaps;
            Parallelism.For(parts, parts, part =>
            {
                int low = (int)((long)n * part / parts), high = (int)((long)n * (part + 1) / parts);
                long count = 0;
                int m = _m;
                for (int unit = 0; unit < _updates.Length; unit++)
                {
                    var buffer = _updates[unit];
                    var blocks = buffer.Blocks;
                    int unitStart = unit * Grain;
                    for (int block = 0; block < blocks.Count; block++)
                    {
                        var codes = blocks[block].Code.AsSpan(0, buffer.Used(block));
                        var seconds = blocks[block].Second;
                        var d = blocks[block].Distance;
                        for (int i = 0; i < codes.Length; i++)
                        {
                            int u, v;
                            if (seconds is null)
                            {
                                uint code = (uint)codes[i];
                                int row = (unitStart + (int)(code >> (2 * PositionBits))) * m;
                                u = _newCandidates[row + (int)((code >> PositionBits) & PositionMask)];
                                int b = (int)(code & PositionMask);
                                v = b < m ? _newCandidates[row + b] : _oldCandidates[row + b - m];
                            }
                            else
                            {
                                u = codes[i];
                                v = seconds[i];
                            }
                            if (u >= low && u < high && heaps.Push(u, v, d[i], 1)) count++;
                            if (v >= low && v < high && heaps.Push(v, u, d[i], 1)) count++;
                        }
                    }
                }
                changed[part] = count;
            });
            long total = 0;
            foreach (long c in changed) total += c;
            return total;
        }
    }
}
