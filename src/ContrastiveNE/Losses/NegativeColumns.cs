using System.Runtime.CompilerServices;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Losses;

/// <summary>Chooses, for head i of a batch of b pairs, its positive (column 0) and its m negatives as feature rows.</summary>
internal interface INegativeColumns
{
    /// <summary>Writes the m + 1 row numbers of head <paramref name="head"/> into <paramref name="columns"/>.</summary>
    void Fill(int head, Span<int> columns, ref Xoshiro256 random);
}

/// <summary>
/// docs/method.md §2: m rows drawn uniformly with replacement from the 2b − 1 rows other than the head (its partner included).
/// Drawing r ∈ [0, 2b − 1) and taking (i + 1 + r) mod 2b covers exactly those rows.
/// </summary>
internal readonly struct RandomNegatives(int pairs) : INegativeColumns
{
    private readonly int _b = pairs;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Fill(int head, Span<int> columns, ref Xoshiro256 random)
    {
        int rows = 2 * _b;
        ulong bound = (ulong)(rows - 1);
        columns[0] = head + _b;
        // Two draws per 64-bit output: Lemire's multiply-shift on each 32-bit half (bias below 2⁻³²·bound each).
        int k = 1;
        for (; k + 1 < columns.Length; k += 2)
        {
            ulong bits = random.NextUInt64();
            int j1 = head + 1 + (int)(((bits & 0xFFFFFFFFUL) * bound) >> 32);
            int j2 = head + 1 + (int)(((bits >> 32) * bound) >> 32);
            columns[k] = j1 >= rows ? j1 - rows : j1;
            columns[k + 1] = j2 >= rows ? j2 - rows : j2;
        }
        if (k < columns.Length)
        {
            int j = head + 1 + (int)(((random.NextUInt64() >> 32) * bound) >> 32);
            columns[k] = j >= rows ? j - rows : j;
        }
    }
}

/// <summary>Full-batch repulsion (negative_samples = −1): every row but the head and its partner, no randomness.</summary>
internal readonly struct FullBatchNegatives(int pairs) : INegativeColumns
{
    private readonly int _b = pairs;

    public void Fill(int head, Span<int> columns, ref Xoshiro256 random)
    {
        int b = _b, k = 0;
        columns[k++] = head + b;
        for (int j = 0; j < b; j++) if (j != head) columns[k++] = j;
        for (int j = b; j < 2 * b; j++) if (j != head + b) columns[k++] = j;
    }
}

/// <summary>Columns given explicitly (b × (m + 1), row-major), as in the golden cases.</summary>
internal readonly struct GivenColumns(int[] table) : INegativeColumns
{
    private readonly int[] _table = table;

    public void Fill(int head, Span<int> columns, ref Xoshiro256 random) =>
        _table.AsSpan(head * columns.Length, columns.Length).CopyTo(columns);
}
