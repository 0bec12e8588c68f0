using ContrastiveNE.Randomness;

namespace ContrastiveNE.Metrics;

/// <summary>The seeded random subset of points that the sampled metrics are averaged over.</summary>
internal static class PointSample
{
    /// <summary>
    /// <paramref name="size"/> distinct indices out of 0 … <paramref name="n"/> − 1 in increasing order, drawn
    /// uniformly with seed <paramref name="seed"/>; every index when <paramref name="n"/> ≤ <paramref name="size"/>.
    /// </summary>
    public static int[] Draw(int n, int size, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        if (n <= size) return all;
        // Partial Fisher–Yates: the first `size` slots become a uniform sample without replacement.
        var rng = Xoshiro256.Create(unchecked((ulong)seed), stream: 0x5A);
        for (int i = 0; i < size; i++)
        {
            int j = i + rng.NextInt(n - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        var sample = all.AsSpan(0, size).ToArray();
        Array.Sort(sample);
        return sample;
    }
}
