using ContrastiveNE.Neighbors;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Tsne;

/// <summary>
/// The symmetric input affinities P of t-SNE on a sparse neighbour graph, as CSR with sorted unique columns and
/// weights that sum to 1 over all stored (directed) entries. Built from conditional affinities p_{j|i} over each
/// point's kNN list — Gaussian with a per-point bandwidth calibrated to a perplexity (van der Maaten &amp; Hinton 2008),
/// or uniform 1/k — and symmetrised as pᵢⱼ = (p_{j|i} + p_{i|j}) / 2n.
/// </summary>
public sealed class AffinityMatrix
{
    private AffinityMatrix(int nodeCount, int[] rowOffsets, int[] columns, float[] weights)
    {
        NodeCount = nodeCount;
        RowOffsets = rowOffsets;
        Columns = columns;
        Weights = weights;
    }

    /// <summary>Number of points n.</summary>
    public int NodeCount { get; }

    /// <summary>CSR row offsets (length n + 1).</summary>
    public int[] RowOffsets { get; }

    /// <summary>CSR columns, sorted and unique within each row.</summary>
    public int[] Columns { get; }

    /// <summary>pᵢⱼ of every stored entry; symmetric, summing to 1.</summary>
    public float[] Weights { get; }

    /// <summary>Number of stored (directed) entries.</summary>
    public int EntryCount => Columns.Length;

    /// <summary>
    /// Affinities from a kNN search of all n points: Gaussian conditional affinities calibrated to
    /// <paramref name="perplexity"/> over each point's k neighbours, or uniform ones (1/k) when it is null.
    /// </summary>
    /// <param name="knn">The neighbours of every point (queries = all rows in order).</param>
    /// <param name="perplexity">Target perplexity, 0 &lt; perplexity ≤ k; null for uniform weights.</param>
    /// <param name="threads">Threads (≤ 0: all). The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The perplexity is not in (0, k].</exception>
    public static AffinityMatrix FromKnn(KnnResult knn, double? perplexity, int threads = 0) => FromKnn(knn, perplexity, threads, null);

    /// <summary>
    /// <see cref="FromKnn(KnnResult, double?, int)"/> with the points relabelled: row i of the kNN result becomes point
    /// <paramref name="position"/>[i] of the affinities (null: unchanged).
    /// </summary>
    internal static AffinityMatrix FromKnn(KnnResult knn, double? perplexity, int threads, int[]? position)
    {
        ArgumentNullException.ThrowIfNull(knn);
        int n = knn.Count, k = knn.K;
        if (perplexity is { } perp && !(perp > 0 && perp <= k))
            throw new ArgumentOutOfRangeException(nameof(perplexity), perp, $"The perplexity must lie in (0, k = {k}]: a point's k neighbours cannot carry more.");
        var conditional = new float[(long)n * k];
        if (perplexity is null) Array.Fill(conditional, 1f / k);
        else
        {
            double target = Math.Log(perplexity.Value);
            Parallelism.ForRanges(n, 1024, threads, (s, e) =>
            {
                var d2 = new double[k];
                var p = new double[k];
                for (int i = s; i < e; i++)
                {
                    for (int j = 0; j < k; j++) { double d = knn.Distances[(long)i * k + j]; d2[j] = d * d; }
                    Calibrate(d2, p, target);
                    for (int j = 0; j < k; j++) conditional[(long)i * k + j] = (float)p[j];
                }
            });
        }
        return Symmetrize(n, k, knn.Indices, conditional, position);
    }

    /// <summary>Uniform affinities on a binary graph: every stored entry gets 1 / (number of entries).</summary>
    public static AffinityMatrix Uniform(NeighborGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var weights = new float[graph.EdgeCount];
        Array.Fill(weights, 1f / graph.EdgeCount);
        return new AffinityMatrix(graph.NodeCount, graph.RowOffsets, graph.Columns, weights);
    }

