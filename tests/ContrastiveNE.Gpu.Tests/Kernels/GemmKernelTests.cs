using ContrastiveNE.Gpu.Kernels;
using ContrastiveNE.Gpu.Tests.Support;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Tests.Kernels;

public class GemmKernelTests
{
    [Theory]
    [InlineData(1, 1, 1, false, false, 0f)]
    [InlineData(64, 64, 16, false, false, 0f)]
    [InlineData(70, 33, 19, false, false, 0.5f)]
    [InlineData(5, 100, 67, true, false, 0f)]
    [InlineData(65, 2, 100, false, true, 1f)]
    [InlineData(17, 130, 3, true, true, -1f)]
    public void MatchesNaiveReference(int m, int n, int k, bool transA, bool transB, float beta)
    {
        var rng = new Random(m * 1000 + n * 10 + k);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] c = Enumerable.Range(0, m * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        int lda = transA ? m : k, ldb = transB ? k : n;
        const float alpha = 0.75f;

        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int t = 0; t < k; t++)
                    s += (double)(transA ? a[t * lda + i] : a[i * lda + t]) * (transB ? b[j * ldb + t] : b[t * ldb + j]);
                expected[i * n + j] = alpha * s + beta * c[i * n + j];
            }

        var acc = CpuAccelerator.Instance.Accelerator;
        using var da = acc.Allocate1D(a);
        using var db = acc.Allocate1D(b);
        using var dc = acc.Allocate1D(c);
        var p = new GemmParams { M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = n, TransA = transA ? 1 : 0, TransB = transB ? 1 : 0, Alpha = alpha, Beta = beta };
        CpuAccelerator.Kernels.Gemm(p, da.View, db.View, dc.View);
        acc.Synchronize();
        CpuAccelerator.AssertClose(expected, dc.GetAsArray1D(), 1e-5, 1e-5 * k, "C");
    }
}
