using ContrastiveNE.Data;
using ContrastiveNE.Metrics;
using static ContrastiveNE.Tests.Metrics.KnnRecallTests;

namespace ContrastiveNE.Tests.Metrics;

public sealed class EmbeddingQualityTests
{
    [Fact]
    public void Report_combines_the_individual_metrics()
    {
        var data = Random(200, 6, 31);
        var embedding = Random(200, 2, 32);
        for (int i = 0; i < 200; i++) embedding[i, 0] += 2 * data[i, 0];
        int[] labels = Enumerable.Range(0, 200).Select(i => data[i, 0] > 0 ? 1 : 0).ToArray();
        var options = new QualityOptions { K = 5, SampleSize = 150, Pairs = 4000, Seed = 3, Threads = 1 };
        var report = EmbeddingQuality.Evaluate(data, embedding, labels, options);
        Assert.Equal(KnnRecall.Compute(data, embedding, 5, 150, 3), report.RecallAtK);
        Assert.Equal(KnnClassification.LeaveOneOutAccuracy(embedding, labels, 10, 150, 3), report.KnnAccuracy);
        Assert.Equal(SpearmanCorrelation.OfDistances(data, embedding, 4000, 3), report.Spearman);
        Assert.Equal((5, 150), (report.K, report.SampledPoints));
        Assert.InRange(report.KnnAccuracy!.Value, 0.8, 1.0);
        Assert.Null(EmbeddingQuality.Evaluate(data, embedding, null, options).KnnAccuracy);
    }

    [Fact]
    public void Identical_embedding_scores_perfectly()
    {
        var data = Random(100, 3, 33);
        var report = EmbeddingQuality.Evaluate(data, data.Clone(), options: new QualityOptions { Pairs = 2000 });
        Assert.Equal(1.0, report.RecallAtK);
        Assert.Equal(1.0, report.Spearman, 12);
        Assert.Equal(100, report.SampledPoints);
    }

    [Fact]
    public void Invalid_arguments_name_the_parameter()
    {
        var data = Random(20, 3, 34);
        var embedding = Random(20, 2, 35);
        string Param(Action a) => Assert.ThrowsAny<ArgumentException>(a).ParamName!;
        Assert.Equal("embedding", Param(() => EmbeddingQuality.Evaluate(data, Random(19, 2, 1))));
        Assert.Equal("labels", Param(() => EmbeddingQuality.Evaluate(data, embedding, new int[19])));
        Assert.Equal("options.K", Param(() => EmbeddingQuality.Evaluate(data, embedding, options: new QualityOptions { K = 20 })));
        Assert.Equal("options.K", Param(() => EmbeddingQuality.Evaluate(data, embedding, options: new QualityOptions { K = 0 })));
        Assert.Equal("options.ClassifierK", Param(() => EmbeddingQuality.Evaluate(data, embedding, new int[20], new QualityOptions { K = 5, ClassifierK = 20 })));
        Assert.Equal("options.SampleSize", Param(() => EmbeddingQuality.Evaluate(data, embedding, options: new QualityOptions { K = 5, SampleSize = 0 })));
        Assert.Equal("options.Pairs", Param(() => EmbeddingQuality.Evaluate(data, embedding, options: new QualityOptions { K = 5, Pairs = 1 })));
        Assert.Equal("data", Param(() => EmbeddingQuality.Evaluate(new Matrix(2, 1), new Matrix(2, 1))));
        var nan = embedding.Clone();
        nan[3, 0] = float.PositiveInfinity;
        Assert.Equal("embedding", Param(() => EmbeddingQuality.Evaluate(data, nan, options: new QualityOptions { K = 5 })));
    }
}