    /// <summary>
    /// Bisection on the precision β of p_j ∝ exp(−β (d²ⱼ − d²₀)) until the entropy −Σ p log p equals
    /// <paramref name="target"/> (natural log of the perplexity); d²₀, the nearest distance, keeps the exponentials in range.
    /// </summary>
    internal static void Calibrate(ReadOnlySpan<double> d2, Span<double> p, double target)
    {
        int k = d2.Length;
        double min = d2[0];
        for (int j = 1; j < k; j++) min = Math.Min(min, d2[j]);
        double beta = 1, lo = 0, hi = double.PositiveInfinity;
        // Scale the start to the data: β = 1 / (mean shifted squared distance).
        double mean = 0;
        for (int j = 0; j < k; j++) mean += d2[j] - min;
        if (mean > 0) beta = k / mean;
        for (int iteration = 0; iteration < 200; iteration++)
        {
            double sum = 0, weighted = 0;
            for (int j = 0; j < k; j++)
            {
                double shifted = d2[j] - min;
                double v = Math.Exp(-beta * shifted);
                p[j] = v;
                sum += v;
                weighted += v * shifted;
            }
            // H = log Σ + β Σ p·(d² − d²₀) / Σ
            double entropy = Math.Log(sum) + beta * weighted / sum;
            for (int j = 0; j < k; j++) p[j] /= sum;
            double error = entropy - target;
            if (Math.Abs(error) < 1e-5) return;
            if (error > 0) { lo = beta; beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2; }
            else { hi = beta; beta = (beta + lo) / 2; }
        }
    }

    /// <summary>
    /// pᵢⱼ = (p_{j|i} + p_{i|j}) / Σ: every kNN entry is stored in both its rows, each row sorted by column, duplicates
    /// (i in j's list and j in i's) summed in double. Two passes over the sorted rows — one counting the unique entries
    /// and summing the total, one writing the exact-size result — so no growing lists or double-precision copies of the
    /// 2·n·k entries are held (at 10⁶ × 15 this kept ≈ 500 MB off the peak; docs/scaling.md).
    /// </summary>
    private static AffinityMatrix Symmetrize(int n, int k, int[] indices, float[] conditional, int[]? position)
    {
        var counts = new int[n + 1];
        for (long e = 0; e < (long)n * k; e++)
        {
            int i = (int)(e / k), j = indices[e];
            if (j < 0 || j == i) continue;
            if (position != null) { i = position[i]; j = position[j]; }
            counts[i + 1]++;
            counts[j + 1]++;
        }
        for (int i = 0; i < n; i++) counts[i + 1] += counts[i];
        var cols = new int[counts[n]];
        var vals = new float[counts[n]];
        var cursor = counts.AsSpan(0, n).ToArray();
        for (long e = 0; e < (long)n * k; e++)
        {
            int i = (int)(e / k), j = indices[e];
            if (j < 0 || j == i) continue;
            if (position != null) { i = position[i]; j = position[j]; }
            cols[cursor[i]] = j; vals[cursor[i]++] = conditional[e];
            cols[cursor[j]] = i; vals[cursor[j]++] = conditional[e];
        }
        // Pass 1: sort each row, count its unique columns, and sum every value in row order (the total's order).
        var offsets = new int[n + 1];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            int s = counts[i], len = counts[i + 1] - s;
            Array.Sort(cols, vals, s, len);
            int unique = 0;
            for (int t = s; t < s + len; t++)
            {
                if (t == s || cols[t] != cols[t - 1]) unique++;
                total += vals[t];
            }
            offsets[i + 1] = offsets[i] + unique;
        }
        // Pass 2: the unique columns and their summed values, normalised.
        var outCols = new int[offsets[n]];
        var weights = new float[offsets[n]];
        for (int i = 0; i < n; i++)
        {
            int s = counts[i], end = counts[i + 1], w = offsets[i] - 1;
            double sum = 0;
            for (int t = s; t < end; t++)
            {
                if (t == s || cols[t] != cols[t - 1])
                {
                    if (w >= offsets[i]) weights[w] = (float)(sum / total);
                    outCols[++w] = cols[t];
                    sum = vals[t];
                }
                else sum += vals[t];
            }
            if (w >= offsets[i]) weights[w] = (float)(sum / total);
        }
        return new AffinityMatrix(n, offsets, outCols, weights);
    }
}
