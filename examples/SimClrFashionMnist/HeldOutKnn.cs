using ContrastiveNE.Data;
using ContrastiveNE.LinearAlgebra;
using ContrastiveNE.Metrics;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Examples.SimClr;

/// <summary>
/// k-NN classification of held-out rows by their nearest training rows, for wide rows such as 784 pixels: squared
/// distances come from one GEMM per block of test rows (‖t‖² − 2 q·t; ‖q‖² does not change a row's ranking), so
/// 10,000 × 60,000 pixel rows take seconds where a scalar scan takes minutes. Votes as
/// <see cref="KnnClassification.Vote"/>; float32 distances may order near-ties differently from the double-precision
/// <see cref="KnnClassification.TestAccuracy"/>.
/// </summary>
public static class HeldOutKnn
{
    private const int BlockRows = 128;

    /// <summary>The fraction of <paramref name="test"/> rows whose k-NN vote among <paramref name="train"/> rows is their label.</summary>
    /// <exception cref="ArgumentException">Mismatched widths or label counts, no test rows, or k outside [1, train rows].</exception>
    public static double Accuracy(Matrix train, int[] trainLabels, Matrix test, int[] testLabels, int k = 10, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testLabels);
        if (test.Columns != train.Columns)
            throw new ArgumentException($"The test rows have {test.Columns} columns but the training rows {train.Columns}.", nameof(test));
        if (trainLabels.Length != train.Rows) throw new ArgumentException($"{trainLabels.Length} labels for {train.Rows} training rows.", nameof(trainLabels));
        if (testLabels.Length != test.Rows) throw new ArgumentException($"{testLabels.Length} labels for {test.Rows} test rows.", nameof(testLabels));
        if (test.Rows == 0) throw new ArgumentException("There are no test rows.", nameof(test));
        if (k < 1 || k > train.Rows) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must satisfy 1 ≤ k ≤ {train.Rows} (the training rows).");

        int n = train.Rows, dim = train.Columns;
        var norms = new float[n];
        Parallelism.For(n, threads, j =>
        {
            var row = train.Row(j);
            double s = 0;
            foreach (float v in row) s += (double)v * v;
            norms[j] = (float)s;
        });
        var scores = new float[BlockRows * n];
        var neighbours = new int[BlockRows * k];
        int correct = 0;
        for (int start = 0; start < test.Rows; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, test.Rows - start);
            Gemm.Multiply(Transpose.No, Transpose.Yes, rows, n, dim, -2f, test.RowSpan(start, rows), dim, train.Data, dim, 0f,
                scores, n, threads);
            Parallelism.For(rows, threads, q => Smallest(scores.AsSpan(q * n, n), norms, neighbours.AsSpan(q * k, k)));
            for (int q = 0; q < rows; q++)
                if (KnnClassification.Vote(neighbours.AsSpan(q * k, k), trainLabels) == testLabels[start + q]) correct++;
        }
        return (double)correct / test.Rows;
    }

    /// <summary>Indices of the k smallest <c>scores[j] + norms[j]</c>, nearest first; equal distances keep the smaller index first.</summary>
    private static void Smallest(ReadOnlySpan<float> scores, float[] norms, Span<int> best)
    {
        int k = best.Length, filled = 0;
        Span<float> distance = stackalloc float[k];
        for (int j = 0; j < scores.Length; j++)
        {
            float s = scores[j] + norms[j];
            if (filled == k && s >= distance[k - 1]) continue;
            int p = filled < k ? filled++ : k - 1;
            while (p > 0 && distance[p - 1] > s)
            {
                distance[p] = distance[p - 1];
                best[p] = best[p - 1];
                p--;
            }
            distance[p] = s;
            best[p] = j;
        }
    }
}
