using ContrastiveNE.Augmentations;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Models;
using ContrastiveNE.Optimization;
using ContrastiveNE.Tests.Support;
using ContrastiveNE.Training;

namespace ContrastiveNE.Tests.Training;

public class SimClrTrainingTests
{
    [Fact]
    public void ConvEncoderOnAugmentationPairs_LossFalls()
    {
        // 384 digits (8 × 8, values 0 … 16 scaled to [0, 1]) through a small encoder: a few epochs of SimCLR must
        // lower the InfoNCE loss below its value at the start (6 % with these settings; the augmentations keep it noisy).
        var raw = NpyFile.ReadMatrix(TestFiles.DigitsImages);
        var images = raw.Slice(0, 384);
        for (int i = 0; i < images.Data.Length; i++) images.Data[i] /= 16f;
        var shape = new ImageShape(1, 8, 8);
        var encoder = ConvEncoder.Create(shape, [8, 16], projectionDimension: 16, seed: 1);
        var source = new AugmentationPairSource(images, shape, AugmentationPipeline.SimClr(0.5), batchSize: 64, seed: 2);
        var options = new CneOptions
        {
            Loss = LossMode.InfoNceAlt, Metric = SimilarityMetric.Cosine, NegativeSamples = -1, Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-2, Parametric = true, Seed = 3,
        };
        var trainer = new ContrastiveTrainer(new InputRowsModel(encoder.Network), source, options);
        trainer.Optimize(8, 1.0);

        var losses = trainer.BatchLosses;
        Assert.Equal(8, losses.Count);
        double first = losses[0].Average(), last = losses[^1].Average();
        Assert.True(last < 0.96 * first, $"loss went from {first} to {last}");

        // The representation of the trained backbone is finite and not collapsed.
        var representation = new float[images.Rows * encoder.RepresentationDimension];
        encoder.Encode(images.Data, images.Rows, representation);
        Assert.All(representation, v => Assert.True(float.IsFinite(v)));
        double meanVariance = 0;
        for (int j = 0; j < encoder.RepresentationDimension; j++)
        {
            double mean = 0, square = 0;
            for (int i = 0; i < images.Rows; i++) { double v = representation[i * 16 + j]; mean += v; square += v * v; }
            mean /= images.Rows;
            meanVariance += square / images.Rows - mean * mean;
        }
        Assert.True(meanVariance / encoder.RepresentationDimension > 1e-4);
    }
}
