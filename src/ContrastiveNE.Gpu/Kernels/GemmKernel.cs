using ILGPU;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Kernels;

/// <summary>The shape of one GEMM launch: C (M × N) = α·op(A)·op(B) + β·C, all row-major with leading dimensions.</summary>
internal struct GemmParams
{
    /// <summary>Rows of op(A) and C.</summary>
    public int M;
    /// <summary>Columns of op(B) and C.</summary>
    public int N;
    /// <summary>Columns of op(A) = rows of op(B).</summary>
    public int K;
    /// <summary>Row stride of A as stored.</summary>
    public int Lda;
    /// <summary>Row stride of B as stored.</summary>
    public int Ldb;
    /// <summary>Row stride of C.</summary>
    public int Ldc;
    /// <summary>1 when op(A) = Aᵀ.</summary>
    public int TransA;
    /// <summary>1 when op(B) = Bᵀ.</summary>
    public int TransB;
    /// <summary>α.</summary>
    public float Alpha;
    /// <summary>β (0 overwrites C without reading it, so C may hold garbage).</summary>
    public float Beta;
}

/// <summary>
/// Tiled shared-memory SGEMM. A group of 8 × 8 threads owns a 64 × 64 block of C; each thread accumulates an 8 × 8
/// micro-tile in registers (rows ty + 8r, columns tx + 8c, so neighbouring threads touch neighbouring columns).
/// Per step the group stages a 64 × 16 panel of op(A) and a 16 × 64 panel of op(B) in shared memory (16 loads per
/// thread each); every shared value loaded then feeds 8 multiply-adds, so the inner loop is bound by arithmetic, not
/// by memory. Edges are handled by zero-padding the panels and masking the stores, so any M, N, K works. (64-thread
/// groups also keep ILGPU's CPU accelerator, which runs every group's threads as OS threads, cheap for the tests.)
/// </summary>
internal static class GemmKernel
{
    /// <summary>Rows and columns of C per group.</summary>
    public const int Tile = 64;
    /// <summary>Depth of one shared-memory panel.</summary>
    public const int TileK = 16;
    /// <summary>Threads per group side (8 × 8 = 64 threads).</summary>
    public const int Threads = 8;

    /// <summary>The launch configuration for C of M × N.</summary>
    public static KernelConfig Config(int m, int n) =>
        new(new Index2D((n + Tile - 1) / Tile, (m + Tile - 1) / Tile), new Index2D(Threads, Threads));

