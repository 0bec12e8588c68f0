using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Cli.Options;

/// <summary>The words the CLI accepts for library enums.</summary>
internal static class Choices
{
    /// <summary>--knn.</summary>
    public static readonly IReadOnlyDictionary<string, KnnMethod> KnnMethods = new Dictionary<string, KnnMethod>
    {
        ["auto"] = KnnMethod.Auto,
        ["exact"] = KnnMethod.Exact,
        ["approx"] = KnnMethod.Approximate,
    };

    /// <summary>--knn-metric.</summary>
    public static readonly IReadOnlyDictionary<string, DistanceMetric> DistanceMetrics = new Dictionary<string, DistanceMetric>
    {
        ["euclidean"] = DistanceMetric.Euclidean,
        ["cosine"] = DistanceMetric.Cosine,
    };

    /// <summary>--knn as an option.</summary>
    public static ChoiceOption<KnnMethod> KnnOption() =>
        new("--knn", "auto", "kNN search: exact, approx (NN-descent) or auto (exact for small data, approximate for large).", KnnMethods);

    /// <summary>--knn-metric as an option.</summary>
    public static ChoiceOption<DistanceMetric> KnnMetricOption() =>
        new("--knn-metric", "euclidean", "Distance for the kNN graph: euclidean or cosine (Euclidean on L2-normalised rows).", DistanceMetrics);
}
