using ContrastiveNE.Augmentations;
using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Randomness;
using ContrastiveNE.Training;

namespace ContrastiveNE.Tests.Training;

public class AugmentationPairSourceTests
{
    private static readonly ImageShape Shape = new(1, 6, 6);

    private static Matrix Images(int n)
    {
        // Row i is filled with distinct values around i, so an augmented row still tells which item it came from.
        var m = new Matrix(n, Shape.Size);
        var random = Xoshiro256.Create(9);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < Shape.Size; j++) m[i, j] = i + 0.1f * random.NextFloat();
        return m;
    }

    [Fact]
    public void EveryItemOncePerEpoch_InBalancedBatches_InAFreshOrder()
    {
        var source = new AugmentationPairSource(Images(23), Shape, new HorizontalFlip(), batchSize: 5, seed: 1);
        Assert.Equal(5, source.BatchesPerEpoch);
        Assert.Equal(5, source.MaxBatchSize);
        var epochs = new List<int[]>();
        for (int e = 0; e < 2; e++)
        {
            var items = new List<int>();
            for (int i = 0; i < source.BatchesPerEpoch; i++)
            {
                var batch = new PairBatch();
                source.Fill(e, i, batch);
                Assert.InRange(batch.Size, 4, 5);
                Assert.Equal(Shape.Size, batch.InputWidth);
                Assert.Null(batch.Items);
                var expected = source.ItemsOf(e, i).ToArray();
                // The rows hold (flipped) copies of their items: head row r and tail row b + r come from item r.
                for (int r = 0; r < batch.Size; r++)
                {
                    Assert.Equal(expected[r], (int)batch.Inputs![r * Shape.Size]);
                    Assert.Equal(expected[r], (int)batch.Inputs[(batch.Size + r) * Shape.Size]);
                }
                items.AddRange(expected);
            }
            Assert.Equal(Enumerable.Range(0, 23), items.Order());
            epochs.Add([.. items]);
        }
        Assert.NotEqual(epochs[0], epochs[1]);
    }

    [Fact]
    public void HeadsAndTails_AreIndependentAugmentations()
    {
        var source = new AugmentationPairSource(Images(8), Shape, new GaussianNoise(0.01), batchSize: 8, seed: 2);
        var batch = new PairBatch();
        source.Fill(0, 0, batch);
        for (int r = 0; r < 8; r++)
            Assert.NotEqual(batch.Inputs.AsSpan(r * 36, 36).ToArray(), batch.Inputs.AsSpan((8 + r) * 36, 36).ToArray());
    }

    [Fact]
    public void Batches_AreTheSame_AtAnyThreadCount_AndInAnyRequestOrder()
    {
        var images = Images(40);
        float[] Batch(int threads, int epoch, int index, bool warmUp)
        {
            var source = new AugmentationPairSource(images, Shape, AugmentationPipeline.SimClr(), batchSize: 16, seed: 3, threads: threads);
            var batch = new PairBatch();
            if (warmUp) source.Fill(epoch + 1, 0, batch);
            source.Fill(epoch, index, batch);
            return batch.Inputs.AsSpan(0, 2 * batch.Size * 36).ToArray();
        }
        float[] reference = Batch(1, 2, 1, false);
        Assert.Equal(reference, Batch(2, 2, 1, false));
        Assert.Equal(reference, Batch(2, 2, 1, true));
        Assert.NotEqual(reference, Batch(1, 3, 1, false));
    }

    [Fact]
    public void BatchLargerThanTheData_GivesOneBatch_AndInputsAreReused()
    {
        var source = new AugmentationPairSource(Images(3), Shape, new HorizontalFlip(), batchSize: 10);
        Assert.Equal(1, source.BatchesPerEpoch);
        Assert.Equal(3, source.MaxBatchSize);
        var batch = new PairBatch();
        source.Fill(0, 0, batch);
        float[] inputs = batch.Inputs!;
        source.Fill(1, 0, batch);
        Assert.Same(inputs, batch.Inputs);
        Assert.Equal(3, batch.Size);
    }

    [Fact]
    public void InvalidArguments_NameTheParameter()
    {
        var images = Images(4);
        var flip = new HorizontalFlip();
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => new AugmentationPairSource(images, new ImageShape(1, 5, 6), flip, 2)).ParamName);
        Assert.Equal("batchSize", Assert.ThrowsAny<ArgumentException>(() => new AugmentationPairSource(images, Shape, flip, 0)).ParamName);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => new AugmentationPairSource(new Matrix(0, 36), Shape, flip, 2)).ParamName);
        images[2, 5] = float.NaN;
        Assert.Contains("row 2, column 5", Assert.Throws<ArgumentException>(() => new AugmentationPairSource(images, Shape, flip, 2)).Message);
        var source = new AugmentationPairSource(Images(4), Shape, flip, 2);
        Assert.Equal("index", Assert.ThrowsAny<ArgumentException>(() => source.Fill(0, 2, new PairBatch())).ParamName);
        Assert.Equal("epoch", Assert.ThrowsAny<ArgumentException>(() => source.Fill(-1, 0, new PairBatch())).ParamName);
    }
}
