using ContrastiveNE.Data;
using ContrastiveNE.Losses;
using ContrastiveNE.Metrics;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Parametric NCE with Adam (issue 4's speed target: ≤ 5 s per epoch on 70,000 Fashion-MNIST rows at 2 threads) on
/// the first <c>--n</c> rows (default all 70,000) for <c>--epochs</c> epochs (default 3). With 25 or more epochs the
/// embedding's quality is reported too (kNN recall, kNN accuracy, Spearman). Extra options: <c>--loss</c>,
/// <c>--optimizer</c>, <c>--batch</c>; <c>--out</c> writes the embedding (.npy).
/// </summary>
public sealed class ParamNceScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "param-nce";

    /// <inheritdoc/>
    public string Description => "parametric NCE + Adam on Fashion-MNIST: seconds per epoch (quality after ≥ 25 epochs)";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var all = NpyFile.ReadMatrix(BenchData.File(args, "fashion-mnist-images.npy"));
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = n == all.Rows ? all : all.Slice(0, n);
        result.N = n;
        var options = ParametricRun.Options(args, LossMode.Nce, defaultEpochs: 3) with { Device = BenchDevice.Prepare(args, result) };
        var embedding = ParametricRun.Fit(data, options, result);
        if (args.Out is { } path) NpyFile.Write(path, embedding.Embedding);
        if (options.Epochs >= 25)
        {
            var labels = NpyFile.ReadLabels(BenchData.File(args, "fashion-mnist-labels.npy"))[..n];
            var quality = result.Phase("quality", () => EmbeddingQuality.Evaluate(data, embedding.Embedding, labels, new QualityOptions { Threads = args.Threads }));
            result.Set("knn_recall", quality.RecallAtK);
            result.Set("knn_accuracy", quality.KnnAccuracy ?? double.NaN);
            result.Set("spearman", quality.Spearman);
        }
    }
}
