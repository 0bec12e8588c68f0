using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Metrics;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Embedding;

/// <summary>The digits set and its kNN graph, loaded once for the fit tests.</summary>
public sealed class DigitsFixture
{
    public DigitsFixture()
    {
        Data = NpyFile.ReadMatrix(TestFiles.DigitsImages);
        Labels = NpyFile.ReadLabels(TestFiles.DigitsLabels);
        Graph = NearestNeighbors.Search(Data, 15, KnnMethod.Auto, DistanceMetric.Euclidean, 0, 2).ToGraph();
        Pca = new Cne().CreateInitialization(Data);
    }

    public Matrix Data { get; }
    public int[] Labels { get; }
    public NeighborGraph Graph { get; }
    public Matrix Pca { get; }
}

public class CneFitTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private QualityReport Quality(Matrix embedding) =>
        EmbeddingQuality.Evaluate(digits.Data, embedding, digits.Labels, new QualityOptions { SampleSize = digits.Data.Rows, Threads = 2 });

    [Fact]
    public void TheSameSeedGivesBitIdenticalEmbeddingsAtOneAndTwoThreads()
    {
        // Batches of 8192 edges… and of 40,000 (several kernel units) with neg, momentum and mean aggregation.
        foreach (var o in new[]
        {
            new CneOptions { Epochs = 6, BatchSize = 8192 },
            new CneOptions { Epochs = 4, BatchSize = 40_000, Loss = LossMode.Neg, S = 0.5, Momentum = 0.5, Aggregation = LossAggregation.Mean, LearningRate = 50 },
        })
        {
            var one = new Cne(o with { Threads = 1 }).Fit(digits.Graph, digits.Pca).Embedding;
            var two = new Cne(o with { Threads = 2 }).Fit(digits.Graph, digits.Pca).Embedding;
            Assert.Equal(one.Data, two.Data);
            var otherSeed = new Cne(o with { Threads = 2, Seed = 1 }).Fit(digits.Graph, digits.Pca).Embedding;
            Assert.NotEqual(one.Data, otherSeed.Data);
        }
    }

    [Fact]
    public void DefaultsEmbedTheDigitsWithHighKnnAccuracy()
    {
        var result = new Cne(new CneOptions { Epochs = 100, BatchSize = 4096, Threads = 2 }).Fit(digits.Data);
        var q = Quality(result.Embedding);
        Assert.True(q.KnnAccuracy >= 0.9, $"kNN accuracy {q.KnnAccuracy}");
        Assert.Equal(100, result.BatchLosses.Count);
        Assert.True(result.BatchLosses[^1].Average() < result.BatchLosses[0].Average());
    }

    [Fact]
    public void NegAtSZeroKeepsMoreLocalStructureThanAtSOne()
    {
        // The reference: recall@15 0.506 at s = 0 vs 0.459 at s = 1 on the digits.
        double Recall(double s) => Quality(new Cne(new CneOptions { Loss = LossMode.Neg, S = s, Epochs = 100, BatchSize = 4096, Threads = 2 })
            .Fit(digits.Graph, digits.Pca).Embedding).RecallAtK;
        double r0 = Recall(0), r1 = Recall(1);
        Assert.True(r0 > r1 + 0.02, $"recall@15 at s = 0: {r0}, at s = 1: {r1}");
    }

    [Fact]
    public void ProgressSnapshotsAndPhasesFollowTheSpectrum()
    {
        var reports = new List<EpochReport>();
        var snapshots = new List<int>();
        var progress = new SyncProgress<EpochReport>(reports.Add);
        var result = new Cne(new CneOptions { Epochs = 9, SaveFrequency = 4, BatchSize = 8192 })
            .Fit(digits.Graph, digits.Pca, progress, (epoch, m) => { Assert.Equal(digits.Data.Rows, m.Rows); snapshots.Add(epoch); });
        Assert.Equal(Enumerable.Range(0, 9), reports.Select(r => r.Epoch));
        Assert.All(reports.Take(3), r => Assert.Equal(4.0, r.Spectrum)); // early phase ⌊9/3⌋ epochs at ρ = 4^1
        Assert.All(reports.Skip(3), r => Assert.Equal(1.0, r.Spectrum));
        Assert.Equal(1.0, reports[0].LearningRate);   // each phase restarts the schedule (as the reference's fit)
        Assert.Equal(1.0, reports[3].LearningRate);
        Assert.Equal(1.0 - 1.0 / 6, reports[4].LearningRate, 6);
        Assert.Equal([-1, 0, 4, 8], snapshots);
        Assert.Equal((4.0, 1.0, 3), (result.Spectrum.EarlyValue, result.Spectrum.Value, result.Spectrum.EarlyEpochs));
        Assert.Equal(reports[8].MeanLoss, result.BatchLosses[8].Average(), 3);
    }

    [Fact]
    public void OptimizeContinuesTheRun()
    {
        var result = new Cne(new CneOptions { Epochs = 3, BatchSize = 8192 }).Fit(digits.Graph, digits.Pca);
        var before = result.Embedding.Clone();
        result.Optimize(2);
        Assert.Equal(5, result.EpochsCompleted);
        Assert.Equal(5, result.BatchLosses.Count);
        Assert.NotEqual(before.Data, result.Embedding.Data);
    }

    [Fact]
    public void CancellationStopsWithinOneBatchAndLeavesAUsableEmbedding()
    {
        using var cts = new CancellationTokenSource();
        int batches = 0;
        var result = new Cne(new CneOptions { Epochs = 50, BatchSize = 1024 }).Fit(digits.Graph, digits.Pca,
            new SyncProgress<EpochReport>(r => { if (r.Epoch == 1) cts.Cancel(); }), null, cts.Token);
        batches = result.BatchLosses.Sum(l => l.Length);
        Assert.True(result.Cancelled);
        Assert.Equal(3, result.EpochsCompleted); // epochs 0, 1 and the epoch in which no batch ran
        Assert.Equal(2 * ((digits.Graph.EdgeCount + 1023) / 1024), batches);
        Assert.All(result.Embedding.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void NonFiniteTrainingNamesTheEpochAndCarriesTheLastFiniteEmbedding()
    {
        var options = new CneOptions { Epochs = 20, BatchSize = 8192, LearningRate = 1e38, ClipValue = null, Eps = 1e-6, EarlyExaggeration = false };
        var e = Assert.Throws<NonFiniteTrainingException>(() => new Cne(options).Fit(digits.Graph, digits.Pca));
        Assert.InRange(e.Epoch, 0, 19);
        Assert.Contains($"epoch {e.Epoch}", e.Message);
        Assert.NotNull(e.LastFiniteEmbedding);
        Assert.All(e.LastFiniteEmbedding!.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void EveryLossAndMetricTrainsToFinitePositions()
    {
        foreach (var loss in Enum.GetValues<LossMode>())
            foreach (var metric in Enum.GetValues<SimilarityMetric>())
            {
                if (loss == LossMode.Umap && metric == SimilarityMetric.Cosine) continue;
                var o = new CneOptions { Loss = loss, Metric = metric, Epochs = 2, BatchSize = 8192, Dimensions = 3,
                    LearnableTemperature = metric == SimilarityMetric.Cosine, Optimizer = ContrastiveNE.Optimization.OptimizerKind.Adam, LearningRate = 0.01 };
                var init = new Cne(o).CreateInitialization(digits.Data);
                var r = new Cne(o).Fit(digits.Graph, init);
                Assert.All(r.Embedding.Data, v => Assert.True(float.IsFinite(v)));
                if (loss == LossMode.Nce) Assert.NotEqual(1.0, r.Z);
                if (metric == SimilarityMetric.Cosine) Assert.NotEqual(0.5, r.Temperature);
            }
    }

    [Fact]
    public void FullBatchNegativesTrain()
    {
        var r = new Cne(new CneOptions { NegativeSamples = -1, BatchSize = 256, Epochs = 1, EarlyExaggeration = false }).Fit(digits.Graph, digits.Pca);
        Assert.All(r.Embedding.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void AMismatchedInitialisationIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Cne().Fit(digits.Graph, new Matrix(10, 2)));
        Assert.Equal("initialization", e.ParamName);
    }

    private sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
