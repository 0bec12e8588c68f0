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
        // Measured (AVX-512, 2 threads): kNN accuracy 0.979, recall@15 0.504, Spearman 0.502.
        Assert.True(q.KnnAccuracy >= 0.95, $"kNN accuracy {q.KnnAccuracy}");
        Assert.True(q.RecallAtK >= 0.47, $"recall@15 {q.RecallAtK}");
        Assert.True(q.Spearman >= 0.45, $"Spearman {q.Spearman}");
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
        var progress = Epochs(reports.Add);
        var result = new Cne(new CneOptions { Epochs = 9, SaveFrequency = 4, BatchSize = 8192 })
            .Fit(digits.Graph, digits.Pca, progress, (epoch, m) => { Assert.Equal(digits.Data.Rows, m.Rows); snapshots.Add(epoch); });
        Assert.Equal(Enumerable.Range(0, 9), reports.Select(r => r.Epoch));
        Assert.All(reports.Take(3), r => Assert.Equal(4.0, r.Spectrum)); // early phase ⌊9/3⌋ epochs at ρ = 4^1
        Assert.All(reports.Skip(3), r => Assert.Equal(1.0, r.Spectrum));
        // One linear schedule over all nine epochs: the exaggeration's end does not restart it (the reference's one loop).
        for (int e = 0; e < 9; e++) Assert.Equal(1.0 - e / 9.0, reports[e].LearningRate, 6);
        Assert.Equal([-1, 0, 4, 8], snapshots);
        Assert.Equal((4.0, 1.0, 3), (result.Spectrum.EarlyValue, result.Spectrum.Value, result.Spectrum.EarlyEpochs));
        Assert.Equal(reports[8].MeanLoss, result.BatchLosses[8].Average(), 3);
    }

    [Theory]
    [InlineData(ContrastiveNE.Optimization.OptimizerKind.Adam, 0.0)]
    [InlineData(ContrastiveNE.Optimization.OptimizerKind.Sgd, 0.6)]
    public void EarlyExaggerationKeepsTheOptimiserAndTheScheduleAcrossItsBoundary(ContrastiveNE.Optimization.OptimizerKind optimizer, double momentum)
    {
        // Regression (issue 15, item 1): the run was two phases, each with a fresh optimiser (Adam's moments and step
        // count, SGD's momentum) and its own schedule. At s = 1 the exaggerated value equals the final one (ρ = 4 and
        // neg_spec = m/5 = 1), so one loop with one optimiser gives exactly the run without early exaggeration.
        foreach (var loss in new[] { LossMode.InfoNce, LossMode.Neg })
        {
            var o = new CneOptions { Loss = loss, S = 1, Epochs = 6, BatchSize = 8192, Optimizer = optimizer, Momentum = momentum,
                LearningRate = optimizer == ContrastiveNE.Optimization.OptimizerKind.Adam ? 0.05 : 0.5, WarmupEpochs = 1, WarmupLearningRate = 0.01 };
            var reports = new List<EpochReport>();
            var early = new Cne(o).Fit(digits.Graph, digits.Pca, Epochs(reports.Add));
            Assert.Equal(2, early.Spectrum.EarlyEpochs);
            var plain = new Cne(o with { EarlyExaggeration = false }).Fit(digits.Graph, digits.Pca);
            Assert.Equal(plain.Embedding.Data, early.Embedding.Data);
            // Warm-up once, then a learning rate that never rises.
            Assert.True(reports[0].LearningRate < reports[1].LearningRate);
            for (int e = 2; e < reports.Count; e++) Assert.True(reports[e].LearningRate <= reports[e - 1].LearningRate, $"lr rose at epoch {e}");
        }
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
    public void CancellationThrowsWithinOneBatch()
    {
        using var cts = new CancellationTokenSource();
        int batches = 0;
        var cne = new Cne(new CneOptions { Epochs = 50, BatchSize = 1024 }) { BatchCompleted = (_, _) => batches++ };
        Assert.ThrowsAny<OperationCanceledException>(() => cne.Fit(digits.Graph, digits.Pca,
            Epochs(r => { if (r.Epoch == 1) cts.Cancel(); }), null, cts.Token));
        Assert.Equal(2 * ((digits.Graph.EdgeCount + 1023) / 1024), batches); // epochs 0 and 1, nothing of epoch 2
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
    public void OptionsTheReferenceAcceptsTrainToFinitePositions()
    {
        // eps = 0 (UMAP's implicit similarity 1/d²), no negatives (attraction only) and NCE's initial Z.
        foreach (var o in new[]
        {
            new CneOptions { Eps = 0, Loss = LossMode.Umap },
            new CneOptions { Eps = 0 },
            new CneOptions { NegativeSamples = 0, S = 1 }, // at ρ = 1 InfoNCE without negatives is 0: log q − log q
            new CneOptions { NegativeSamples = 0, Loss = LossMode.Umap },
            new CneOptions { NegativeSamples = 0, Loss = LossMode.Neg, NegSpec = 0.5 },
        })
        {
            var r = new Cne(o with { Epochs = 2, BatchSize = 8192 }).Fit(digits.Graph, digits.Pca);
            Assert.All(r.Embedding.Data, v => Assert.True(float.IsFinite(v)));
            Assert.True(!digits.Pca.Data.AsSpan().SequenceEqual(r.Embedding.Data), $"{o} did not move the points");
        }
        var nce = new CneOptions { Loss = LossMode.Nce, InitialZ = 50, BatchSize = 8192 };
        Assert.Equal(50, new Cne(nce with { Epochs = 0 }).Fit(digits.Graph, digits.Pca).Z, 4);
        double z = new Cne(nce with { Epochs = 2 }).Fit(digits.Graph, digits.Pca).Z;
        Assert.InRange(z, 40, 60); // log Z moves at lr 0.001 from log 50, not from log 1
        Assert.NotEqual(50, z);
    }

    [Fact]
    public void FitOnDataAndAUsersGraphTrainsTheTableAndTheNetworkOnThatGraph()
    {
        // A directed graph with self-loops, used as given: each point's first neighbour and itself.
        int n = digits.Data.Rows;
        var heads = new int[2 * n];
        var tails = new int[2 * n];
        for (int i = 0; i < n; i++)
        {
            heads[2 * i] = heads[2 * i + 1] = i;
            tails[2 * i] = digits.Graph.Neighbors(i)[0];
            tails[2 * i + 1] = i;
        }
        var graph = NeighborGraph.FromEdges(n, heads, tails);
        Assert.Equal(2 * n, graph.EdgeCount);
        var o = new CneOptions { Epochs = 2, BatchSize = 1024, K = 5000 }; // K is not used with a graph
        var table = new Cne(o).Fit(digits.Data, graph);
        Assert.Equal(2 * n, table.Graph.DirectedEdges);
        Assert.All(table.Embedding.Data, v => Assert.True(float.IsFinite(v)));
        var network = new Cne(o with { Parametric = true }).Fit(digits.Data, graph);
        Assert.Equal(2 * n, network.Graph.DirectedEdges);
        Assert.NotNull(network.Model);
        Assert.All(network.Embedding.Data, v => Assert.True(float.IsFinite(v)));
        var e = Assert.Throws<ArgumentException>(() => new Cne(o).Fit(digits.Data.Slice(0, 100), graph));
        Assert.Equal("graph", e.ParamName);
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

    /// <summary>The epoch reports of a fit, synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private static IProgress<FitReport> Epochs(Action<EpochReport> action) => new SyncProgress<FitReport>(r => { if (r.Epoch is { } e) action(e); });

    private sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
