namespace ContrastiveNE.Neighbors;

/// <summary>
/// The k nearest neighbours of a set of query points: row q of <see cref="Indices"/> / <see cref="Distances"/>
/// (row-major, Count × K) lists its neighbours in increasing distance (ties by smaller index).
/// </summary>
public sealed class KnnResult
{
    /// <summary>Wraps the given tables (not copied).</summary>
    public KnnResult(int count, int k, int[] indices, float[] distances)
    {
        if (indices.Length != (long)count * k || distances.Length != (long)count * k)
            throw new ArgumentException($"A {count} × {k} kNN result needs {(long)count * k} indices and distances.");
        Count = count;
        K = k;
        Indices = indices;
        Distances = distances;
    }

    /// <summary>Number of query points.</summary>
    public int Count { get; }

    /// <summary>Neighbours per point.</summary>
    public int K { get; }

    /// <summary>Neighbour indices, Count × K, row-major.</summary>
    public int[] Indices { get; }

    /// <summary>Euclidean distances (not squared) to the neighbours, Count × K, row-major.</summary>
    public float[] Distances { get; }

    /// <summary>
    /// A row order of the search's own that keeps nearby points at nearby positions (NN-descent's first tree's leaf
    /// order: element p is the row stored at position p), or null. Large fits relabel their points by it so that a
    /// point's neighbours lie near it in memory (docs/scaling.md).
    /// </summary>
    internal int[]? LocalityOrder { get; init; }

    /// <summary>The neighbours of query <paramref name="query"/>.</summary>
    public ReadOnlySpan<int> NeighborsOf(int query) => Indices.AsSpan(query * K, K);

    /// <summary>The symmetric binary graph of docs/method.md §1 (valid when the queries are all n data points in order).</summary>
    public NeighborGraph ToGraph() => NeighborGraph.FromKnn(Count, K, Indices);
}
