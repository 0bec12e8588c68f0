using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ContrastiveNE.Data;
using ContrastiveNE.LinearAlgebra;
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
/// When every row is a query, the distance matrix is symmetric: only tiles on and above the diagonal are computed,
/// each offering its candidates to its rows' heaps and, transposed, to its columns' heaps (half the GEMM work).
/// Heaps keep the smallest candidates under a total order, so the result does not depend on which thread offered
/// what first: it is identical at any thread count. (Points whose exact distances tie with the k-th neighbour's
/// are ordered by index only among the k + margin candidates the scores kept.)
/// </summary>
internal static unsafe class ExactSearch
{
    /// <summary>Rows and columns of a symmetric-search tile: a multiple of every kernel's MR (8, 6, 4) and NR (32, 16, 4).</summary>
    private const int Tile = 192;

    /// <summary>Tiles of one tile row per work unit of the symmetric search.</summary>
    private const int TilesPerUnit = 8;

    /// <summary>Data columns per distance tile of the query search (a multiple of every strip width).</summary>
    private const int DataTile = 512;

    /// <summary>Runs the search; see <see cref="NearestNeighbors.Exact(Matrix, int, DistanceMetric, int, int[], IProgress{double}, CancellationToken)"/>.</summary>
    public static KnnResult Run(Matrix data, int k, DistanceMetric metric, int threads, int[]? queryRows,
        IProgress<double>? progress, CancellationToken cancellationToken, GemmPath path = GemmPath.Auto)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.Rows, dim = data.Columns;
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be smaller than the number of rows ({n}): each point's neighbours exclude itself.");
        if (dim == 0) throw new ArgumentException("The data has no columns, so no distances to rank.", nameof(data));
        EnsureFinite(data);
        if (queryRows != null)
        {
            for (int q = 0; q < queryRows.Length; q++)
                if ((uint)queryRows[q] >= (uint)n)
                    throw new ArgumentOutOfRangeException(nameof(queryRows), queryRows[q], $"queryRows[{q}] = {queryRows[q]} is not a row index of the {n}-row data.");
        }
        Matrix rows = metric == DistanceMetric.Cosine ? Normalized(data) : data;
        int queries = queryRows?.Length ?? n;
        var indices = new int[(long)queries * k];
        var distances = new float[(long)queries * k];
        if (queries == 0) return new KnnResult(0, k, indices, distances);

