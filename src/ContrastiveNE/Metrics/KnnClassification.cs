using ContrastiveNE.Data;

namespace ContrastiveNE.Metrics;

/// <summary>
/// k-nearest-neighbour classification accuracy in an embedding: a point is predicted as the majority label among
/// its k nearest neighbours (uniform weights), ties going to the smallest label, as scikit-learn's
/// <c>KNeighborsClassifier</c> does.
/// </summary>
public static class KnnClassification
{
    /// <summary>
    /// Leave-one-out accuracy over a seeded sample of points: each sampled point is classified by its
    /// <paramref name="k"/> nearest other points among all n (itself excluded by index).
    /// </summary>
    /// <param name="embedding">The points, n rows.</param>
    /// <param name="labels">The class of each point, n values.</param>
    /// <param name="k">Neighbours that vote, 1 ≤ k &lt; n (default 10).</param>
    /// <param name="sampleSize">Points classified (default 10,000); all points when n ≤ sampleSize.</param>
    /// <param name="seed">Seed of the sample (see <see cref="PointSample.Draw"/>).</param>
    /// <param name="threads">Threads; ≤ 0 uses every processor.</param>
    public static double LeaveOneOutAccuracy(Matrix embedding, int[] labels, int k = 10, int sampleSize = 10_000, int seed = 0, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        MetricChecks.Labels(labels, embedding.Rows, nameof(labels));
        MetricChecks.EnsureFinite(embedding, nameof(embedding));
        MetricChecks.K(k, embedding.Rows, nameof(k));
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
        int[] sample = PointSample.Draw(embedding.Rows, sampleSize, seed);
        int[] neighbors = BruteForceNeighbors.Search(embedding, embedding, sample, k, excludeSelf: true, threads);
        return FromNeighbors(labels, sample, neighbors, k, k);
    }

    /// <summary>
    /// Leave-one-out accuracy given the neighbours of the sampled points (a sample.Length × width table whose first
    /// k columns are each point's k nearest), so callers can share one search.
    /// </summary>
    internal static double FromNeighbors(int[] labels, int[] sample, int[] neighbors, int width, int k)
    {
        int correct = 0;
        for (int q = 0; q < sample.Length; q++)
            if (Vote(neighbors.AsSpan(q * width, k), labels) == labels[sample[q]]) correct++;
        return (double)correct / sample.Length;
    }

    /// <summary>
    /// Accuracy on new points: each row of <paramref name="test"/> is classified by its <paramref name="k"/> nearest
    /// rows of <paramref name="train"/> (e.g. a parametric embedding's transform of held-out data).
    /// </summary>
    /// <param name="train">Reference points.</param>
    /// <param name="trainLabels">Their classes.</param>
    /// <param name="test">Points to classify (same number of columns).</param>
    /// <param name="testLabels">Their true classes.</param>
    /// <param name="k">Neighbours that vote, 1 ≤ k ≤ train rows (default 10).</param>
    /// <param name="threads">Threads; ≤ 0 uses every processor.</param>
    public static double TestAccuracy(Matrix train, int[] trainLabels, Matrix test, int[] testLabels, int k = 10, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        MetricChecks.Labels(trainLabels, train.Rows, nameof(trainLabels));
        MetricChecks.Labels(testLabels, test.Rows, nameof(testLabels));
        if (test.Columns != train.Columns)
            throw new ArgumentException($"The test points have {test.Columns} columns but the training points {train.Columns}.", nameof(test));
        if (test.Rows == 0) throw new ArgumentException("There are no test points.", nameof(test));
        MetricChecks.EnsureFinite(train, nameof(train));
        MetricChecks.EnsureFinite(test, nameof(test));
        if (k < 1 || k > train.Rows)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must satisfy 1 ≤ k ≤ {train.Rows} (the training points).");
        int[] neighbors = BruteForceNeighbors.Search(train, test, null, k, excludeSelf: false, threads);
        int correct = 0;
        for (int q = 0; q < test.Rows; q++)
            if (Vote(neighbors.AsSpan(q * k, k), trainLabels) == testLabels[q]) correct++;
        return (double)correct / test.Rows;
    }

    /// <summary>The most frequent label among <paramref name="neighbors"/>; among equally frequent labels, the smallest.</summary>
    public static int Vote(ReadOnlySpan<int> neighbors, int[] labels)
    {
        int best = 0, bestCount = 0;
        for (int a = 0; a < neighbors.Length; a++)
        {
            int label = labels[neighbors[a]], count = 0;
            for (int b = 0; b < neighbors.Length; b++)
                if (labels[neighbors[b]] == label) count++;
            if (count > bestCount || (count == bestCount && label < best))
            {
                best = label;
                bestCount = count;
            }
        }
        return best;
    }
}
