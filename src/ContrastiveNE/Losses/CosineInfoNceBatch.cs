using ContrastiveNE.LinearAlgebra;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Losses;

/// <summary>
/// InfoNCE with cosine similarity over the whole batch (SimCLR: every other view a negative) as matrix products:
/// the b × 2b cosines of the heads with all rows in one GEMM, the row losses and the gradient weights per head, and
/// the gradient from two more GEMMs. The same terms as the per-pair kernel (<see cref="BatchLoss"/>'s general path),
/// whose dot products and gradient sums run pair by pair; here the GEMM sums them in its own order, so results agree
/// to float rounding, not bit for bit.
/// </summary>
/// <remarks>
/// With u the unit rows, W[i, j] = dℓ_i/dq_ij · q_ij / τ for the columns j of head i (all rows but i) and c the cosines,
/// the per-pair gradient gᵢ += W·n_i·(u_j − c·u_i), g_j += W·n_j·(u_i − c·u_j) (n: inverse norms) sums to
/// g = n ∘ (W·U − r∘U for the heads, + Wᵀ·U_heads − s∘U for all rows), with r and s the row and column sums of W∘c.
/// Every sum runs in an order fixed by the batch size, so results are identical at any thread count.
/// </remarks>
internal sealed class CosineInfoNceBatch
{
    private const int HeadsPerUnit = 32;
    private const int RowsPerUnit = 64;

    /// <summary>Largest b × 2b matrix (in floats) this path holds, twice: 4M floats, 16 MB each (b up to 1448).</summary>
    private const long MatrixLimit = 1 << 22;

    /// <summary>Whether a batch of <paramref name="pairs"/> pairs fits the path's two b × 2b matrices; larger batches take the per-pair kernel.</summary>
    public static bool Fits(int pairs) => 2L * pairs * pairs <= MatrixLimit;

    private float[] _cosines = [], _weights = [], _headGradient = [], _allGradient = [];
    private double[] _rowWeightCosine = [], _columnWeightCosine = [], _headLoss = [], _headTemperature = [];

    /// <summary>
    /// Loss (summed over heads, unscaled), its log τ gradient (unscaled, the similarity's part only) and the feature
    /// gradient, <paramref name="scale"/>·dℓ/dF, written to the 2b rows of <paramref name="gradient"/>.
    /// </summary>
    public (double Loss, double Temperature) Run(InfoNceLoss loss, float[] unitRows, float[] inverseNorms, int b, int d,
        float temperature, bool floored, float scale, float[] gradient, int threads)
    {
        int rows = 2 * b;
        Ensure(ref _cosines, b * rows);
        Ensure(ref _weights, b * rows);
        Ensure(ref _headGradient, b * d);
        Ensure(ref _allGradient, rows * d);
        Ensure(ref _rowWeightCosine, rows);
        Ensure(ref _columnWeightCosine, rows);
        Ensure(ref _headLoss, b);
        Ensure(ref _headTemperature, b);
        float[] c = _cosines, w = _weights;

        // C = U_heads · Uᵀ (b × 2b).
        Gemm.Multiply(Transpose.No, Transpose.Yes, b, rows, d, 1f, unitRows, d, unitRows, d, 0f, c, rows, threads);
        float invTau = 1f / temperature;
        Parallelism.For((b + HeadsPerUnit - 1) / HeadsPerUnit, threads, unit =>
        {
            int end = Math.Min(b, (unit + 1) * HeadsPerUnit);
            for (int i = unit * HeadsPerUnit; i < end; i++) Head(loss, i, b, invTau, floored);
        });
        // s_j = Σ_i W[i, j]·c[i, j], over the heads in order.
        Parallelism.ForRanges(rows, RowsPerUnit, threads, (start, end) =>
        {
            for (int j = start; j < end; j++)
            {
                double s = 0;
                for (int i = 0; i < b; i++) s += (double)w[i * rows + j] * c[i * rows + j];
                _columnWeightCosine[j] = s;
            }
        });
        // A = W · U (b × d), B = Wᵀ · U_heads (2b × d).
        Gemm.Multiply(Transpose.No, Transpose.No, b, d, rows, 1f, w, rows, unitRows, d, 0f, _headGradient, d, threads);
        Gemm.Multiply(Transpose.Yes, Transpose.No, rows, d, b, 1f, w, rows, unitRows, d, 0f, _allGradient, d, threads);
        Parallelism.ForRanges(rows, RowsPerUnit, threads, (start, end) =>
        {
            for (int j = start; j < end; j++)
            {
                float n = scale * inverseNorms[j];
                float s = (float)_columnWeightCosine[j], r = j < b ? (float)_rowWeightCosine[j] : 0f;
                for (int t = 0; t < d; t++)
                {
                    float u = unitRows[j * d + t];
                    float own = j < b ? _headGradient[j * d + t] - r * u : 0f;
                    gradient[j * d + t] = n * (own + _allGradient[j * d + t] - s * u);
                }
            }
        });
        double total = 0, tau = 0;
        for (int i = 0; i < b; i++) { total += _headLoss[i]; tau += _headTemperature[i]; }
        return (total, tau);
    }

    /// <summary>
    /// Head i: q over its columns (the positive i + b first, then the other rows in order, as the per-pair kernel
    /// visits them), the InfoNCE row loss and weights, written to row i of W (zero at i itself).
    /// </summary>
    private void Head(InfoNceLoss loss, int i, int b, float invTau, bool floored)
    {
        int rows = 2 * b, positive = i + b;
        var c = _cosines.AsSpan(i * rows, rows);
        var w = _weights.AsSpan(i * rows, rows);
        float low = loss.Low, high = loss.High, kappa = loss.Kappa;
        // q_j = exp(c_ij / τ) is kept in w until the weights replace it.
        for (int j = 0; j < rows; j++) w[j] = MathF.Exp(c[j] * invTau);
        float q0 = w[positive];
        bool active0 = q0 >= low && q0 <= high;
        float c0 = active0 ? q0 : MathF.Min(MathF.Max(q0, low), high);
        float sum = loss.IncludePositive ? c0 : 0f;
        for (int j = 0; j < rows; j++)
            if (j != i && j != positive) sum += MathF.Min(MathF.Max(w[j], low), high);
        float shared = kappa * loss.InverseRho / sum;
        float dq0 = active0 ? -kappa / c0 + (loss.IncludePositive ? shared : 0f) : 0f;
        double rowSum = 0, tau = 0;
        for (int j = 0; j < rows; j++)
        {
            float q = w[j];
            float dq = j == positive ? dq0 : j == i ? 0f : q >= low && q <= high ? shared : 0f;
            if (!floored && j != i) tau += dq * (-q * MathF.Log(q));
            float weight = dq * q * invTau;
            w[j] = weight;
            rowSum += (double)weight * c[j];
        }
        _rowWeightCosine[i] = rowSum;
        _headTemperature[i] = tau;
        _headLoss[i] = loss.InverseRho == 1f ? -kappa * MathF.Log(c0 / sum) : -kappa * (MathF.Log(c0) - loss.InverseRho * MathF.Log(sum));
    }

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
    }
}
