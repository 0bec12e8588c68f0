using ContrastiveNE.LinearAlgebra;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.LinearAlgebra;

public class GemmTests
{
    public static TheoryData<int> Paths => new() { (int)GemmPath.Auto, (int)GemmPath.Vector512, (int)GemmPath.Vector256, (int)GemmPath.Scalar };

    private static readonly (int M, int N, int K)[] Shapes =
    [
        (0, 3, 4), (3, 0, 4), (3, 4, 0), (1, 1, 1), (1, 17, 1), (17, 1, 3), (2, 3, 5), (7, 15, 9), (8, 32, 16),
        (9, 33, 17), (13, 100, 31), (31, 47, 257), (130, 70, 300), (129, 257, 40), (5, 600, 513),
        (20, 70, 8300), // few units and a long k: split into k-chunks summed afterwards
    ];

    [Theory]
    [MemberData(nameof(Paths))]
    public void MatchesDoubleReferenceOnManyShapesAndTransposes(int pathCode)
    {
        var path = (GemmPath)pathCode;
        var rng = Xoshiro256.Create(11, 0);
        foreach (var (m, n, k) in Shapes)
            foreach (var ta in new[] { Transpose.No, Transpose.Yes })
                foreach (var tb in new[] { Transpose.No, Transpose.Yes })
                    CheckCase(path, ref rng, ta, tb, m, n, k, alpha: 1f, beta: 0f, pad: 0, threads: 2);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void HonoursAlphaBetaAndStrides(int pathCode)
    {
        var path = (GemmPath)pathCode;
        var rng = Xoshiro256.Create(12, 0);
        foreach (var (alpha, beta) in new[] { (1f, 1f), (-2f, 0.5f), (0.25f, -1f), (0f, 3f), (3f, 0f) })
            foreach (var ta in new[] { Transpose.No, Transpose.Yes })
                foreach (var tb in new[] { Transpose.No, Transpose.Yes })
                    CheckCase(path, ref rng, ta, tb, 21, 37, 45, alpha, beta, pad: 3, threads: 1);
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        float[] a = [1, 2, 3, 4], b = [5, 6, 7, 8];
        float[] c = [float.NaN, float.NaN, float.NaN, float.NaN];
        Gemm.Multiply(Transpose.No, Transpose.No, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2, 1);
        Assert.Equal([19f, 22f, 43f, 50f], c);
        float[] d = [float.NaN, 1];
        Gemm.Multiply(Transpose.No, Transpose.No, 1, 2, 0, 1f, a, 1, b, 2, 0f, d, 2, 1);
        Assert.Equal([0f, 0f], d);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void OneAndTwoThreadsAreBitIdentical(int pathCode)
    {
        var path = (GemmPath)pathCode;
        var rng = Xoshiro256.Create(13, 0);
        // Large enough for several work units in both dimensions and several k-blocks.
        foreach (var (ta, tb, m, n, k) in new[] { (Transpose.No, Transpose.Yes, 300, 100, 600), (Transpose.Yes, Transpose.No, 100, 300, 700), (Transpose.No, Transpose.No, 1100, 300, 20), (Transpose.Yes, Transpose.No, 60, 200, 8500) })
        {
            float[] a = Random(ref rng, m * k), b = Random(ref rng, k * n);
            int lda = ta == Transpose.No ? k : m, ldb = tb == Transpose.No ? n : k;
            float[] c1 = new float[m * n], c2 = new float[m * n];
            Gemm.Multiply(path, ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c1, n, 1);
            Gemm.Multiply(path, ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c2, n, 2);
            Assert.Equal(c1, c2);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void FusedEpilogueEqualsTheProductFollowedByItsPasses(int pathCode)
    {
        // Bias, rectifier and mask applied in the write-back must give exactly (bit for bit) the values of the plain
        // product followed by those element-wise passes, on full and edge tiles, several k-blocks, split k and k = 0.
        var path = (GemmPath)pathCode;
        var rng = Xoshiro256.Create(14, 0);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (9, 33, 17), (130, 100, 300), (37, 2, 100), (20, 70, 8300), (5, 6, 0) })
            foreach (var (ta, tb) in new[] { (Transpose.No, Transpose.Yes), (Transpose.No, Transpose.No), (Transpose.Yes, Transpose.No) })
                foreach (var (relu, masked, beta) in new[] { (true, false, 0f), (false, true, 0f), (true, true, 0.5f), (false, false, 1f) })
                {
                    int lda = ta == Transpose.No ? k : m, ldb = tb == Transpose.No ? n : k, ldc = n + 2;
                    float[] a = Random(ref rng, Math.Max(1, (ta == Transpose.No ? m : k) * lda));
                    float[] b = Random(ref rng, Math.Max(1, (tb == Transpose.No ? k : n) * ldb));
                    float[] bias = Random(ref rng, n), c0 = Random(ref rng, m * ldc), mask = Random(ref rng, m * ldc);
                    for (int i = 0; i < mask.Length; i += 7) mask[i] = 0; // exactly zero: the derivative there is 0
                    float[] expected = (float[])c0.Clone(), fused = (float[])c0.Clone();
                    Gemm.Multiply(path, ta, tb, m, n, k, 0.75f, a, Math.Max(1, lda), b, Math.Max(1, ldb), beta, expected, ldc, 1);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                        {
                            float v = expected[i * ldc + j] + bias[j];
                            if (relu) v = MathF.Max(v, 0);
                            if (masked && !(mask[i * ldc + j] > 0)) v = 0;
                            expected[i * ldc + j] = v;
                        }
                    Gemm.Multiply(path, ta, tb, m, n, k, 0.75f, a, Math.Max(1, lda), b, Math.Max(1, ldb), beta, fused, ldc, 2, bias, relu, masked ? mask : default);
                    Assert.True(expected.AsSpan().SequenceEqual(fused), $"{path} {ta}/{tb} {m}×{n}×{k} relu={relu} mask={masked} β={beta}");
                }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void IndexedRowsEqualTheGatheredProduct(int pathCode)
    {
        // Rows of A (forward of a gathered batch) or of B (its weight gradient) named by an index, read in place, must
        // give bit for bit the product of the gathered copy — including edge tiles, repeated rows and split k.
        var path = (GemmPath)pathCode;
        var rng = Xoshiro256.Create(15, 0);
        const int stored = 60;
        foreach (var (m, n, k) in new[] { (1, 1, 1), (13, 33, 17), (130, 100, 45), (20, 70, 8300) })
        {
            // Indexed A: m rows of a table of `stored` rows of width k; A·Bᵀ with B n × k.
            float[] tableA = Random(ref rng, stored * k), b = Random(ref rng, n * k), bias = Random(ref rng, n);
            int[] rowsA = new int[m];
            for (int i = 0; i < m; i++) rowsA[i] = rng.NextInt(stored);
            float[] gatheredA = new float[m * k];
            for (int i = 0; i < m; i++) Array.Copy(tableA, rowsA[i] * k, gatheredA, i * k, k);
            float[] expected = new float[m * n], actual = new float[m * n];
            Gemm.Multiply(path, Transpose.No, Transpose.Yes, m, n, k, 1f, gatheredA, k, b, k, 0f, expected, n, 2, bias, true, default);
            Gemm.Multiply(path, Transpose.No, Transpose.Yes, m, n, k, 1f, tableA, k, b, k, 0f, actual, n, 2, bias, true, default, aRows: rowsA);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} indexed A {m}×{n}×{k}");

            // Indexed B: dW (m × n) += dYᵀ (m × k) · X, X's k rows named in a table of `stored` rows of width n.
            float[] dy = Random(ref rng, k * m), tableB = Random(ref rng, stored * n);
            int[] rowsB = new int[k];
            for (int p = 0; p < k; p++) rowsB[p] = rng.NextInt(stored);
            float[] gatheredB = new float[k * n];
            for (int p = 0; p < k; p++) Array.Copy(tableB, rowsB[p] * n, gatheredB, p * n, n);
            float[] start = Random(ref rng, m * n), expectedW = (float[])start.Clone(), actualW = (float[])start.Clone();
            Gemm.Multiply(path, Transpose.Yes, Transpose.No, m, n, k, 1f, dy, m, gatheredB, n, 1f, expectedW, n, 2);
            Gemm.Multiply(path, Transpose.Yes, Transpose.No, m, n, k, 1f, dy, m, tableB, n, 1f, actualW, n, 1, default, false, default, bRows: rowsB);
            Assert.True(expectedW.AsSpan().SequenceEqual(actualW), $"{path} indexed B {m}×{n}×{k}");
        }
    }

    [Fact]
    public void RejectsBadRowIndices()
    {
        float[] table = new float[4 * 3], w = new float[2 * 3], c = new float[2 * 2];
        Assert.Equal("aRows", Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.Yes, 2, 2, 3, 1f, table, 3, w, 3, 0f, c, 2, 1, default, false, default, aRows: new[] { 0, 4 })).ParamName);
        Assert.Equal("aRows", Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.Yes, 2, 2, 3, 1f, table, 3, w, 3, 0f, c, 2, 1, default, false, default, aRows: new[] { 1 })).ParamName);
        Assert.Equal("aRows", Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.Yes, Transpose.Yes, 2, 2, 3, 1f, table, 3, w, 3, 0f, c, 2, 1, default, false, default, aRows: new[] { 0, 1 })).ParamName);
        Assert.Equal("bRows", Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 3, 2, 1f, w, 2, table, 3, 0f, new float[6], 3, 1, default, false, default, bRows: new[] { -1, 0 })).ParamName);
    }

    [Fact]
    public void RejectsShortSpansAndSmallStridesNamingTheParameter()
    {
        float[] x = new float[6];
        Assert.Equal("lda", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 2, 3, 1f, x, 2, x, 2, 0f, x, 2)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 2, 3, 1f, x, 3, new float[5], 2, 0f, x, 2)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 4, 3, 1f, x, 3, new float[12], 4, 0f, x, 4)).ParamName);
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.No, -1, 2, 3, 1f, x, 3, x, 2, 0f, x, 2)).ParamName);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 2, 3, 1f, x, 3, x, 2, 0f, new float[4], 2, 1, new float[1], false, default)).ParamName);
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 2, 2, 3, 1f, x, 3, x, 2, 0f, new float[4], 2, 1, default, false, new float[3])).ParamName);
    }

    private static void CheckCase(GemmPath path, ref Xoshiro256 rng, Transpose ta, Transpose tb, int m, int n, int k, float alpha, float beta, int pad, int threads)
    {
        int lda = (ta == Transpose.No ? k : m) + pad, ldb = (tb == Transpose.No ? n : k) + pad, ldc = n + pad;
        lda = Math.Max(lda, 1); ldb = Math.Max(ldb, 1); ldc = Math.Max(ldc, 1);
        float[] a = Random(ref rng, (ta == Transpose.No ? m : k) * lda);
        float[] b = Random(ref rng, (tb == Transpose.No ? k : n) * ldb);
        float[] c = Random(ref rng, m * ldc);
        float[] before = (float[])c.Clone();
        Gemm.Multiply(path, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                if (j >= n)
                {
                    Assert.Equal(before[i * ldc + j], c[i * ldc + j]); // padding untouched
                    continue;
                }
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = ta == Transpose.No ? a[i * lda + p] : a[p * lda + i];
                    double bv = tb == Transpose.No ? b[p * ldb + j] : b[j * ldb + p];
                    sum += av * bv;
                    magnitude += Math.Abs(av * bv);
                }
                double expected = alpha * sum + (beta == 0 ? 0 : beta * before[i * ldc + j]);
                double tolerance = 1e-5 * (Math.Abs(alpha) * magnitude + Math.Abs(beta * before[i * ldc + j])) + 1e-6;
                double actual = c[i * ldc + j];
                Assert.True(Math.Abs(actual - expected) <= tolerance,
                    $"{path} {ta}/{tb} {m}×{n}×{k} α={alpha} β={beta}: C[{i},{j}] = {actual}, expected {expected}");
            }
        }
    }

    private static float[] Random(ref Xoshiro256 rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = rng.NextFloat() * 2 - 1;
        return x;
    }
}
