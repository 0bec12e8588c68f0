using System.Runtime.CompilerServices;

namespace ContrastiveNE.Gpu.Kernels;

/// <summary>
/// The counter-based generator Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11):
/// a keyed bijection of a 128-bit counter. A kernel thread needs no state — the random words for (batch, head,
/// negative) are simply the encryption of that triple under the seed — so the same seed gives the same negatives on
/// any device and in any launch order. Plain static code: it runs inside ILGPU kernels and on the host alike.
/// </summary>
internal static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>Encrypts the counter (<paramref name="c0"/>…<paramref name="c3"/>) under the key (<paramref name="k0"/>, <paramref name="k1"/>); returns the four output words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PhiloxBlock Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < 10; round++)
        {
            if (round > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0, hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }
        return new PhiloxBlock(c0, c1, c2, c3);
    }

    /// <summary>One word of the block for the counter, <paramref name="lane"/> ∈ {0,1,2,3} choosing which.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Word(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, int lane)
    {
        var b = Block(c0, c1, c2, c3, k0, k1);
        return lane == 0 ? b.X0 : lane == 1 ? b.X1 : lane == 2 ? b.X2 : b.X3;
    }

    /// <summary>Maps a uniform 32-bit word to [0, <paramref name="bound"/>) by a multiply-high (Lemire); bias ≤ bound/2³².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Below(uint word, int bound) => (int)(((ulong)word * (uint)bound) >> 32);
}

/// <summary>The four output words of one Philox block (a plain struct, as ILGPU kernels need).</summary>
/// <param name="X0">Word 0.</param>
/// <param name="X1">Word 1.</param>
/// <param name="X2">Word 2.</param>
/// <param name="X3">Word 3.</param>
internal readonly record struct PhiloxBlock(uint X0, uint X1, uint X2, uint X3);
