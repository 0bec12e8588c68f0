using ContrastiveNE.Data;
using ContrastiveNE.Losses;
using ContrastiveNE.Metrics;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// A parametric embedding placing new points: fit on the first 60,000 Fashion-MNIST rows (<c>--n</c> changes it),
/// transform the last 10,000 (<c>--test</c>), and classify each new point by its 10 nearest training points in the
/// embedding. Reports <c>knn_accuracy</c> (leave-one-out on the training embedding) and <c>knn_accuracy_new</c>.
/// Defaults: InfoNCE, Adam, <c>--epochs</c> 200 (the full run). Extra options: <c>--loss</c>, <c>--optimizer</c>, <c>--batch</c>.
/// </summary>
public sealed class ParamTransformScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "param-transform";

    /// <inheritdoc/>
    public string Description => "parametric fit on 60,000 Fashion-MNIST rows, transform the last 10,000: kNN accuracy of new vs training points";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var all = NpyFile.ReadMatrix(BenchData.File(args, "fashion-mnist-images.npy"));
        var labels = NpyFile.ReadLabels(BenchData.File(args, "fashion-mnist-labels.npy"));
        int testRows = Math.Min(args.GetInt("test", 10_000), all.Rows - 2);
        int n = Math.Min(args.N ?? all.Rows - testRows, all.Rows - testRows);
        var train = all.Slice(0, n);
        var test = all.Slice(all.Rows - testRows, testRows);
        int[] trainLabels = labels[..n], testLabels = labels[^testRows..];
        result.N = n;
        result.Set("test_rows", testRows);

        var options = ParametricRun.Options(args, LossMode.InfoNce, defaultEpochs: 200);
        var embedding = ParametricRun.Fit(train, options, result);
        var placed = result.Phase("transform", () => embedding.Transform(test));
        result.Set("knn_accuracy", result.Phase("accuracy", () =>
            KnnClassification.LeaveOneOutAccuracy(embedding.Embedding, trainLabels, 10, 10_000, args.Seed, args.Threads)));
        result.Set("knn_accuracy_new", KnnClassification.TestAccuracy(embedding.Embedding, trainLabels, placed, testLabels, 10, args.Threads));
    }
}
