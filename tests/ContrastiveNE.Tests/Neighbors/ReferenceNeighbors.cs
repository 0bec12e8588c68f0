using ContrastiveNE.Data;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Tests.Neighbors;

/// <summary>Test-only exact neighbours: plain double-precision brute force over a set of query rows.</summary>
internal static class ReferenceNeighbors
{
    /// <summary>Squared distance between two rows, summed in double.</summary>
    public static double Distance2(Matrix data, int i, int j)
    {
        var a = data.Row(i);
        var b = data.Row(j);
        double s = 0;
        for (int c = 0; c < a.Length; c++) { double t = (double)a[c] - b[c]; s += t * t; }
        return s;
    }

    /// <summary>The squared distance from each query to its k-th nearest other row (itself excluded by index).</summary>
    public static double[] KthDistance2(Matrix data, int k, int[] queries)
    {
        var result = new double[queries.Length];
        Parallel.For(0, queries.Length, q =>
        {
            int i = queries[q];
            var d2 = new double[data.Rows - 1];
            for (int j = 0, t = 0; j < data.Rows; j++)
                if (j != i) d2[t++] = Distance2(data, i, j);
            Array.Sort(d2);
            result[q] = d2[k - 1];
        });
        return result;
    }

    /// <summary>
    /// Recall@k over the queries: the fraction of listed neighbours that belong to an exact k-nearest set, i.e. lie
    /// no farther than the exact k-th distance (ties at that distance are all correct answers), never the query.
    /// </summary>
    public static double Recall(Matrix data, KnnResult found, int[] queries)
    {
        int k = found.K;
        var kth = KthDistance2(data, k, queries);
        long hits = 0;
        for (int q = 0; q < queries.Length; q++)
        {
            foreach (int j in found.NeighborsOf(queries[q]))
                if (j != queries[q] && Distance2(data, queries[q], j) <= kth[q]) hits++;
        }
        return (double)hits / ((long)queries.Length * k);
    }

    /// <summary>Queries 0 … count − 1 spread evenly over n rows.</summary>
    public static int[] Spread(int n, int count)
    {
        var rows = new int[Math.Min(n, count)];
        for (int i = 0; i < rows.Length; i++) rows[i] = (int)((long)i * n / rows.Length);
        return rows;
    }
}
