using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ContrastiveNE.LinearAlgebra;

/// <summary>
/// Which micro-kernel family the GEMM runs. <see cref="Auto"/> picks the widest the hardware accelerates; the
/// others exist so tests can run every path on any machine (a forced path the hardware lacks still computes the
/// right answer, only slowly, through the software fallback of the vector types).
/// </summary>
internal enum GemmPath
{
    Auto,
    Vector512,
    Vector256,
    Scalar,
}

/// <summary>The register tile (MR × NR) and cache blocks of one kernel family.</summary>
internal readonly struct GemmGeometry
{
    /// <summary>Largest k-block: a KC × NR panel of packed B (32 KB at NR = 32) stays in the 48 KB L1.</summary>
    public const int KcMax = 256;

    private GemmGeometry(GemmPath path, int mr, int nr)
    {
        Path = path;
        Mr = mr;
        Nr = nr;
        // ~128 rows of A per unit: a 128 × KC block of A (128 KB) stays in L2 while every B strip passes over it.
        Mc = mr * Math.Max(1, 128 / mr);
    }

    public GemmPath Path { get; }

    /// <summary>Rows of the register tile.</summary>
    public int Mr { get; }

    /// <summary>Columns of the register tile (the width of a packed B strip).</summary>
    public int Nr { get; }

    /// <summary>Rows of C per work unit (a multiple of <see cref="Mr"/>).</summary>
    public int Mc { get; }

    public static GemmPath Resolve(GemmPath path)
    {
        if (path != GemmPath.Auto) return path;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported) return GemmPath.Vector512;
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported) return GemmPath.Vector256;
        return GemmPath.Scalar;
    }

    public static GemmGeometry For(GemmPath path) => Resolve(path) switch
    {
        // 8 × 32: 16 zmm accumulators + 2 B vectors + 1 broadcast of the 32 registers; 16 FMAs per 10 loads.
        GemmPath.Vector512 => new GemmGeometry(GemmPath.Vector512, 8, 32),
        // 6 × 16: 12 ymm accumulators + 2 B + 1 broadcast fit the 16 registers of AVX2 without spilling.
        GemmPath.Vector256 => new GemmGeometry(GemmPath.Vector256, 6, 16),
        _ => new GemmGeometry(GemmPath.Scalar, 4, 4),
    };

    /// <summary>Splits k into equal blocks of at most <see cref="KcMax"/> (784 → 4 × 196, not 3 × 256 + 16).</summary>
    public static int KcFor(int k)
    {
        int blocks = (k + KcMax - 1) / KcMax;
        return blocks == 0 ? 0 : (k + blocks - 1) / blocks;
    }
}
