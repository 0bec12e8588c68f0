using System.Text.Json;
using ContrastiveNE.Losses;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Losses;

/// <summary>One case of tests/data/golden/batch-losses.json, converted to the library's types.</summary>
internal sealed class GoldenCase
{
    public required string Name { get; init; }
    public required LossMode Mode { get; init; }
    public required SimilarityMetric Metric { get; init; }
    public required int Pairs { get; init; }
    public required int Dimension { get; init; }
    public required int Negatives { get; init; }
    public required float Spec { get; init; }
    public required float Eps { get; init; }
    public required float Temperature { get; init; }
    public required float BaseTemperature { get; init; }
    public required float LogZ { get; init; }
    public required LossAggregation Aggregation { get; init; }
    public required float ClampLow { get; init; }
    public required float ClampHigh { get; init; }
    public required float[] Features { get; init; }
    public required int[] Columns { get; init; }
    public required double Loss { get; init; }
    public required double[] Gradient { get; init; }
    public double? LogZGradient { get; init; }

    public override string ToString() => Name;

    private static readonly Lazy<IReadOnlyList<GoldenCase>> All = new(Load);

    public static IReadOnlyList<GoldenCase> Cases => All.Value;

    public static GoldenCase Named(string name) => Cases.Single(c => c.Name == name);

    private static IReadOnlyList<GoldenCase> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestFiles.GoldenBatchLosses));
        var list = new List<GoldenCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            int b = c.GetProperty("batch").GetInt32();
            var cols = c.GetProperty("neighbor_indices").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetInt32())).ToArray();
            list.Add(new GoldenCase
            {
                Name = c.GetProperty("name").GetString()!,
                Mode = c.GetProperty("loss_mode").GetString() switch
                {
                    "neg" => LossMode.Neg, "nce" => LossMode.Nce, "umap" => LossMode.Umap,
                    "infonce" => LossMode.InfoNce, "infonce_alt" => LossMode.InfoNceAlt,
                    var s => throw new InvalidDataException($"unknown loss mode {s}"),
                },
                Metric = c.GetProperty("metric").GetString() == "cosine" ? SimilarityMetric.Cosine : SimilarityMetric.Euclidean,
                Pairs = b,
                Dimension = c.GetProperty("dim").GetInt32(),
                Negatives = cols.Length / b - 1,
                Spec = (float)c.GetProperty("spec_param").GetDouble(),
                Eps = (float)c.GetProperty("eps").GetDouble(),
                Temperature = (float)c.GetProperty("temperature").GetDouble(),
                BaseTemperature = (float)c.GetProperty("base_temperature").GetDouble(),
                LogZ = Number(c, "log_Z") is { } z ? (float)z : 0f,
                Aggregation = c.GetProperty("aggregation").GetString() == "mean" ? LossAggregation.Mean : LossAggregation.Sum,
                ClampLow = Number(c, "clamp_low") is { } lo ? (float)lo : float.NegativeInfinity,
                ClampHigh = Number(c, "clamp_high") is { } hi ? (float)hi : float.PositiveInfinity,
                Features = c.GetProperty("features").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => (float)v.GetDouble())).ToArray(),
                Columns = cols,
                Loss = c.GetProperty("loss").GetDouble(),
                Gradient = c.GetProperty("grad_features").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray(),
                LogZGradient = Number(c, "grad_log_Z"),
            });
        }
        return list;
    }

    private static double? Number(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();

    /// <summary>A BatchLoss configured like this case (the negative count only matters for sampled columns).</summary>
    public BatchLoss CreateLoss() => new(Mode, Metric, Negatives, Eps, BaseTemperature, ClampLow, ClampHigh, Aggregation);

    /// <summary>Evaluates the case with its given columns.</summary>
    public (BatchLossResult Result, float[] Gradient) Evaluate(float[]? features = null, int threads = 1)
    {
        var gradient = new float[Features.Length];
        var result = CreateLoss().Compute(features ?? (float[])Features.Clone(), Pairs, Dimension, Spec, LogZ, Temperature,
            0, 0, gradient, threads, Columns, Negatives);
        return (result, gradient);
    }
}
