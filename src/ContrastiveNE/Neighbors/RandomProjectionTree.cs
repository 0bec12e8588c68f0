using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Neighbors;

/// <summary>
/// One random-projection tree (as in pynndescent): each node splits its points by the hyperplane equidistant from
/// two of them drawn at random, until a node holds at most the leaf size. Only the leaves are kept: the tree's
/// point order with the leaves as consecutive ranges.
/// </summary>
/// <remarks>
/// Points in one leaf are likely near each other, so all pairs within a leaf make a good first guess for
/// NN-descent. The tree depends only on the data and its own random stream.
/// </remarks>
internal sealed class RandomProjectionTree
{
    private RandomProjectionTree(int[] order, int[] leafStarts)
    {
        Order = order;
        LeafStarts = leafStarts;
    }

    /// <summary>The points, permuted so that every leaf is a consecutive range.</summary>
    public int[] Order { get; }

    /// <summary>Leaf l holds <c>Order[LeafStarts[l] .. LeafStarts[l + 1]]</c>; length = leaves + 1.</summary>
    public int[] LeafStarts { get; }

    /// <summary>Number of leaves.</summary>
    public int LeafCount => LeafStarts.Length - 1;

    /// <summary>Builds a tree over the rows of <paramref name="data"/> (contiguous or chunked).</summary>
    public static RandomProjectionTree Build(Matrix data, int leafSize, ref Xoshiro256 rng)
    {
        int n = data.Rows, dim = data.Columns;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var scratch = new int[n];
        var normal = new float[dim];
        var leafStarts = new List<int>(2 * n / Math.Max(1, leafSize) + 2);
        // Depth-first with an explicit stack; the right half is pushed first so leaves come out left to right.
        var stack = new Stack<(int Start, int End)>();
        stack.Push((0, n));
        while (stack.Count > 0)
        {
            var (start, end) = stack.Pop();
            if (end - start <= leafSize)
            {
                leafStarts.Add(start);
                continue;
            }
            int mid = Split(data, dim, order.AsSpan(start, end - start), scratch, normal, ref rng) + start;
            stack.Push((mid, end));
            stack.Push((start, mid));
        }
        leafStarts.Add(n);
        return new RandomProjectionTree(order, leafStarts.ToArray());
    }

    /// <summary>Partitions <paramref name="points"/> in place; returns the size of the first part (never 0 nor all).</summary>
    private static int Split(Matrix data, int dim, Span<int> points, int[] scratch, float[] normal, ref Xoshiro256 rng)
    {
        int count = points.Length;
        int a = rng.NextInt(count);
        int b = rng.NextInt(count - 1);
        if (b >= a) b++;
        var rowA = data.Row(points[a]);
        var rowB = data.Row(points[b]);
        // Hyperplane normal·x + offset = 0 through the midpoint of a and b, perpendicular to a − b.
        float offset = 0f;
        for (int c = 0; c < dim; c++)
        {
            float w = rowA[c] - rowB[c];
            normal[c] = w;
            offset -= w * 0.5f * (rowA[c] + rowB[c]);
        }
        int left = 0, right = count;
        var sideScratch = scratch.AsSpan(0, count);
        foreach (int p in points)
        {
            float margin = Dot(normal, data.Row(p)) + offset;
            // Points exactly on the plane (duplicates of the midpoint) go to a random side.
            bool goLeft = margin > 0f || (margin == 0f && (rng.NextUInt64() & 1) == 0);
            if (goLeft) sideScratch[left++] = p;
            else sideScratch[--right] = p;
        }
        if (left == 0 || left == count)
        {
            // Degenerate split (all points on one side, e.g. many duplicates): halve a random shuffle instead.
            rng.Shuffle(points);
            return count / 2;
        }
        // Right part was filled from the end; restore its input order so the result reads naturally.
        sideScratch[left..].Reverse();
        sideScratch.CopyTo(points);
        return left;
    }

    private static float Dot(float[] normal, ReadOnlySpan<float> row) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(normal.AsSpan(0, row.Length), row);
}
