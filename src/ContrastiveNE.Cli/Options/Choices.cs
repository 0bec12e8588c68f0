using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Optimization;

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

    /// <summary>--loss.</summary>
    public static readonly IReadOnlyDictionary<string, LossMode> Losses = new Dictionary<string, LossMode>
    {
        ["infonce"] = LossMode.InfoNce,
        ["infonce-alt"] = LossMode.InfoNceAlt,
        ["infonce_alt"] = LossMode.InfoNceAlt, // the reference's spelling (and the README's)
        ["neg"] = LossMode.Neg,
        ["nce"] = LossMode.Nce,
        ["umap"] = LossMode.Umap,
    };

    /// <summary>--metric.</summary>
    public static readonly IReadOnlyDictionary<string, SimilarityMetric> Similarities = new Dictionary<string, SimilarityMetric>
    {
        ["euclidean"] = SimilarityMetric.Euclidean,
        ["cosine"] = SimilarityMetric.Cosine,
    };

    /// <summary>--optimizer.</summary>
    public static readonly IReadOnlyDictionary<string, OptimizerKind> Optimizers = new Dictionary<string, OptimizerKind>
    {
        ["sgd"] = OptimizerKind.Sgd,
        ["adam"] = OptimizerKind.Adam,
    };

    /// <summary>--schedule.</summary>
    public static readonly IReadOnlyDictionary<string, LearningRateSchedule> Schedules = new Dictionary<string, LearningRateSchedule>
    {
        ["linear"] = LearningRateSchedule.Linear,
        ["cosine"] = LearningRateSchedule.Cosine,
        ["none"] = LearningRateSchedule.None,
    };

    /// <summary>--aggregation.</summary>
    public static readonly IReadOnlyDictionary<string, LossAggregation> Aggregations = new Dictionary<string, LossAggregation>
    {
        ["sum"] = LossAggregation.Sum,
        ["mean"] = LossAggregation.Mean,
    };

    /// <summary>--device.</summary>
    public static readonly IReadOnlyDictionary<string, ComputeDevice> Devices = new Dictionary<string, ComputeDevice>
    {
        ["cpu"] = ComputeDevice.Cpu,
        ["gpu"] = ComputeDevice.Gpu,
        ["auto"] = ComputeDevice.Auto,
    };

    /// <summary>The word for a library value (help defaults are printed from the library's defaults).</summary>
    public static string Word<T>(IReadOnlyDictionary<string, T> choices, T value) =>
        choices.First(pair => EqualityComparer<T>.Default.Equals(pair.Value, value)).Key;

    /// <summary>--knn as an option.</summary>
    public static ChoiceOption<KnnMethod> KnnOption() =>
        new("--knn", "auto", "kNN search: exact, approx (NN-descent) or auto (exact for small data, approximate for large).", KnnMethods);

    /// <summary>--knn-metric as an option.</summary>
    public static ChoiceOption<DistanceMetric> KnnMetricOption() =>
        new("--knn-metric", "euclidean", "Distance for the kNN graph: euclidean or cosine (Euclidean on L2-normalised rows).", DistanceMetrics);
}
