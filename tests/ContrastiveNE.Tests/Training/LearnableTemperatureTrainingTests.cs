using ContrastiveNE.Augmentations;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Models;
using ContrastiveNE.Optimization;
using ContrastiveNE.Tests.Support;
using ContrastiveNE.Training;

namespace ContrastiveNE.Tests.Training;

public class LearnableTemperatureTrainingTests
{
    [Theory]
    [InlineData(LossMode.InfoNce)]
    [InlineData(LossMode.InfoNceAlt)]
    public void CosineWithLearnableTemperature_MovesLogTau_AndLowersTheLoss(LossMode loss)
    {
        // 256 digits through a small MLP on pairs of noisy, shifted views: the trainer must step log τ (Adam at the
        // fixed scalar rate 0.001 moves it by about 0.001 per batch while its gradient keeps one sign) and the loss must fall.
        var raw = NpyFile.ReadMatrix(TestFiles.DigitsImages);
        var images = raw.Slice(0, 256);
        for (int i = 0; i < images.Data.Length; i++) images.Data[i] /= 16f;
        var shape = new ImageShape(1, 8, 8);
        var augmentation = new AugmentationPipeline(new RandomTranslation(1), new GaussianNoise(0.1));
        var source = new AugmentationPairSource(images, shape, augmentation, batchSize: 32, seed: 5);
        var network = Mlp.Create(64, [64], 16, seed: 6);
        var options = new CneOptions
        {
            Loss = loss, Metric = SimilarityMetric.Cosine, Temperature = 0.5, LearnableTemperature = true, NegativeSamples = -1,
            Optimizer = OptimizerKind.Adam, LearningRate = 3e-3, Schedule = LearningRateSchedule.None, Aggregation = LossAggregation.Mean,
            Parametric = true, Seed = 7,
        };
        var trainer = new ContrastiveTrainer(new InputRowsModel(network), source, options);
        Assert.Equal(0.5, trainer.Temperature, 6);
        trainer.Optimize(6, 1.0);

        int steps = 6 * source.BatchesPerEpoch;
        double moved = Math.Abs(Math.Log(trainer.Temperature) - Math.Log(0.5));
        Assert.True(moved > 0.25 * steps * 0.001, $"log τ moved by {moved} in {steps} steps");
        Assert.True(moved <= steps * 0.001 * 1.01, $"log τ moved by {moved}, more than Adam's bound of lr per step");
        double first = trainer.BatchLosses[0].Average(), last = trainer.BatchLosses[^1].Average();
        Assert.True(double.IsFinite(last) && last < 0.9 * first, $"loss went from {first} to {last}");
    }
}
