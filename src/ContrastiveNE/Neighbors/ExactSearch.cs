using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ContrastiveNE.Data;
using ContrastiveNE.Linear;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Neighbors;

/// <summary>
/// Exact k-nearest-neighbour search by blocked distance tiles. For query x and data row y,
/// ‖x − y‖² = ‖x‖² + ‖y‖² − 2·x·y; ‖x‖² is the same for all candidates of x, so candidates are ranked by the score
/// ‖y‖² − 2·x·y, whose x·y part is a GEMM tile (query tile × data tile) on the packed SIMD kernel. Each query keeps
/// a bounded max-heap of the best k + margin scores; a SIMD compare against the heap's worst score filters a tile
/// row before any heap work. The score suffers cancellation (two large terms, small difference), so the kept
/// candidates' distances are then recomputed directly from the rows in double precision and re-sorted (ties by
/// smaller index): the margin absorbs any misordering near the k-th neighbour.
/// </summary>
internal static unsafe class ExactSearch
{
    /// <summary>Data columns per distance tile (a multiple of every strip width).</summary>
    private const int DataTile = 512;

    /// <summary>Runs the search; see <see cref="NearestNeighbors.Exact(Matrix, int, DistanceMetric, int, int[], IProgress{double}, CancellationToken)"/>.</summary>
    public static KnnResult Run(Matrix data, int k, DistanceMetric metric, int threads, int[]? queryRows,
        IProgress<double>? progress, CancellationToken cancellationToken, GemmPath path = GemmPath.Auto)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.Rows, dim = data.Columns;
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be smaller than the number of rows ({n}): each point's neighbours exclude itself.");
        EnsureFinite(data);
        if (queryRows != null)
        {
            for (int q = 0; q < queryRows.Length; q++)
                if ((uint)queryRows[q] >= (uint)n)
                    throw new ArgumentOutOfRangeException(nameof(queryRows), queryRows[q], $"queryRows[{q}] = {queryRows[q]} is not a row index of the {n}-row data.");
        }
        float[] rows = metric == DistanceMetric.Cosine ? Normalized(data) : data.Data;
        int queries = queryRows?.Length ?? n;
        var indices = new int[(long)queries * k];
        var distances = new float[(long)queries * k];
        if (queries == 0) return new KnnResult(0, k, indices, distances);

        // Keep a few more candidates than asked for, so the exact re-ranking can repair near-ties.
        int kept = Math.Min(n - 1, k + Math.Max(8, k / 2));
        var norms = new float[n + Vector512<float>.Count];
        Parallelism.ForRanges(n, 4096, threads, (s, e) =>
        {
            for (int i = s; i < e; i++) norms[i] = (float)SquaredNorm(rows.AsSpan(i * dim, dim));
        });