        // Keep a few more candidates than asked for, so the exact re-ranking can repair near-ties.
        int kept = Math.Min(n - 1, k + Math.Max(8, k / 2));
        var norms = new float[n + Vector512<float>.Count];
        Parallelism.ForRanges(n, 4096, threads, (s, e) =>
        {
            for (int i = s; i < e; i++) norms[i] = (float)SquaredNorm(rows.Row(i));
        });
        using var packed = new PackedRightOperand(path, rows, threads);
        var search = new Search(packed, rows, norms, n, dim, kept, k, indices, distances, progress, cancellationToken, null);
        if (queryRows == null) search.AllRows(threads);
        else search.Queries(queryRows, threads);
        return new KnnResult(queries, k, indices, distances);
    }

    /// <summary>
    /// The k nearest rows of <paramref name="data"/> to every row of <paramref name="queries"/> (points outside the
    /// data, so nothing is excluded); see <see cref="NearestNeighbors.Query"/>.
    /// </summary>
    public static KnnResult RunExternal(Matrix data, Matrix queries, int k, DistanceMetric metric, int threads,
        CancellationToken cancellationToken, GemmPath path = GemmPath.Auto)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(queries);
        int n = data.Rows, dim = data.Columns;
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must not exceed the number of data rows ({n}).");
        if (dim == 0) throw new ArgumentException("The data has no columns, so no distances to rank.", nameof(data));
        if (queries.Columns != dim)
            throw new ArgumentException($"The queries have {queries.Columns} columns, the data {dim}; they must match.", nameof(queries));
        EnsureFinite(data);
        EnsureFinite(queries, nameof(queries));
        Matrix rows = metric == DistanceMetric.Cosine ? Normalized(data) : data;
        Matrix points = metric == DistanceMetric.Cosine ? Normalized(queries, nameof(queries)) : queries;
        var indices = new int[(long)queries.Rows * k];
        var distances = new float[(long)queries.Rows * k];
        if (queries.Rows == 0) return new KnnResult(0, k, indices, distances);
        // No row is excluded, so up to all n rows can be kept candidates.
        int kept = Math.Min(n, k + Math.Max(8, k / 2));
        var norms = new float[n + Vector512<float>.Count];
        Parallelism.ForRanges(n, 4096, threads, (s, e) =>
        {
            for (int i = s; i < e; i++) norms[i] = (float)SquaredNorm(rows.Row(i));
        });
        using var packed = new PackedRightOperand(path, rows, threads);
        var search = new Search(packed, rows, norms, n, dim, kept, k, indices, distances, null, cancellationToken, points);
        var all = new int[queries.Rows];
        for (int q = 0; q < all.Length; q++) all[q] = q;
        search.Queries(all, threads);
        return new KnnResult(queries.Rows, k, indices, distances);
    }

    /// <summary>The state one search shares between its work units.</summary>
    private sealed class Search(PackedRightOperand packed, Matrix rows, float[] norms, int n, int dim, int kept, int k,
        int[] indices, float[] distances, IProgress<double>? progress, CancellationToken cancellationToken, Matrix? external)
    {
        /// <summary>The query rows: external points (none excluded) or the data's own rows (each excluding itself).</summary>
        private readonly Matrix _queryRows = external ?? rows;
        private readonly int _noSelf = external != null ? 1 : 0;

        private int _done;

        /// <summary>All rows as queries: the upper triangle of tiles, offered both ways.</summary>
        public void AllRows(int threads)
        {
            var heaps = new CandidateHeaps(n, kept);
            int tiles = (n + Tile - 1) / Tile;
            var locks = new object[tiles];
            for (int t = 0; t < tiles; t++) locks[t] = new object();
            // Units of up to TilesPerUnit tiles of one tile row: the triangle's rows shrink, so whole rows as units
            // would leave the last thread with the longest ones.
            var units = new List<(int RowTile, int FirstColumnTile)>();
            for (int rowTile = 0; rowTile < tiles; rowTile++)
                for (int colTile = rowTile; colTile < tiles; colTile += TilesPerUnit) units.Add((rowTile, colTile));
            Parallelism.For(units.Count, threads, u =>
            {
                var (rowTile, firstColTile) = units[u];
                var scratch = Scratch.For(Tile, Tile, dim);
                int i0 = rowTile * Tile, count = Math.Min(Tile, n - i0);
                int padded = Gather(scratch.Queries, i0, count, null);
                fixed (float* q = scratch.Queries, tile = scratch.Tile, normsPtr = norms, threshold = heaps.Threshold)
                {
                    for (int colTile = firstColTile; colTile < Math.Min(tiles, firstColTile + TilesPerUnit); colTile++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        int j0 = colTile * Tile, w = Math.Min(Tile, n - j0);
                        packed.Multiply(q, dim, padded, j0, w, -2f, tile, Tile);
                        // Heaps of the tile's rows and of its columns may also be fed by another unit's tiles.
                        lock (locks[rowTile])
                        {
                            for (int r = 0; r < count; r++)
                                ScanRow(heaps, i0 + r, tile + r * Tile, normsPtr + j0, j0, w, self: i0 + r);
                        }
                        if (colTile == rowTile) continue;
                        lock (locks[colTile])
                        {
                            for (int r = 0; r < count; r++)
                                ScanColumns(heaps, threshold + j0, tile + r * Tile, normsPtr[i0 + r], i0 + r, j0, w);
                        }
                    }
                }
                if (progress != null) progress.Report(0.95 * Interlocked.Increment(ref _done) / units.Count);
            });
            Parallelism.ForRanges(n, 1024, threads, (s, e) =>
            {
                var exact = new double[kept];
                for (int i = s; i < e; i++) Finish(heaps, i, i, exact, i);
            });
            progress?.Report(1.0);
        }

        /// <summary>Listed rows as queries against all rows, tile by tile.</summary>
        public void Queries(int[] queryRows, int threads)
        {
            int tileRows = packed.RowMultiple * Math.Max(1, 256 / packed.RowMultiple);
            int tiles = (queryRows.Length + tileRows - 1) / tileRows;
            Parallelism.For(tiles, threads, queryTile =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var scratch = Scratch.For(tileRows, DataTile, dim);
                var heaps = scratch.Heaps(kept);
                heaps.Reset();
                int q0 = queryTile * tileRows, count = Math.Min(tileRows, queryRows.Length - q0);
                int padded = Gather(scratch.Queries, q0, count, queryRows);
                fixed (float* q = scratch.Queries, tile = scratch.Tile, normsPtr = norms)
                {
                    for (int j0 = 0; j0 < n; j0 += DataTile)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        int w = Math.Min(DataTile, n - j0);
                        packed.Multiply(q, dim, padded, j0, w, -2f, tile, DataTile);
                        for (int r = 0; r < count; r++)
                            ScanRow(heaps, r, tile + r * DataTile, normsPtr + j0, j0, w, self: _noSelf != 0 ? -1 : queryRows[q0 + r]);
                    }
                }
                for (int r = 0; r < count; r++) Finish(heaps, r, queryRows[q0 + r], scratch.Exact, q0 + r);
                if (progress != null) progress.Report((double)Interlocked.Increment(ref _done) / tiles);
            });
        }

        /// <summary>Copies rows (listed, or consecutive from <paramref name="start"/>) into a tile, zero-padded to a multiple of MR.</summary>
        private int Gather(float[] buffer, int start, int count, int[]? list)
        {
            int padded = (count + packed.RowMultiple - 1) / packed.RowMultiple * packed.RowMultiple;
            for (int r = 0; r < padded; r++)
            {
                var dst = buffer.AsSpan(r * dim, dim);
                if (r < count) _queryRows.Row(list?[start + r] ?? start + r).CopyTo(dst);
                else dst.Clear();
            }
            return padded;
        }

        /// <summary>Recomputes heap <paramref name="heapRow"/>'s candidates exactly, sorts them (ties by index), writes the best k.</summary>
        private void Finish(CandidateHeaps heaps, int heapRow, int self, double[] exact, int output)
        {
            int filled = heaps.Count[heapRow];
            var candidates = heaps.Indices.AsSpan(heapRow * heaps.Capacity, filled);
            var x = _queryRows.Row(self);
            for (int t = 0; t < filled; t++) exact[t] = SquaredDistance(x, rows.Row(candidates[t]));
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
                indices[(long)output * k + t] = candidates[t];
                distances[(long)output * k + t] = (float)Math.Sqrt(exact[t]);
            }
        }
    }

    /// <summary>Offers the scores ‖y_j‖² − 2·x·y_j of one tile row (x = row's point) to heap <paramref name="heapRow"/>.</summary>
    private static void ScanRow(CandidateHeaps heaps, int heapRow, float* dots, float* norms, int j0, int w, int self)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 16 <= w; j += 16)
            {
                var score = Vector512.Load(dots + j) + Vector512.Load(norms + j);
                // ≤, not <: an equal score with a smaller index still ranks better; Offer decides.
                ulong mask = Vector512.LessThanOrEqual(score, Vector512.Create(heaps.Threshold[heapRow])).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    int lane = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    if (j0 + j + lane != self) heaps.Offer(heapRow, score.GetElement(lane), j0 + j + lane);
                }
            }
        }
        for (; j < w; j++)
        {
            float score = dots[j] + norms[j];
            if (score <= heaps.Threshold[heapRow] && j0 + j != self) heaps.Offer(heapRow, score, j0 + j);
        }
    }

    /// <summary>
    /// Offers point <paramref name="index"/> (norm² <paramref name="norm"/>) to the heaps of columns j0 … j0+w, with
    /// scores ‖x_index‖² − 2·x_index·y_j, comparing 16 columns' thresholds at once.
    /// </summary>
    private static void ScanColumns(CandidateHeaps heaps, float* threshold, float* dots, float norm, int index, int j0, int w)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var normV = Vector512.Create(norm);
            for (; j + 16 <= w; j += 16)
            {
                var score = Vector512.Load(dots + j) + normV;
                ulong mask = Vector512.LessThanOrEqual(score, Vector512.Load(threshold + j)).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    int lane = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    heaps.Offer(j0 + j + lane, score.GetElement(lane), index);
                }
            }
        }
        for (; j < w; j++)
        {
            float score = dots[j] + norm;
            if (score <= threshold[j]) heaps.Offer(j0 + j, score, index);
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

    private static void EnsureFinite(Matrix data, string name = "data")
    {
        if (data.FindNonFinite() is { } bad)
            throw new ArgumentException($"Row {bad.Row}, column {bad.Column} of the {name} holds {bad.Value}; every value must be finite.", name);
    }

    /// <summary>The rows scaled to unit length (cosine distance ranks like Euclidean distance between them), stored like the data.</summary>
    private static Matrix Normalized(Matrix data, string name = "data")
    {
        int dim = data.Columns;
        var result = data.EmptyLike();
        for (int i = 0; i < data.Rows; i++)
        {
            var row = data.Row(i);
            double norm = Math.Sqrt(SquaredNorm(row));
            if (norm == 0)
                throw new ArgumentException($"Row {i} of the {name} is all zeros; the cosine metric needs every row to have a direction.", name);
            var dst = result.Row(i);
            for (int c = 0; c < dim; c++) dst[c] = (float)(row[c] / norm);
        }
        return result;
    }

    /// <summary>One thread's reusable buffers (a query tile, its distance tile, heaps for the query search).</summary>
    private sealed class Scratch
    {
        [ThreadStatic] private static Scratch? t_current;
        private CandidateHeaps? _heaps;

        private Scratch(int tileRows, int tileColumns, int dim)
        {
            TileRows = tileRows;
            TileColumns = tileColumns;
            Dim = dim;
            Queries = new float[tileRows * dim];
            Tile = new float[tileRows * tileColumns];
        }

        public int TileRows { get; }
        public int TileColumns { get; }
        public int Dim { get; }
        public float[] Queries { get; }
        public float[] Tile { get; }
        public double[] Exact { get; private set; } = [];

        public CandidateHeaps Heaps(int kept)
        {
            if (_heaps == null || _heaps.Capacity != kept)
            {
                _heaps = new CandidateHeaps(TileRows, kept);
                Exact = new double[kept];
            }
            return _heaps;
        }

        public static Scratch For(int tileRows, int tileColumns, int dim)
        {
            var s = t_current;
            if (s == null || s.TileRows != tileRows || s.TileColumns != tileColumns || s.Dim != dim)
                t_current = s = new Scratch(tileRows, tileColumns, dim);
            return s;
        }
    }
}
