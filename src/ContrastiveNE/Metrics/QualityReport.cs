namespace ContrastiveNE.Metrics;

/// <summary>The quality figures of an embedding (see <see cref="EmbeddingQuality.Evaluate"/>).</summary>
/// <param name="RecallAtK">kNN recall@k (<see cref="KnnRecall"/>), in [0, 1].</param>
/// <param name="KnnAccuracy">Leave-one-out kNN classification accuracy (<see cref="KnnClassification"/>), in [0, 1]; null without labels.</param>
/// <param name="Spearman">Spearman correlation of data and embedding distances (<see cref="SpearmanCorrelation"/>), in [−1, 1].</param>
/// <param name="K">The k of the recall.</param>
/// <param name="SampledPoints">How many points recall and accuracy were averaged over.</param>
public sealed record QualityReport(double RecallAtK, double? KnnAccuracy, double Spearman, int K, int SampledPoints);
