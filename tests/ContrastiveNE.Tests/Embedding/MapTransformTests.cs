using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Embedding;

/// <summary>Placing new points into a non-parametric map: the map never moves, points never see each other, errors name the input.</summary>
public class MapTransformTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Lazy<(Matrix Train, Matrix New, CneEmbedding Fit)> Digits = new(() =>
    {
        var (images, _) = TestFiles.Digits();
        var train = images.Slice(0, 1500);
        var fresh = images.Slice(1500, images.Rows - 1500);
        var fit = new Cne(new CneOptions { Epochs = 20, BatchSize = 4096, Threads = 2 }).Fit(train);
        return (train, fresh, fit);
    });

    private static readonly CneTransformOptions Short = new() { Epochs = 15 };

    [Fact]
    public void TheMapIsBitIdenticalBeforeAndAfter()
    {
        var (_, fresh, fit) = Digits.Value;
        var before = (float[])fit.Embedding.Data.Clone();
        var placed = fit.Transform(fresh, Short);
        Assert.Equal(before, fit.Embedding.Data);
        Assert.Equal(fresh.Rows, placed.Rows);
        Assert.Equal(2, placed.Columns);
        Assert.All(placed.Data, v => Assert.True(float.IsFinite(v)));
        // The optimisation moved the points away from their start (the test can fail).
        var start = fit.Transform(fresh, Short with { Epochs = 0 });
        Assert.NotEqual(start.Data, placed.Data);
    }

    [Fact]
    public void NewPointsDoNotInfluenceEachOther()
    {
        // Rows 40 … 42 with two different sets of companions: their placements are identical. (A point's negatives come
        // from a stream derived from its row index, so the same row at the same index is placed the same way.)
        var (train, fresh, fit) = Digits.Value;
        var map = fit.ToMap();
        var other = train.Slice(0, fresh.Rows).Clone();
        fresh.Data.AsSpan(40 * 64, 3 * 64).CopyTo(other.Data.AsSpan(40 * 64));
        var together = map.Transform(fresh, Short);
        var withOthers = map.Transform(other, Short);
        Assert.Equal(together.Slice(40, 3).Data, withOthers.Slice(40, 3).Data);
        Assert.NotEqual(together.Slice(0, 3).Data, withOthers.Slice(0, 3).Data);
    }

    [Fact]
    public void ResultIsIdenticalAtAnyThreadCount()
    {
        var (_, fresh, fit) = Digits.Value;
        var map = fit.ToMap();
        var one = map.Transform(fresh, Short with { Threads = 1 });
        var two = map.Transform(fresh, Short with { Threads = 2 });
        Assert.Equal(one.Data, two.Data);
    }

    [Fact]
    public void ATrainingRowLandsNearItsOwnPosition()
    {
        var (train, _, fit) = Digits.Value;
        var placed = fit.Transform(train.Slice(0, 200), Short);
        // Each row's first neighbour is itself (distance 0), so it starts exactly at its own position, and its
        // optimisation pulls it towards its neighbours, which are also its own neighbours in the map.
        double mean = 0, spread = 0;
        for (int i = 0; i < 200; i++)
        {
            double dx = placed[i, 0] - fit.Embedding[i, 0], dy = placed[i, 1] - fit.Embedding[i, 1];
            mean += Math.Sqrt(dx * dx + dy * dy) / 200;
            double ex = fit.Embedding[i, 0] - fit.Embedding[(i + 100) % 200, 0], ey = fit.Embedding[i, 1] - fit.Embedding[(i + 100) % 200, 1];
            spread += Math.Sqrt(ex * ex + ey * ey) / 200;
        }
        Assert.True(mean < 0.1 * spread, $"mean displacement {mean}, typical distance between points {spread}");
    }

    [Fact]
    public void WrongColumnCountNamesBothCounts()
    {
        var (_, _, fit) = Digits.Value;
        var e = Assert.Throws<ArgumentException>(() => fit.Transform(new Matrix(3, 10)));
        Assert.Contains("10 columns", e.Message);
        Assert.Contains("64 columns", e.Message);
    }

    [Fact]
    public void NonFiniteNewDataIsRefused()
    {
        var (_, fresh, fit) = Digits.Value;
        var bad = fresh.Slice(0, 5).Clone();
        bad[2, 3] = float.NaN;
        Assert.Throws<ArgumentException>(() => fit.Transform(bad));
    }

    [Fact]
    public void AGraphOnlyFitNeedsTheTrainingData()
    {
        var (train, _, fit) = Digits.Value;
        var graph = new Cne(fit.Options).CreateGraph(train);
        using var graphFit = new Cne(fit.Options with { Epochs = 2 }).Fit(graph);
        Assert.Throws<InvalidOperationException>(() => graphFit.ToMap());
        var map = graphFit.ToMap(train);
        Assert.Equal(train.Rows, map.Positions.Rows);
        Assert.Throws<ArgumentException>(() => graphFit.ToMap(train.Slice(0, 10)));
    }

    [Fact]
    public void ATsneMapCannotPlacePoints()
    {
        var (train, _, _) = Digits.Value;
        using var fit = new Cne(new CneOptions { Repulsion = RepulsionMode.Fft, Epochs = 3, EarlyExaggerationEpochs = 1, Threads = 2 }).Fit(train.Slice(0, 300));
        var e = Assert.Throws<InvalidOperationException>(() => fit.ToMap());
        Assert.Contains("Fft", e.Message);
    }

    [Theory]
    [InlineData(LossMode.Neg, SimilarityMetric.Euclidean, 0.87)]     // measured 0.896
    [InlineData(LossMode.Nce, SimilarityMetric.Euclidean, 0.89)]     // measured 0.919
    [InlineData(LossMode.Umap, SimilarityMetric.Euclidean, 0.78)]    // measured 0.805
    [InlineData(LossMode.InfoNce, SimilarityMetric.Cosine, 0.86)]    // measured 0.889
    public void EveryLossAndSimilarityPlacesDigitsAmongTheirClass(LossMode loss, SimilarityMetric metric, double threshold)
    {
        // 297 held-out digits placed into a map of 1,500, classified by their 10 nearest training positions.
        var (train, fresh, _) = Digits.Value;
        var (_, labels) = TestFiles.Digits();
        var options = new CneOptions { Loss = loss, Metric = metric, Dimensions = metric == SimilarityMetric.Cosine ? 3 : 2, Epochs = 10, BatchSize = 4096, Threads = 2 };
        using var fit = new Cne(options).Fit(train);
        var placed = fit.ToMap().Transform(fresh, Short);
        Assert.All(placed.Data, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(options.Dimensions, placed.Columns);
        double accuracy = ContrastiveNE.Metrics.KnnClassification.TestAccuracy(fit.Embedding, labels[..1500], placed, labels[1500..], 10, 2);
        output.WriteLine($"{loss} {metric}: {accuracy:F4}");
        Assert.True(accuracy >= threshold, $"{loss} {metric}: accuracy {accuracy}");
    }

    [Fact]
    public void OptionsAreValidated()
    {
        var (_, fresh, fit) = Digits.Value;
        Assert.Equal("Epochs", Assert.Throws<ArgumentOutOfRangeException>(() => fit.Transform(fresh, new CneTransformOptions { Epochs = -1 })).ParamName);
        Assert.Equal("NegativeSamples", Assert.Throws<ArgumentOutOfRangeException>(() => fit.Transform(fresh, new CneTransformOptions { NegativeSamples = 0 })).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => fit.Transform(fresh, new CneTransformOptions { LearningRate = double.NaN })).ParamName);
    }
}
