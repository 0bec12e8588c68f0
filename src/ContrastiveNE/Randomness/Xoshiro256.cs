using System.Numerics;
using System.Runtime.CompilerServices;

namespace ContrastiveNE.Randomness;

/// <summary>
/// xoshiro256** (Blackman and Vigna, 2018): a small, fast generator with 256 bits of state. Seeded through
/// SplitMix64 from a (seed, stream) pair, so that every work unit of a parallel computation can own an independent
/// stream derived in a fixed way from the user's seed; results then do not depend on the number of threads.
/// </summary>
/// <remarks>A mutable struct: pass it by <c>ref</c>, never copy it by accident.</remarks>
public struct Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>The generator for stream <paramref name="stream"/> of seed <paramref name="seed"/>.</summary>
    public static Xoshiro256 Create(ulong seed, ulong stream = 0)
    {
        // Mix the stream number through one SplitMix64 step first, so that neighbouring (seed, stream) pairs
        // start SplitMix64 far apart, then draw the four state words from SplitMix64 as the authors recommend.
        ulong x = seed ^ SplitMix64.Mix(stream + 0x632BE59BD9B4E019UL);
        var g = new Xoshiro256
        {
            _s0 = SplitMix64.Next(ref x),
            _s1 = SplitMix64.Next(ref x),
            _s2 = SplitMix64.Next(ref x),
            _s3 = SplitMix64.Next(ref x),
        };
        if ((g._s0 | g._s1 | g._s2 | g._s3) == 0) g._s0 = 1; // the all-zero state is the one fixed point
        return g;
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), by Lemire's multiply-shift (bias below 2⁻³²·bound).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int NextInt(int bound) => (int)(((NextUInt64() >> 32) * (ulong)(uint)bound) >> 32);

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal value (Box–Muller; one of the pair is discarded for simplicity).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}

/// <summary>SplitMix64 (Steele, Lea, Flood 2014): used to seed and to derive streams.</summary>
internal static class SplitMix64
{
    /// <summary>Advances <paramref name="state"/> and returns the next output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Next(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>The SplitMix64 finaliser: a bijective 64-bit mix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