        using var packed = new PackedRightOperand(path, rows, n, dim, threads);
        int tileRows = packed.RowMultiple * Math.Max(1, 256 / packed.RowMultiple);
        int tiles = (queries + tileRows - 1) / tileRows;
        int done = 0;
        Parallelism.For(tiles, threads, tile =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scratch = Scratch.For(tileRows, dim, kept);
            int q0 = tile * tileRows, count = Math.Min(tileRows, queries - q0);
            SearchTile(packed, rows, norms, n, dim, queryRows, q0, count, tileRows, kept, k, scratch, indices, distances, cancellationToken);
            if (progress != null) progress.Report((double)Interlocked.Increment(ref done) / tiles);
        });
        return new KnnResult(queries, k, indices, distances);
    }

    private static void SearchTile(PackedRightOperand packed, float[] rows, float[] norms, int n, int dim, int[]? queryRows,
        int q0, int count, int tileRows, int kept, int k, Scratch s, int[] indices, float[] distances, CancellationToken cancellationToken)
    {
        // Gather the tile's query rows contiguously, zero rows padding it to a multiple of the kernel's MR.
        int paddedRows = (count + packed.RowMultiple - 1) / packed.RowMultiple * packed.RowMultiple;
        for (int r = 0; r < paddedRows; r++)
        {
            var dst = s.Queries.AsSpan(r * dim, dim);
            if (r < count) rows.AsSpan(Query(queryRows, q0 + r) * dim, dim).CopyTo(dst);
            else dst.Clear();
        }
        Array.Fill(s.Filled, 0);
        fixed (float* q = s.Queries, tile = s.Tile, normsPtr = norms)
        {
            for (int j0 = 0; j0 < n; j0 += DataTile)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int w = Math.Min(DataTile, n - j0);
                // tile[r, j] = −2·x_r·y_j
                packed.Multiply(q, dim, paddedRows, j0, w, -2f, tile, DataTile);
                for (int r = 0; r < count; r++)
                    ScanRow(tile + r * DataTile, normsPtr + j0, j0, w, Query(queryRows, q0 + r), kept, s, r);
            }
        }
        for (int r = 0; r < count; r++)
            Finish(rows, dim, Query(queryRows, q0 + r), kept, k, s, r, indices.AsSpan((q0 + r) * k, k), distances.AsSpan((q0 + r) * k, k));
    }

    private static int Query(int[]? queryRows, int q) => queryRows?[q] ?? q;

    /// <summary>Offers the scores ‖y_j‖² − 2·x·y_j of one tile row to query r's heap.</summary>
    private static void ScanRow(float* dots, float* norms, int j0, int w, int self, int kept, Scratch s, int r)
    {
        Span<float> heapScore = s.HeapScores.AsSpan(r * kept, kept);
        Span<int> heapIndex = s.HeapIndices.AsSpan(r * kept, kept);
        ref int filled = ref s.Filled[r];
        float threshold = filled == kept ? heapScore[0] : float.PositiveInfinity;
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 16 <= w; j += 16)
            {
                var score = Vector512.Load(dots + j) + Vector512.Load(norms + j);
                ulong mask = Vector512.LessThan(score, Vector512.Create(threshold)).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    int lane = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    Offer(score.GetElement(lane), j0 + j + lane, self, heapScore, heapIndex, ref filled, ref threshold);
                }
            }
        }
        for (; j < w; j++)
        {
            float score = dots[j] + norms[j];
            if (score < threshold) Offer(score, j0 + j, self, heapScore, heapIndex, ref filled, ref threshold);
        }
    }

    /// <summary>
    /// Pushes (score, index) into the bounded max-heap. Candidates arrive in increasing index, so a score equal to
    /// the worst kept one never displaces it: ties keep the smaller index, as the final order wants.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(float score, int index, int self, Span<float> heapScore, Span<int> heapIndex, ref int filled, ref float threshold)
    {
        if (index == self || !(score < threshold)) return;
        if (filled < heapScore.Length)
        {
            // Sift up.
            int i = filled++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Worse(score, index, heapScore[parent], heapIndex[parent])) break;
                heapScore[i] = heapScore[parent];
                heapIndex[i] = heapIndex[parent];
                i = parent;
            }
            heapScore[i] = score;
            heapIndex[i] = index;
            if (filled == heapScore.Length) threshold = heapScore[0];
            return;
        }
        // Replace the root (the worst kept) and sift down.
        int at = 0, size = filled;
        while (true)
        {
            int child = 2 * at + 1;
            if (child >= size) break;
            if (child + 1 < size && Worse(heapScore[child + 1], heapIndex[child + 1], heapScore[child], heapIndex[child])) child++;
            if (!Worse(heapScore[child], heapIndex[child], score, index)) break;
            heapScore[at] = heapScore[child];
            heapIndex[at] = heapIndex[child];
            at = child;
        }
        heapScore[at] = score;
        heapIndex[at] = index;
        threshold = heapScore[0];
    }

    /// <summary>Whether (s1, i1) ranks after (s2, i2): larger score, or equal score and larger index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Worse(float s1, int i1, float s2, int i2) => s1 > s2 || (s1 == s2 && i1 > i2);

    /// <summary>Recomputes the kept candidates' distances exactly, sorts them (ties by index) and writes the best k.</summary>
    private static void Finish(float[] rows, int dim, int self, int kept, int k, Scratch s, int r, Span<int> outIndex, Span<float> outDistance)
    {
        int filled = s.Filled[r];
        Span<int> candidates = s.HeapIndices.AsSpan(r * kept, filled);
        Span<double> exact = s.Exact.AsSpan(0, filled);
        var x = rows.AsSpan(self * dim, dim);
        for (int t = 0; t < filled; t++) exact[t] = SquaredDistance(x, rows.AsSpan(candidates[t] * dim, dim));
        // Insertion sort by (distance, index): the list is short (k + margin).
        for (int t = 1; t < filled; t++)
        {
            double d = exact[t];
            int idx = candidates[t], u = t - 1;
            while (u >= 0 && (exact[u] > d || (exact[u] == d && candidates[u] > idx)))
            {
                exact[u + 1] = exact[u];
                candidates[u + 1] = candidates[u];
                u--;
            }
            exact[u + 1] = d;
            candidates[u + 1] = idx;
        }
        for (int t = 0; t < k; t++)
        {
            outIndex[t] = candidates[t];
            outDistance[t] = (float)Math.Sqrt(exact[t]);
        }
    }

    /// <summary>‖x − y‖² accumulated in double (the float differences are exact up to one rounding each).</summary>
    private static double SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<double>.Zero;
            for (; i + 16 <= x.Length; i += 16)
            {
                var d = Vector512.Create(x.Slice(i, 16)) - Vector512.Create(y.Slice(i, 16));
                var (lo, hi) = Vector512.Widen(d);
                acc = Vector512.FusedMultiplyAdd(lo, lo, acc);
                acc = Vector512.FusedMultiplyAdd(hi, hi, acc);
            }
            sum = Vector512.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            double d = (double)x[i] - y[i];
            sum += d * d;
        }
        return sum;
    }

    private static double SquaredNorm(ReadOnlySpan<float> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += (double)x[i] * x[i];
        return sum;
    }

    private static void EnsureFinite(Matrix data)
    {
        var values = data.Data;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"Row {i / data.Columns}, column {i % data.Columns} of the data holds {values[i]}; every value must be finite.", nameof(data));
        }
    }

    /// <summary>The rows scaled to unit length (cosine distance ranks like Euclidean distance between them).</summary>
    private static float[] Normalized(Matrix data)
    {
        int dim = data.Columns;
        var result = new float[data.Data.Length];
        for (int i = 0; i < data.Rows; i++)
        {
            var row = data.Data.AsSpan(i * dim, dim);
            double norm = Math.Sqrt(SquaredNorm(row));
            if (norm == 0)
                throw new ArgumentException($"Row {i} of the data is all zeros; the cosine metric needs every row to have a direction.", nameof(data));
            var dst = result.AsSpan(i * dim, dim);
            for (int c = 0; c < dim; c++) dst[c] = (float)(row[c] / norm);
        }
        return result;
    }

    /// <summary>One thread's reusable buffers (a query tile, its distance tile and heaps).</summary>
    private sealed class Scratch
    {
        [ThreadStatic] private static Scratch? t_current;

        private Scratch(int tileRows, int dim, int kept)
        {
            TileRows = tileRows;
            Dim = dim;
            Kept = kept;
            Queries = new float[tileRows * dim];
            Tile = new float[tileRows * DataTile];
            HeapScores = new float[tileRows * kept];
            HeapIndices = new int[tileRows * kept];
            Filled = new int[tileRows];
            Exact = new double[kept];
        }

        public int TileRows { get; }
        public int Dim { get; }
        public int Kept { get; }
        public float[] Queries { get; }
        public float[] Tile { get; }
        public float[] HeapScores { get; }
        public int[] HeapIndices { get; }
        public int[] Filled { get; }
        public double[] Exact { get; }

        public static Scratch For(int tileRows, int dim, int kept)
        {
            var s = t_current;
            if (s == null || s.TileRows != tileRows || s.Dim != dim || s.Kept != kept)
                t_current = s = new Scratch(tileRows, dim, kept);
            return s;
        }
    }
}
