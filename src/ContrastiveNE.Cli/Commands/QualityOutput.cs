using System.Globalization;
using ContrastiveNE.Metrics;

namespace ContrastiveNE.Cli.Commands;

/// <summary>Quality figures as the one-line JSON object the benchmark also uses (recall_at_15, knn_accuracy, spearman).</summary>
internal static class QualityOutput
{
    /// <summary>The report as JSON; knn_accuracy is null without labels.</summary>
    public static string Json(QualityReport report)
    {
        string accuracy = report.KnnAccuracy is { } a ? Number(a) : "null";
        return $"{{\"recall_at_{report.K}\": {Number(report.RecallAtK)}, \"knn_accuracy\": {accuracy}, \"spearman\": {Number(report.Spearman)}, \"sampled_points\": {report.SampledPoints}}}";
    }

    private static string Number(double v) => Math.Round(v, 6).ToString("0.######", CultureInfo.InvariantCulture);
}
