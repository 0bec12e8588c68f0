using ContrastiveNE.Data;

namespace ContrastiveNE.Metrics;

/// <summary>The numbers an embedding is judged by: kNN recall, kNN classification accuracy and distance correlation.</summary>
public static class EmbeddingQuality
{
    /// <summary>Evaluates <paramref name="embedding"/> against <paramref name="data"/> (and <paramref name="labels"/>, if given).</summary>
    /// <param name="data">The high-dimensional data, n rows.</param>
    /// <param name="embedding">The embedding, n rows.</param>
    /// <param name="labels">Class labels (n values) for the accuracy, or null to skip it.</param>
    /// <param name="options">Settings; null uses the defaults.</param>
    public static QualityReport Evaluate(Matrix data, Matrix embedding, int[]? labels = null, QualityOptions? options = null)
    {
        options ??= new QualityOptions();
        MetricChecks.SameRows(data, embedding);
        int n = data.Rows;
        if (n < 3) throw new ArgumentException($"The data has {n} rows; evaluating an embedding needs at least 3.", nameof(data));
        if (labels != null) MetricChecks.Labels(labels, n, nameof(labels));
        MetricChecks.K(options.K, n, $"{nameof(options)}.{nameof(QualityOptions.K)}");
        if (labels != null) MetricChecks.K(options.ClassifierK, n, $"{nameof(options)}.{nameof(QualityOptions.ClassifierK)}");
        if (options.SampleSize < 1)
            throw new ArgumentOutOfRangeException($"{nameof(options)}.{nameof(QualityOptions.SampleSize)}", options.SampleSize, "SampleSize must be at least 1.");
        if (options.Pairs < 2)
            throw new ArgumentOutOfRangeException($"{nameof(options)}.{nameof(QualityOptions.Pairs)}", options.Pairs, "Pairs must be at least 2.");

        // One exact search in the embedding serves both the recall (first K neighbours) and the classifier (first
        // ClassifierK): with ties broken by index, the nearest k of a wider search are exactly the k-search.
        int[] sample = PointSample.Draw(n, options.SampleSize, options.Seed);
        int width = labels is null ? options.K : Math.Max(options.K, options.ClassifierK);
        int[] neighbors = BruteForceNeighbors.Search(embedding, embedding, sample, width, excludeSelf: true, options.Threads);
        double recall = KnnRecall.FromEmbeddingNeighbors(data, sample, neighbors, width, options.K, options.Threads);
        double? accuracy = labels is null ? null : KnnClassification.FromNeighbors(labels, sample, neighbors, width, options.ClassifierK);
        double spearman = SpearmanCorrelation.OfDistances(data, embedding, options.Pairs, options.Seed);
        return new QualityReport(recall, accuracy, spearman, options.K, Math.Min(n, options.SampleSize));
    }
}
