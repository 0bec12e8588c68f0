using ContrastiveNE.Augmentations;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Models;
using ContrastiveNE.Randomness;
using ContrastiveNE.Tests.Support;
using ContrastiveNE.Training;

namespace ContrastiveNE.Tests.Embedding;

/// <summary>
/// The one cancellation contract (docs/cancellation.md): a cancelled fit or optimise call throws
/// <see cref="OperationCanceledException"/>, in every phase and in every trainer. Each test cancels at a known point
/// (a phase hook, a batch hook, a progress report, an augmentation call), never by timing, and checks that no later
/// phase or batch ran.
/// </summary>
public class CancellationTests
{
    private static readonly Lazy<Matrix> Digits = new(() => NpyFile.ReadMatrix(TestFiles.DigitsImages).Slice(0, 300));

    private static CneOptions Options(bool parametric) => new()
    {
        Epochs = 6, BatchSize = 512, Seed = 2, Threads = 2, Parametric = parametric, HiddenLayers = [32],
    };

    [Theory]
    [InlineData(false, FitPhase.Neighbors)]
    [InlineData(false, FitPhase.Initialization)]
    [InlineData(false, FitPhase.Epochs)]
    [InlineData(true, FitPhase.Neighbors)]
    [InlineData(true, FitPhase.Initialization)]
    [InlineData(true, FitPhase.Epochs)]
    public void CancellingAtTheStartOfAPhaseThrowsBeforeTheNextPhaseAndBeforeAnyBatch(bool parametric, FitPhase at)
    {
        using var cts = new CancellationTokenSource();
        var phases = new List<FitPhase>();
        int batches = 0;
        var cne = new Cne(Options(parametric))
        {
            PhaseStarted = phase => { phases.Add(phase); if (phase == at) cts.Cancel(); },
            BatchCompleted = (_, _) => batches++,
        };
        Assert.ThrowsAny<OperationCanceledException>(() => cne.Fit(Digits.Value, cancellationToken: cts.Token));
        Assert.Equal(at, phases[^1]); // the phase that was cancelled is the last one begun
        Assert.Equal(0, batches);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CancellingBetweenEpochsThrowsBeforeTheNextBatch(bool parametric)
    {
        using var cts = new CancellationTokenSource();
        var epochs = new List<int>();
        int batches = 0;
        var cne = new Cne(Options(parametric)) { BatchCompleted = (_, _) => batches++ };
        Assert.ThrowsAny<OperationCanceledException>(() => cne.Fit(Digits.Value,
            progress: Epochs(r => { epochs.Add(r.Epoch); if (r.Epoch == 1) cts.Cancel(); }), cancellationToken: cts.Token));
        Assert.Equal([0, 1], epochs);
        Assert.Equal(0, batches % BatchesPerEpoch(cne, parametric)); // no batch of epoch 2 ran
        Assert.Equal(2 * BatchesPerEpoch(cne, parametric), batches);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CancellingMidEpochStopsWithinOneBatch(bool parametric)
    {
        using var cts = new CancellationTokenSource();
        var seen = new List<(int Epoch, int Batch)>();
        var cne = new Cne(Options(parametric))
        {
            BatchCompleted = (epoch, batch) => { seen.Add((epoch, batch)); if (epoch == 1 && batch == 1) cts.Cancel(); },
        };
        Assert.ThrowsAny<OperationCanceledException>(() => cne.Fit(Digits.Value, cancellationToken: cts.Token));
        Assert.Equal((1, 1), seen[^1]);
        Assert.True(BatchesPerEpoch(cne, parametric) > 2, "the test needs an epoch of more than two batches");
    }

    [Fact]
    public void OptimizeCancelledMidEpochThrowsAndLeavesAUsableEmbedding()
    {
        var graph = new Cne(Options(false)).CreateGraph(Digits.Value);
        using var cts = new CancellationTokenSource();
        var cne = new Cne(Options(false) with { Epochs = 1 })
        {
            BatchCompleted = (epoch, batch) => { if (epoch == 2 && batch == 0) cts.Cancel(); },
        };
        using var fit = cne.Fit(graph, cancellationToken: cts.Token);
        Assert.ThrowsAny<OperationCanceledException>(() => fit.Optimize(3, cancellationToken: cts.Token));
        Assert.Equal(3, fit.EpochsCompleted); // epoch 0 (fit), epoch 1, and the cut epoch 2
        Assert.Single(fit.BatchLosses[2]); // only the batch that finished before the cancellation
        Assert.All(fit.Embedding.Data, v => Assert.True(float.IsFinite(v)));
        fit.Optimize(1); // still usable with a fresh token
        Assert.Equal(4, fit.EpochsCompleted);
    }

    [Fact]
    public void AnAlreadyCancelledTokenThrowsBeforeAnyWork()
    {
        var phases = new List<FitPhase>();
        var cne = new Cne(Options(false)) { PhaseStarted = phases.Add };
        Assert.ThrowsAny<OperationCanceledException>(() => cne.Fit(Digits.Value, cancellationToken: new CancellationToken(true)));
        Assert.Empty(phases);
    }

    [Fact]
    public void TheFftEngineThrowsWhenCancelledBetweenEpochs()
    {
        using var cts = new CancellationTokenSource();
        var epochs = new List<int>();
        var cne = new Cne(Options(false) with { Repulsion = RepulsionMode.Fft, Epochs = 20 });
        Assert.ThrowsAny<OperationCanceledException>(() => cne.Fit(Digits.Value,
            progress: Epochs(r => { epochs.Add(r.Epoch); if (r.Epoch == 3) cts.Cancel(); }), cancellationToken: cts.Token));
        Assert.Equal([0, 1, 2, 3], epochs);
    }

    // ---- the general (SimCLR) trainer ----

    private static (ContrastiveTrainer Trainer, CountingAugmentation Augmentation) SimClr(CancellationTokenSource cts, int cancelAtCall)
    {
        var images = Digits.Value.Slice(0, 96).Clone();
        for (int i = 0; i < images.Data.Length; i++) images.Data[i] /= 16f;
        var shape = new ImageShape(1, 8, 8);
        var encoder = ConvEncoder.Create(shape, [4], projectionDimension: 8, seed: 1);
        var augmentation = new CountingAugmentation(cancelAtCall, cts);
        // One thread: the augmentation is called in a fixed order, so the cancelling call falls in a known batch.
        var source = new AugmentationPairSource(images, shape, augmentation, batchSize: 16, seed: 2, threads: 1);
        var options = new CneOptions
        {
            Loss = LossMode.InfoNceAlt, Metric = SimilarityMetric.Cosine, NegativeSamples = -1, Parametric = true, Seed = 3, Threads = 1,
        };
        return (new ContrastiveTrainer(new InputRowsModel(encoder.Network), source, options), augmentation);
    }

    [Fact]
    public void TheGeneralTrainerCancelledMidEpochThrowsWithinOneBatch()
    {
        using var cts = new CancellationTokenSource();
        // 96 images, batches of 16 → 6 batches of 32 augmentation calls; call 100 lies in batch 3 (0-based) of epoch 0.
        var (trainer, augmentation) = SimClr(cts, cancelAtCall: 100);
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Optimize(3, 1.0, cancellationToken: cts.Token));
        Assert.Equal(1, trainer.EpochsCompleted);
        Assert.Equal(4, trainer.BatchLosses[0].Length); // batches 0–3 finished; batch 4 never started
        Assert.Equal(4 * 32, augmentation.Calls);
    }

    [Fact]
    public void TheGeneralTrainerCancelledBetweenEpochsThrowsBeforeTheNextBatch()
    {
        using var cts = new CancellationTokenSource();
        var (trainer, augmentation) = SimClr(cts, cancelAtCall: int.MaxValue);
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Optimize(3, 1.0,
            epochCompleted: epoch => { if (epoch == 0) cts.Cancel(); }, cancellationToken: cts.Token));
        Assert.Equal(6 * 32, augmentation.Calls); // exactly one epoch of views
        Assert.Equal(6, trainer.BatchLosses[0].Length);
    }

    private static int BatchesPerEpoch(Cne cne, bool parametric)
    {
        var graph = cne.CreateGraph(Digits.Value);
        return (graph.EdgeCount + cne.Options.BatchSize - 1) / cne.Options.BatchSize;
    }

    /// <summary>An augmentation that changes nothing and cancels on its n-th call (1-based).</summary>
    private sealed class CountingAugmentation(int cancelAt, CancellationTokenSource cts) : IImageAugmentation
    {
        public int Calls { get; private set; }

        public void Apply(Span<float> image, ImageShape shape, Span<float> scratch, ref Xoshiro256 random)
        {
            if (++Calls == cancelAt) cts.Cancel();
        }
    }

    /// <summary>The epoch reports of a fit, synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private static IProgress<FitReport> Epochs(Action<EpochReport> action) => new SyncProgress<FitReport>(r => { if (r.Epoch is { } e) action(e); });

    private sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
