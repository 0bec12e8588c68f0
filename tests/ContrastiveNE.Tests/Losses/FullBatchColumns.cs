namespace ContrastiveNE.Tests.Losses;

/// <summary>The explicit negative columns of a full batch, to drive a loss through its given-columns path.</summary>
internal static class FullBatchColumns
{
    /// <summary>
    /// Columns of a batch of <paramref name="b"/> pairs with every other row a negative: per head i, its partner i + b
    /// first, then the m = 2b − 2 rows that are neither i nor its partner, in row order.
    /// </summary>
    public static int[] For(int b)
    {
        int m = 2 * b - 2;
        var columns = new int[b * (m + 1)];
        for (int i = 0; i < b; i++)
        {
            int k = 0;
            columns[i * (m + 1) + k++] = i + b;
            for (int j = 0; j < 2 * b; j++) if (j != i && j != i + b) columns[i * (m + 1) + k++] = j;
        }
        return columns;
    }
}
