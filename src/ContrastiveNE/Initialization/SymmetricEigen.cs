namespace ContrastiveNE.Initialization;

/// <summary>
/// Eigen-decomposition of a small dense symmetric matrix by the cyclic Jacobi method (in double precision):
/// simple, unconditionally convergent and accurate to a few ulps for the matrix sizes it is used on (≤ a few hundred).
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the n × n symmetric row-major matrix <paramref name="matrix"/> (overwritten). Returns the eigenvalues
    /// in descending order and the eigenvectors as the columns of an n × n row-major matrix in the same order.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] matrix, int n)
    {
        var a = matrix;
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        double total = 0;
        for (int i = 0; i < a.Length; i++) total += a[i] * a[i];

        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            // Stop when the off-diagonal mass is at rounding level relative to the whole matrix.
            if (off <= 1e-30 * total || off == 0) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                    Rotate(a, v, n, p, q);
        }

        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Descending by value, ties by original position, so the order is deterministic.
        Array.Sort(order, (x, y) => values[y].CompareTo(values[x]) is var c && c != 0 ? c : x.CompareTo(y));
        var sortedValues = new double[n];
        var sortedVectors = new double[n * n];
        for (int k = 0; k < n; k++)
        {
            sortedValues[k] = values[order[k]];
            for (int i = 0; i < n; i++) sortedVectors[i * n + k] = v[i * n + order[k]];
        }
        return (sortedValues, sortedVectors);
    }

    /// <summary>One Jacobi rotation in the (p, q) plane that zeroes a[p, q] (Golub and Van Loan, Alg. 8.5.1).</summary>
    private static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        double apq = a[p * n + q];
        if (apq == 0) return;
        double app = a[p * n + p], aqq = a[q * n + q];
        // tan of the rotation angle as the smaller root of t² + 2θt − 1 = 0, θ = (aqq − app) / (2 apq): keeps |angle| ≤ π/4.
        double theta = (aqq - app) / (2 * apq);
        double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; k++)
        {
            // A ← A J on columns p, q.
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            // A ← Jᵀ A on rows p, q.
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k * n + p], vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
