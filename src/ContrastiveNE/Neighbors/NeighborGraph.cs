namespace ContrastiveNE.Neighbors;

/// <summary>
/// The neighbour graph that training samples its positive pairs from (docs/method.md §1.1–1.2), stored
/// as CSR with the column indices of each row sorted. Every stored entry (i, j) is one directed edge
/// (<see cref="EdgeHeads"/> / <see cref="EdgeTails"/>). A kNN graph (<see cref="FromKnn"/>) is symmetric and binary,
/// A = max(A, Aᵀ), so each undirected pair appears twice and no point is its own neighbour. A user's graph
/// (<see cref="FromEdges"/>, <see cref="FromCsr"/>) is used as given, as the reference's <c>graph.tocsr()</c> does:
/// not symmetrised, self-loops kept; symmetrising it is an explicit choice.
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

    /// <summary>CSR column indices, sorted within each row (unique unless a user's CSR graph repeats an entry).</summary>
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
    /// lists the neighbours of i. Entries &lt; 0 are treated as missing, and a point listed as its own neighbour is skipped.
    /// </summary>
    public static NeighborGraph FromKnn(int n, int k, ReadOnlySpan<int> indices)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 0);
        if (indices.Length != (long)n * k)
            throw new ArgumentException($"The kNN table holds {indices.Length} entries; {n} rows × {k} neighbours need {(long)n * k}.", nameof(indices));
        // No heads array: entry e of the table belongs to row e / k (saves n·k ints while the graph is built).
        return Build(n, default, indices, "indices", fromKnn: true, symmetrize: true, mergeDuplicates: true, k);
    }

    /// <summary>
    /// Builds the graph from a user's edge list (i → j for every e with heads[e] = i, tails[e] = j). Only the pattern
    /// counts (weights are not used) and a repeated pair is one edge, as in a sparse COO matrix turned into CSR. By
    /// default the graph is used as given: not symmetrised, self-loops kept (the reference's behaviour).
    /// </summary>
    /// <param name="n">Number of nodes; indices must lie in [0, n).</param>
    /// <param name="heads">Edge heads.</param>
    /// <param name="tails">Edge tails.</param>
    /// <param name="symmetrize">True: A = max(A, Aᵀ), every pair in both directions.</param>
    public static NeighborGraph FromEdges(int n, ReadOnlySpan<int> heads, ReadOnlySpan<int> tails, bool symmetrize = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (heads.Length != tails.Length)
            throw new ArgumentException($"The edge list has {heads.Length} heads but {tails.Length} tails.", nameof(tails));
        return Build(n, heads, tails, "edges", fromKnn: false, symmetrize, mergeDuplicates: true);
    }

    /// <summary>
    /// Builds the graph from a user's square CSR pattern (n × n): <paramref name="rowOffsets"/> of length n + 1,
    /// non-decreasing from 0 to the number of entries. By default it is used as given, as the reference does: every
    /// stored entry is one directed edge (a repeated entry too), not symmetrised, self-loops kept.
    /// </summary>
    /// <param name="n">Number of nodes.</param>
    /// <param name="rowOffsets">CSR row offsets (n + 1 entries).</param>
    /// <param name="columns">CSR column indices, each in [0, n).</param>
    /// <param name="symmetrize">True: A = max(A, Aᵀ) (binary: repeated entries merged), every pair in both directions.</param>
    public static NeighborGraph FromCsr(int n, ReadOnlySpan<int> rowOffsets, ReadOnlySpan<int> columns, bool symmetrize = false)
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
        return Build(n, heads, columns, "columns", fromKnn: false, symmetrize, mergeDuplicates: symmetrize);
    }

    private static NeighborGraph Build(int n, ReadOnlySpan<int> heads, ReadOnlySpan<int> tails, string paramName, bool fromKnn,
        bool symmetrize, bool mergeDuplicates, int rowLength = 0)
    {
        // rowLength > 0: a kNN table, heads implied (entry e belongs to row e / rowLength) and not passed.
        // Count every entry (and its mirror when symmetrising; a self-loop has none), then fill and sort each row.
        var counts = new int[n + 1];
        for (int e = 0; e < tails.Length; e++)
        {
            int i = rowLength > 0 ? e / rowLength : heads[e], j = tails[e];
            if (j < 0 && fromKnn) continue;
            if ((uint)i >= (uint)n || (uint)j >= (uint)n)
                throw new ArgumentException($"Entry {e} ({i}, {j}) has a node index outside [0, {n}).", paramName);
            if (i == j && fromKnn) continue; // a kNN table never lists the point itself; tolerate it defensively
            counts[i + 1]++;
            if (symmetrize && i != j) counts[j + 1]++;
        }
        for (int i = 0; i < n; i++) counts[i + 1] += counts[i];
        var fill = new int[counts[n]];
        var cursor = counts.AsSpan(0, n).ToArray();
        for (int e = 0; e < tails.Length; e++)
        {
            int i = rowLength > 0 ? e / rowLength : heads[e], j = tails[e];
            if (fromKnn && (j < 0 || i == j)) continue;
            fill[cursor[i]++] = j;
            if (symmetrize && i != j) fill[cursor[j]++] = i;
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
                if (mergeDuplicates && j == last) continue;
                fill[write++] = last = j;
            }
        }
        offsets[n] = write;
        return new NeighborGraph(n, offsets, fill.AsSpan(0, write).ToArray());
    }
}
