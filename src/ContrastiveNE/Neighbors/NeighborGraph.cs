namespace ContrastiveNE.Neighbors;

/// <summary>
/// The symmetric, binary neighbour graph that training samples its positive pairs from (SPEC §1.1–1.2):
/// A = max(A, Aᵀ) with every entry 1, stored as CSR with sorted, unique column indices and no self-loops.
/// Every stored entry (i, j) is one directed edge, so each undirected pair appears twice in <see cref="EdgeHeads"/>
/// / <see cref="EdgeTails"/>.
/// </summary>
public sealed class NeighborGraph
{
    private NeighborGraph(int nodeCount, int[] rowOffsets, int[] columns)
    {
        NodeCount = nodeCount;
        RowOffsets = rowOffsets;
        Columns = columns;
        EdgeHeads = new int[columns.Length];
        for (int i = 0; i < nodeCount; i++)
            EdgeHeads.AsSpan(rowOffsets[i], rowOffsets[i + 1] - rowOffsets[i]).Fill(i);
        EdgeTails = columns;
    }

    /// <summary>Number of nodes n (rows of the data).</summary>
    public int NodeCount { get; }

    /// <summary>CSR row offsets, length n + 1: the neighbours of i are <c>Columns[RowOffsets[i]..RowOffsets[i+1]]</c>.</summary>
    public int[] RowOffsets { get; }

    /// <summary>CSR column indices, sorted and unique within each row.</summary>
    public int[] Columns { get; }

    /// <summary>Head of every directed edge, in CSR order.</summary>
    public int[] EdgeHeads { get; }

    /// <summary>Tail of every directed edge, in CSR order (the same array as <see cref="Columns"/>).</summary>
    public int[] EdgeTails { get; }

    /// <summary>Number of directed edges (stored entries).</summary>
    public int EdgeCount => Columns.Length;

    /// <summary>The neighbours of node <paramref name="node"/>.</summary>
    public ReadOnlySpan<int> Neighbors(int node) => Columns.AsSpan(RowOffsets[node], RowOffsets[node + 1] - RowOffsets[node]);

    /// <summary>Whether (i, j) is an edge.</summary>
    public bool HasEdge(int i, int j) => Neighbors(i).BinarySearch(j) >= 0;

    /// <summary>
    /// Builds the symmetric binary graph from a kNN table: row i of <paramref name="indices"/> (n × k, row-major)
    /// lists the neighbours of i. Entries &lt; 0 are treated as missing.
    /// </summary>
    public static NeighborGraph FromKnn(int n, int k, ReadOnlySpan<int> indices)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 0);
        if (indices.Length != (long)n * k)
            throw new ArgumentException($"The kNN table holds {indices.Length} entries; {n} rows × {k} neighbours need {(long)n * k}.", nameof(indices));
        var heads = new int[indices.Length];
        for (int i = 0; i < n; i++) heads.AsSpan(i * k, k).Fill(i);
        return Build(n, heads, indices, "indices", allowMissing: true);
    }

    /// <summary>
    /// Builds the graph from a user's edge list: only the pattern counts (weights are not used), it is symmetrised,
    /// duplicates are merged. Indices must lie in [0, n) and self-loops are rejected.
    /// </summary>
    public static NeighborGraph FromEdges(int n, ReadOnlySpan<int> heads, ReadOnlySpan<int> tails)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (heads.Length != tails.Length)
            throw new ArgumentException($"The edge list has {heads.Length} heads but {tails.Length} tails.", nameof(tails));
        return Build(n, heads, tails, "edges", allowMissing: false);
    }

    /// <summary>
    /// Builds the graph from a user's square CSR pattern (n × n): <paramref name="rowOffsets"/> of length n + 1,
    /// non-decreasing from 0 to the number of entries. It is symmetrised; self-loops are rejected.
    /// </summary>
    public static NeighborGraph FromCsr(int n, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<int> columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (rowOffsets.Length != n + 1)
            throw new ArgumentException($"A square graph of {n} nodes needs {n + 1} row offsets, got {rowOffsets.Length}.", nameof(rowOffsets));
        if (rowOffsets[0] != 0 || rowOffsets[n] != columns.Length)
            throw new ArgumentException($"Row offsets must run from 0 to the number of column entries ({columns.Length}); they run from {rowOffsets[0]} to {rowOffsets[n]}.", nameof(rowOffsets));
        var heads = new int[columns.Length];
        for (int i = 0; i < n; i++)
        {
            int start = rowOffsets[i], end = rowOffsets[i + 1];
            if (end < start)
                throw new ArgumentException($"Row offsets decrease at row {i} ({start} → {end}).", nameof(rowOffsets));
            heads.AsSpan(start, end - start).Fill(i);
        }
        return Build(n, heads, columns, "columns", allowMissing: false);
    }

    private static NeighborGraph Build(int n, ReadOnlySpan<int> heads, ReadOnlySpan<int> tails, string paramName, bool allowMissing)
    {
        // Count both directions of every entry, then fill, sort each row and drop duplicates.
        var counts = new int[n + 1];
        for (int e = 0; e < heads.Length; e++)
        {
            int i = heads[e], j = tails[e];
            if (j < 0 && allowMissing) continue;
            if ((uint)i >= (uint)n || (uint)j >= (uint)n)
                throw new ArgumentException($"Entry {e} ({i}, {j}) has a node index outside [0, {n}).", paramName);
            if (i == j)
            {
                if (allowMissing) continue; // a kNN table never lists the point itself; tolerate it defensively
                throw new ArgumentException($"Entry {e} is a self-loop at node {i}; a neighbour graph has none.", paramName);
            }
            counts[i + 1]++;
            counts[j + 1]++;
        }
        for (int i = 0; i < n; i++) counts[i + 1] += counts[i];
        var fill = new int[counts[n]];
        var cursor = counts.AsSpan(0, n).ToArray();
        for (int e = 0; e < heads.Length; e++)
        {
            int i = heads[e], j = tails[e];
            if (j < 0 || i == j) continue;
            fill[cursor[i]++] = j;
            fill[cursor[j]++] = i;
        }
        var offsets = new int[n + 1];
        int write = 0;
        for (int i = 0; i < n; i++)
        {
            var row = fill.AsSpan(counts[i], counts[i + 1] - counts[i]);
            row.Sort();
            offsets[i] = write;
            int last = -1;
            foreach (int j in row)
            {
                if (j == last) continue;
                fill[write++] = last = j;
            }
        }
        offsets[n] = write;
        return new NeighborGraph(n, offsets, fill.AsSpan(0, write).ToArray());
    }
}
