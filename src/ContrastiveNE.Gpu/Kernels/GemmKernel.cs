using ILGPU;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Kernels;

/// <summary>The shape of one GEMM launch: C (M × N) = α·op(A)·op(B) + β·C, all row-major with leading dimensions.</summary>
public struct GemmParams
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
/// Tiled shared-memory SGEMM. A group of 16 × 16 threads owns a 64 × 64 block of C; each thread accumulates a 4 × 4
/// micro-tile in registers (rows ty + 16r, columns tx + 16c, so neighbouring threads touch neighbouring columns).
/// Per step the group stages a 64 × 16 panel of op(A) and a 16 × 64 panel of op(B) in shared memory (4 loads per
/// thread each), which turns 2 global loads per multiply-add into 1/8 shared load per multiply-add. Edges are
/// handled by zero-padding the panels and masking the stores, so any M, N, K works.
/// </summary>
public static class GemmKernel
{
    /// <summary>Rows and columns of C per group.</summary>
    public const int Tile = 64;
    /// <summary>Depth of one shared-memory panel.</summary>
    public const int TileK = 16;
    /// <summary>Threads per group side (16 × 16 = 256 threads).</summary>
    public const int Threads = 16;

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
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int k0 = 0; k0 < p.K; k0 += TileK)
        {
            for (int l = 0; l < 4; l++)
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
                float a0 = tileA[(ty + 0) * TileK + kk], a1 = tileA[(ty + 16) * TileK + kk], a2 = tileA[(ty + 32) * TileK + kk], a3 = tileA[(ty + 48) * TileK + kk];
                float b0 = tileB[kk * Tile + tx + 0], b1 = tileB[kk * Tile + tx + 16], b2 = tileB[kk * Tile + tx + 32], b3 = tileB[kk * Tile + tx + 48];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            Group.Barrier();
        }
        Store(p, c, row0 + 0, col0, c00, c01, c02, c03);
        Store(p, c, row0 + 16, col0, c10, c11, c12, c13);
        Store(p, c, row0 + 32, col0, c20, c21, c22, c23);
        Store(p, c, row0 + 48, col0, c30, c31, c32, c33);
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

    private static void Store(GemmParams p, ArrayView<float> c, int row, int col0, float v0, float v1, float v2, float v3)
    {
        if (row >= p.M) return;
        long at = (long)row * p.Ldc;
        StoreOne(p, c, at, col0, v0);
        StoreOne(p, c, at, col0 + 16, v1);
        StoreOne(p, c, at, col0 + 32, v2);
        StoreOne(p, c, at, col0 + 48, v3);
    }

    private static void StoreOne(GemmParams p, ArrayView<float> c, long rowStart, int col, float v)
    {
        if (col >= p.N) return;
        long i = rowStart + col;
        c[i] = p.Beta == 0f ? p.Alpha * v : p.Alpha * v + p.Beta * c[i];
    }
}
