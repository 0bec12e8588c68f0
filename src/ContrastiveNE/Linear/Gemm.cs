namespace ContrastiveNE.Linear;

/// <summary>
/// Single-precision general matrix multiply on row-major operands:
/// C ← α·op(A)·op(B) + β·C, where op(A) is m × k, op(B) is k × n and C is m × n.
/// lda, ldb, ldc are the row strides of the operands as
/// stored. With β = 0, C is overwritten (its old contents, even NaN, are ignored).
/// </summary>
public static partial class Gemm
{
    /// <summary>C ← α·op(A)·op(B) + β·C (row-major). <paramref name="threads"/> ≤ 0 uses every processor.</summary>
    public static void Multiply(
        Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, int threads = 0)
    {
        // Reference implementation; the fast packed SIMD kernel replaces the body and keeps these semantics.
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA == Transpose.No ? a[i * lda + p] : a[p * lda + i];
                    float bv = transB == Transpose.No ? b[p * ldb + j] : b[j * ldb + p];
                    sum += av * bv;
                }
                ref float cij = ref c[i * ldc + j];
                cij = beta == 0 ? alpha * sum : alpha * sum + beta * cij;
            }
        }
    }
}