    /// <summary>The kernel (explicitly grouped; launch with <see cref="Config"/>).</summary>
    public static void Run(GemmParams p, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        var tileA = SharedMemory.Allocate<float>(Tile * TileK);
        var tileB = SharedMemory.Allocate<float>(TileK * Tile);
        int tx = Group.IdxX, ty = Group.IdxY;
        int tid = ty * Threads + tx;
        int row0 = Grid.IdxY * Tile + ty;
        int col0 = Grid.IdxX * Tile + tx;
        int blockRow = Grid.IdxY * Tile, blockCol = Grid.IdxX * Tile;
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f, c04 = 0f, c05 = 0f, c06 = 0f, c07 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f, c14 = 0f, c15 = 0f, c16 = 0f, c17 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f, c24 = 0f, c25 = 0f, c26 = 0f, c27 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f, c34 = 0f, c35 = 0f, c36 = 0f, c37 = 0f;
        float c40 = 0f, c41 = 0f, c42 = 0f, c43 = 0f, c44 = 0f, c45 = 0f, c46 = 0f, c47 = 0f;
        float c50 = 0f, c51 = 0f, c52 = 0f, c53 = 0f, c54 = 0f, c55 = 0f, c56 = 0f, c57 = 0f;
        float c60 = 0f, c61 = 0f, c62 = 0f, c63 = 0f, c64 = 0f, c65 = 0f, c66 = 0f, c67 = 0f;
        float c70 = 0f, c71 = 0f, c72 = 0f, c73 = 0f, c74 = 0f, c75 = 0f, c76 = 0f, c77 = 0f;
        for (int k0 = 0; k0 < p.K; k0 += TileK)
        {
            for (int l = 0; l < Tile * TileK / (Threads * Threads); l++)
            {
                int e = tid + l * Threads * Threads;
                int ar = e / TileK, ak = e % TileK;
                tileA[e] = LoadA(p, a, blockRow + ar, k0 + ak);
                int bk = e / Tile, bc = e % Tile;
                tileB[e] = LoadB(p, b, k0 + bk, blockCol + bc);
            }
            Group.Barrier();
            for (int kk = 0; kk < TileK; kk++)
            {
                float a0 = tileA[(ty + 0) * TileK + kk], a1 = tileA[(ty + 8) * TileK + kk], a2 = tileA[(ty + 16) * TileK + kk], a3 = tileA[(ty + 24) * TileK + kk], a4 = tileA[(ty + 32) * TileK + kk], a5 = tileA[(ty + 40) * TileK + kk], a6 = tileA[(ty + 48) * TileK + kk], a7 = tileA[(ty + 56) * TileK + kk];
                float b0 = tileB[kk * Tile + tx + 0], b1 = tileB[kk * Tile + tx + 8], b2 = tileB[kk * Tile + tx + 16], b3 = tileB[kk * Tile + tx + 24], b4 = tileB[kk * Tile + tx + 32], b5 = tileB[kk * Tile + tx + 40], b6 = tileB[kk * Tile + tx + 48], b7 = tileB[kk * Tile + tx + 56];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3; c04 += a0 * b4; c05 += a0 * b5; c06 += a0 * b6; c07 += a0 * b7;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3; c14 += a1 * b4; c15 += a1 * b5; c16 += a1 * b6; c17 += a1 * b7;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3; c24 += a2 * b4; c25 += a2 * b5; c26 += a2 * b6; c27 += a2 * b7;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3; c34 += a3 * b4; c35 += a3 * b5; c36 += a3 * b6; c37 += a3 * b7;
                c40 += a4 * b0; c41 += a4 * b1; c42 += a4 * b2; c43 += a4 * b3; c44 += a4 * b4; c45 += a4 * b5; c46 += a4 * b6; c47 += a4 * b7;
                c50 += a5 * b0; c51 += a5 * b1; c52 += a5 * b2; c53 += a5 * b3; c54 += a5 * b4; c55 += a5 * b5; c56 += a5 * b6; c57 += a5 * b7;
                c60 += a6 * b0; c61 += a6 * b1; c62 += a6 * b2; c63 += a6 * b3; c64 += a6 * b4; c65 += a6 * b5; c66 += a6 * b6; c67 += a6 * b7;
                c70 += a7 * b0; c71 += a7 * b1; c72 += a7 * b2; c73 += a7 * b3; c74 += a7 * b4; c75 += a7 * b5; c76 += a7 * b6; c77 += a7 * b7;
            }
            Group.Barrier();
        }
        Store(p, c, row0 + 0, col0, c00, c01, c02, c03, c04, c05, c06, c07);
        Store(p, c, row0 + 8, col0, c10, c11, c12, c13, c14, c15, c16, c17);
        Store(p, c, row0 + 16, col0, c20, c21, c22, c23, c24, c25, c26, c27);
        Store(p, c, row0 + 24, col0, c30, c31, c32, c33, c34, c35, c36, c37);
        Store(p, c, row0 + 32, col0, c40, c41, c42, c43, c44, c45, c46, c47);
        Store(p, c, row0 + 40, col0, c50, c51, c52, c53, c54, c55, c56, c57);
        Store(p, c, row0 + 48, col0, c60, c61, c62, c63, c64, c65, c66, c67);
        Store(p, c, row0 + 56, col0, c70, c71, c72, c73, c74, c75, c76, c77);
    }

    private static float LoadA(GemmParams p, ArrayView<float> a, int row, int k)
    {
        if (row >= p.M || k >= p.K) return 0f;
        return p.TransA != 0 ? a[(long)k * p.Lda + row] : a[(long)row * p.Lda + k];
    }

    private static float LoadB(GemmParams p, ArrayView<float> b, int k, int col)
    {
        if (k >= p.K || col >= p.N) return 0f;
        return p.TransB != 0 ? b[(long)col * p.Ldb + k] : b[(long)k * p.Ldb + col];
    }

    private static void Store(GemmParams p, ArrayView<float> c, int row, int col0, float v0, float v1, float v2, float v3, float v4, float v5, float v6, float v7)
    {
        if (row >= p.M) return;
        long at = (long)row * p.Ldc;
        StoreOne(p, c, at, col0 + 0, v0);
        StoreOne(p, c, at, col0 + 8, v1);
        StoreOne(p, c, at, col0 + 16, v2);
        StoreOne(p, c, at, col0 + 24, v3);
        StoreOne(p, c, at, col0 + 32, v4);
        StoreOne(p, c, at, col0 + 40, v5);
        StoreOne(p, c, at, col0 + 48, v6);
        StoreOne(p, c, at, col0 + 56, v7);
    }

    private static void StoreOne(GemmParams p, ArrayView<float> c, long rowStart, int col, float v)
    {
        if (col >= p.N) return;
        long i = rowStart + col;
        c[i] = p.Beta == 0f ? p.Alpha * v : p.Alpha * v + p.Beta * c[i];
    }
}
