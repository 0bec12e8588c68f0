using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Models;
using ContrastiveNE.Optimization;
using ContrastiveNE.Tests.Embedding;
using ContrastiveNE.Training;

namespace ContrastiveNE.Tests.Training;

/// <summary>
/// The sparse table path (issue #18): batch-space gradients scattered into the rows a batch touched, and a step of those
/// rows only. For plain SGD it must be the dense step up to the order of float sums, and bit-identical at any thread count.
/// </summary>
public class SparseTableTrainingTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private (Matrix Positions, ContrastiveTrainer Trainer) Run(CneOptions options, bool? sparse, int epochs, Matrix? start = null, int batches = 0)
    {
        var positions = (start ?? digits.Pca).Clone();
        var table = new EmbeddingTable(positions, options.Threads);
        using var stop = new CancellationTokenSource();
        var trainer = new ContrastiveTrainer(table, new KnnEdgeSource(digits.Graph, options.BatchSize, options.Seed, options.Threads), options)
        {
            SparseTable = sparse,
            BatchCompleted = (_, t) => { if (t + 1 == batches) stop.Cancel(); },
        };
        try
        {
            trainer.Optimize(epochs, SpectrumSchedule.Constant(1.0), cancellationToken: stop.Token);
        }
        catch (OperationCanceledException) when (batches > 0)
        {
        }
        return (positions, trainer);
    }

    public static TheoryData<string> Cases => ["infonce-2d", "neg-2d-clip", "nce-2d", "infonce-3d", "cosine-infonce-4d", "umap-2d-mean"];

    private CneOptions Options(string name) => name switch
    {
        "infonce-2d" => new CneOptions { BatchSize = 1024, Threads = 2, Seed = 3 },
        "neg-2d-clip" => new CneOptions { BatchSize = 1024, Threads = 2, Seed = 3, Loss = LossMode.Neg, S = 0.5, ClipValue = 0.01 },
        "nce-2d" => new CneOptions { BatchSize = 1024, Threads = 2, Seed = 3, Loss = LossMode.Nce },
        "infonce-3d" => new CneOptions { BatchSize = 1024, Threads = 2, Seed = 3, Dimensions = 3 },
        "cosine-infonce-4d" => new CneOptions { BatchSize = 1024, Threads = 2, Seed = 3, Dimensions = 4, Metric = SimilarityMetric.Cosine },
        "umap-2d-mean" => new CneOptions { BatchSize = 1024, Threads = 2, Seed = 3, Loss = LossMode.Umap, Aggregation = LossAggregation.Mean, LearningRate = 200 },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private Matrix Start(int d)
    {
        if (d == 2) return digits.Pca;
        var start = new Matrix(digits.Pca.Rows, d);
        var random = new Random(5);
        for (int i = 0; i < start.Data.Length; i++) start.Data[i] = (float)(random.NextDouble() - 0.5);
        return start;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SparseStepEqualsTheDenseStepUpToSummationOrder(string name)
    {
        // Four steps of 1024-edge batches: the paths add the same contributions in another order, so they may differ by
        // float rounding only — far below the distance the points move. (Over many steps rounding differences grow, as
        // they do between any two summation orders of a chaotic optimisation.)
        var o = Options(name);
        var start = Start(o.Dimensions);
        var (dense, denseTrainer) = Run(o, sparse: false, epochs: 1, start, batches: 4);
        var (sparse, sparseTrainer) = Run(o, sparse: true, epochs: 1, start, batches: 4);
        Assert.Equal(4, sparseTrainer.BatchLosses[0].Length);
        Assert.False(denseTrainer.RanSparse);
        Assert.True(sparseTrainer.RanSparse);
        double moved = 0, differ = 0;
        for (int i = 0; i < dense.Data.Length; i++)
        {
            moved = Math.Max(moved, Math.Abs(dense.Data[i] - start.Data[i]));
            differ = Math.Max(differ, Math.Abs(dense.Data[i] - sparse.Data[i]));
        }
        Assert.True(moved > 1e-3, $"the points hardly moved ({moved})");
        Assert.True(differ <= 1e-5 * Math.Max(1, moved), $"{name}: the paths differ by {differ}; points moved up to {moved}");
        for (int t = 0; t < 4; t++) Assert.Equal(denseTrainer.BatchLosses[0][t], sparseTrainer.BatchLosses[0][t], 4);
    }

    [Fact]
    public void SparsePathIsBitIdenticalAtOneAndTwoThreads()
    {
        // 40,000-edge batches run three kernel units; 1024-edge batches one. The 3-D case takes the general kernel.
        foreach (var o in new[]
        {
            new CneOptions { BatchSize = 40_000, Seed = 4 },
            new CneOptions { BatchSize = 1024, Seed = 4, Loss = LossMode.Neg },
            new CneOptions { BatchSize = 4096, Seed = 4, Dimensions = 3 },
        })
        {
            var start = Start(o.Dimensions);
            var (one, t1) = Run(o with { Threads = 1 }, sparse: true, epochs: 3, start);
            var (two, t2) = Run(o with { Threads = 2 }, sparse: true, epochs: 3, start);
            Assert.True(t1.RanSparse && t2.RanSparse);
            Assert.Equal(one.Data, two.Data);
            var (otherSeed, _) = Run(o with { Threads = 2, Seed = 5 }, sparse: true, epochs: 3, start);
            Assert.NotEqual(one.Data, otherSeed.Data);
        }
    }

    [Fact]
    public void TheSizeChoosesThePath_AndOnlyPlainSgdGoesSparse()
    {
        // 1,797 rows: batches of 128 edges (256 rows; 4 × 256 ≤ 1,797) go sparse, of 1024 (2,048 rows) stay dense.
        var small = new CneOptions { BatchSize = 128, Threads = 2 };
        Assert.True(Run(small, sparse: null, epochs: 1).Trainer.RanSparse);
        Assert.False(Run(small with { BatchSize = 1024 }, sparse: null, epochs: 1).Trainer.RanSparse);
        // Momentum, weight decay and Adam keep the dense semantics (rows outside the batch still move) even when forced.
        Assert.False(Run(small with { Momentum = 0.5 }, sparse: true, epochs: 1).Trainer.RanSparse);
        Assert.False(Run(small with { WeightDecay = 1e-4 }, sparse: true, epochs: 1).Trainer.RanSparse);
        Assert.False(Run(small with { Optimizer = OptimizerKind.Adam, LearningRate = 0.01 }, sparse: true, epochs: 1).Trainer.RanSparse);
    }

    [Fact]
    public void StepRowsSumsRepeatedRowsBeforeClipping_AndLeavesOtherRowsAlone()
    {
        // Rows 1 and 3 each get two contributions: (0.7, −0.2) → clipped (0.5, −0.2); (−1.6, 0.3) → (−0.5, 0.3). Rows 0 and 2 none.
        var parameter = new Parameter("t", [10f, 20f, 30f, 40f, 50f, 60f, 70f, 80f]);
        ParameterOptimizer.StepRows(parameter, 2, [1, 3, 1, 3], 4, [0.3f, -0.1f, 0.4f, 0.2f, 0.4f, -0.1f, -2f, 0.1f], 2f, 0.5f, 1);
        float[] expected = [10f, 20f, 29f, 40.4f, 50f, 60f, 71f, 79.4f];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], parameter.Value[i], 4);
        Assert.Equal(10f, parameter.Value[0]); // untouched rows keep their exact values
        Assert.Equal(60f, parameter.Value[5]);
        Assert.All(parameter.Gradient, g => Assert.Equal(0f, g));
    }
}
