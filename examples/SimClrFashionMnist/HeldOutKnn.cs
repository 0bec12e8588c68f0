using System.Numerics.Tensors;
using ContrastiveNE.Data;
using ContrastiveNE.Metrics;

namespace ContrastiveNE.Examples.SimClr;

/// <summary>
/// k-NN classification of held-out rows by their nearest training rows, for wide rows such as 784 pixels: squared
/// distances come from SIMD dot products (‖t‖² − 2 q·t; ‖q‖² does not change a row's ranking, so it is never
/// computed), one test row per task, with the public <see cref="TensorPrimitives"/> only. Votes as
/// <see cref="KnnClassification.Vote"/>; float32 distances may order near-ties differently from the double-precision
/// <see cref="KnnClassification.TestAccuracy"/>.
/// </summary>
public static class HeldOutKnn
{
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

        int n = train.Rows;
        var norms = new float[n];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : -1 };
        Parallel.For(0, n, parallel, j => norms[j] = TensorPrimitives.Dot(train.Row(j), train.Row(j)));
        var votes = new int[test.Rows];
        Parallel.For(0, test.Rows, parallel, () => (Scores: new float[n], Best: new int[k]), (q, _, buffers) =>
        {
            var query = test.Row(q);
            for (int j = 0; j < n; j++) buffers.Scores[j] = -2f * TensorPrimitives.Dot(query, train.Row(j));
            Smallest(buffers.Scores, norms, buffers.Best);
            votes[q] = KnnClassification.Vote(buffers.Best, trainLabels);
            return buffers;
        }, _ => { });
        int correct = 0;
        for (int q = 0; q < test.Rows; q++) if (votes[q] == testLabels[q]) correct++;
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
