using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Metrics;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Tsne;

public class TsneFitTests
{
    private static (Matrix Data, int[] Labels) Digits() => TestFiles.Digits();

    [Fact]
    public void FftRepulsionEmbedsTheDigitsLikeTsne()
    {
        var (data, labels) = Digits();
        var options = new CneOptions { Repulsion = RepulsionMode.Fft, K = 90, Perplexity = 30, Epochs = 400, EarlyExaggerationEpochs = 150, Threads = 2 };
        var embedding = new Cne(options).Fit(data);
        var q = EmbeddingQuality.Evaluate(data, embedding.Embedding, labels, new QualityOptions { SampleSize = data.Rows, Threads = 2 });
        // Measured: recall@15 0.595, kNN accuracy 0.984 (750 epochs in the benchmark: 0.592, 0.987).
        Assert.True(q.RecallAtK >= 0.55, $"recall@15 {q.RecallAtK}");
        Assert.True(q.KnnAccuracy >= 0.96, $"kNN accuracy {q.KnnAccuracy}");
        Assert.Equal(400, embedding.EpochsCompleted);
        Assert.True(double.IsFinite(embedding.BatchLosses[^1][0]) && embedding.BatchLosses[^1][0] < embedding.BatchLosses[0][0], "KL did not fall");
    }

    [Fact]
    public void SameResultAtOneAndTwoThreads()
    {
        var (data, _) = Digits();
        var small = data.Slice(0, 400);
        var options = new CneOptions { Repulsion = RepulsionMode.Fft, K = 30, Perplexity = 10, Epochs = 60, EarlyExaggerationEpochs = 20, KnnPcaComponents = 20 };
        var one = new Cne(options with { Threads = 1 }).FitTransform(small);
        var two = new Cne(options with { Threads = 2 }).FitTransform(small);
        Assert.Equal(one.Data, two.Data);
    }

    [Fact]
    public void UniformAffinitiesFromAUsersGraph()
    {
        var (data, labels) = Digits();
        var graph = ContrastiveNE.Neighbors.NearestNeighbors.Exact(data, 15).ToGraph();
        var embedding = new Cne(new CneOptions { Repulsion = RepulsionMode.Fft, Epochs = 300, EarlyExaggerationEpochs = 100, Threads = 2 }).Fit(graph);
        var q = EmbeddingQuality.Evaluate(data, embedding.Embedding, labels, new QualityOptions { SampleSize = data.Rows, Threads = 2 });
        // Measured: kNN accuracy 0.981.
        Assert.True(q.KnnAccuracy >= 0.95, $"kNN accuracy {q.KnnAccuracy}");
    }

    [Theory]
    [InlineData(nameof(CneOptions.Perplexity))]
    [InlineData(nameof(CneOptions.EarlyExaggerationFactor))]
    [InlineData(nameof(CneOptions.EarlyExaggerationEpochs))]
    [InlineData(nameof(CneOptions.Exaggeration))]
    [InlineData(nameof(CneOptions.KnnPcaComponents))]
    [InlineData(nameof(CneOptions.Dimensions))]
    [InlineData(nameof(CneOptions.Parametric))]
    [InlineData(nameof(CneOptions.Metric))]
    [InlineData(nameof(CneOptions.Repulsion))]
    public void BadFftOptionsNameTheOption(string name)
    {
        var fft = new CneOptions { Repulsion = RepulsionMode.Fft };
        var bad = name switch
        {
            nameof(CneOptions.Perplexity) => fft with { K = 15, Perplexity = 16 },
            nameof(CneOptions.EarlyExaggerationFactor) => fft with { EarlyExaggerationFactor = 0.5 },
            nameof(CneOptions.EarlyExaggerationEpochs) => fft with { EarlyExaggerationEpochs = -1 },
            nameof(CneOptions.Exaggeration) => fft with { Exaggeration = 0 },
            nameof(CneOptions.KnnPcaComponents) => fft with { KnnPcaComponents = -1 },
            nameof(CneOptions.Dimensions) => fft with { Dimensions = 3 },
            nameof(CneOptions.Parametric) => fft with { Parametric = true },
            nameof(CneOptions.Metric) => fft with { Metric = ContrastiveNE.Losses.SimilarityMetric.Cosine },
            _ => fft with { Repulsion = (RepulsionMode)7 },
        };
        var e = Assert.ThrowsAny<ArgumentException>(bad.Validate);
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void DefaultsStayTheReferencesSampledNegatives()
    {
        var options = new CneOptions();
        Assert.Equal(RepulsionMode.Sampled, options.Repulsion);
        Assert.Null(options.Perplexity);
        Assert.Equal(0, options.KnnPcaComponents);
    }
}
