using ContrastiveNE.Data;
using ContrastiveNE.Models;

namespace ContrastiveNE.Tests.Models;

public class NetworkModelTests
{
    private static Matrix RandomData(int rows, int columns, ulong seed) =>
        new(rows, columns, ReferenceNetwork.RandomValues(rows * columns, seed));

    /// <summary>A batch of b pairs over <paramref name="items"/> items, with plenty of repeats.</summary>
    private static PairBatch IndexBatch(int b, int items, ulong seed)
    {
        var random = ContrastiveNE.Randomness.Xoshiro256.Create(seed);
        var indices = new int[2 * b + 3]; // longer than needed: only the first 2b entries count
        for (int i = 0; i < indices.Length; i++) indices[i] = random.NextInt(items);
        return new PairBatch { Size = b, Items = indices };
    }

    [Fact]
    public void ForwardLooksUpTheNetworkOutputOfEveryItem()
    {
        var data = RandomData(40, 9, 1);
        var network = Mlp.Create(9, [12, 10], 3, seed: 2);
        var model = new NetworkModel(network, data);
        var batch = IndexBatch(50, 40, 3);
        var features = new float[100 * 3];
        model.Forward(batch, features);
        Assert.True(model.LastDistinctCount <= 40);

        var all = model.Transform(data);
        for (int t = 0; t < 100; t++)
            Assert.Equal(all.Row(batch.Items![t]).ToArray(), features.AsSpan(t * 3, 3).ToArray());
    }

    [Fact]
    public void DeduplicatedGradientEqualsPerCopyGradient()
    {
        var data = RandomData(30, 7, 4);
        var batch = IndexBatch(64, 30, 5);
        var featureGradient = ReferenceNetwork.RandomValues(128 * 2, 6);
        float[][] Gradients(bool deduplicate, out float[] features)
        {
            var model = new NetworkModel(Mlp.Create(7, [8, 8], 2, seed: 7), data) { Deduplicate = deduplicate };
            features = new float[128 * 2];
            model.Forward(batch, features);
            model.Backward(batch, featureGradient);
            Assert.Equal(deduplicate ? model.LastDistinctCount : 128, model.LastDistinctCount);
            return [.. model.Parameters.Select(p => p.Gradient)];
        }
        var once = Gradients(true, out var featuresOnce);
        var every = Gradients(false, out var featuresEvery);
        Assert.Equal(featuresEvery, featuresOnce);
        for (int p = 0; p < once.Length; p++)
            ReferenceNetwork.AssertClose(ReferenceNetwork.ToDouble(every[p]), once[p], 1e-5, $"parameter {p}");
    }

    [Fact]
    public void InputRowBatchesAreForwardedAsGiven()
    {
        var network = Mlp.Create(5, [6], 2, seed: 8);
        var model = new NetworkModel(network, data: null);
        var inputs = ReferenceNetwork.RandomValues(2 * 4 * 5, 9);
        var batch = new PairBatch { Size = 4, Inputs = inputs, InputWidth = 5 };
        var features = new float[8 * 2];
        model.Forward(batch, features);
        Assert.Equal(model.Transform(new Matrix(8, 5, inputs)).Data, features);

        var gradient = ReferenceNetwork.RandomValues(16, 10);
        model.Backward(batch, gradient);
        var reference = Mlp.Create(5, [6], 2, seed: 8);
        reference.Forward(inputs, 8, new float[16], training: true);
        reference.Backward(gradient, default);
        for (int p = 0; p < reference.Parameters.Count; p++)
            Assert.Equal(reference.Parameters[p].Gradient, model.Parameters[p].Gradient);
    }

    [Fact]
    public void RowsReadInPlaceEqualTheGatheredBatchBitForBit()
    {
        // The model's first layer reads batch rows straight from the data through the item index; a network given the
        // gathered rows must produce the same features and parameter gradients, bit for bit. 9,000 rows run
        // block by block through the network (the indexed rows of each block read in place).
        var data = RandomData(1000, 20, 13);
        var batch = IndexBatch(4500, 1000, 14);
        var gradient = ReferenceNetwork.RandomValues(9000 * 2, 15);
        var model = new NetworkModel(Mlp.Create(20, [16, 12], 2, seed: 16, threads: 2), data, threads: 2) { Deduplicate = false };
        var features = new float[9000 * 2];
        model.Forward(batch, features);
        model.Backward(batch, gradient);

        var gathered = new float[9000 * 20];
        for (int t = 0; t < 9000; t++) data.Row(batch.Items![t]).CopyTo(gathered.AsSpan(t * 20, 20));
        var reference = Mlp.Create(20, [16, 12], 2, seed: 16, threads: 1);
        var expected = new float[9000 * 2];
        reference.Forward(gathered, 9000, expected, training: true);
        reference.Backward(gradient, default);
        Assert.Equal(expected, features);
        for (int p = 0; p < reference.Parameters.Count; p++)
            Assert.Equal(reference.Parameters[p].Gradient, model.Parameters[p].Gradient);
    }

    [Fact]
    public void TransformEqualsTrainingForwardBitForBit()
    {
        // More rows than one transform chunk, so chunking is covered.
        var data = RandomData(20_000, 12, 11);
        var model = new NetworkModel(Mlp.Create(12, [16, 16], 2, seed: 12, threads: 2), data, threads: 2);
        var batch = new PairBatch { Size = 10_000, Items = Enumerable.Range(0, 20_000).ToArray() };
        var features = new float[20_000 * 2];
        model.Forward(batch, features);
        Assert.Equal(features, model.Transform(data).Data);
    }

    [Fact]
    public void BadInputsNameTheProblem()
    {
        var model = new NetworkModel(Mlp.Create(6, [4], 2, seed: 0), RandomData(10, 6, 1));
        var e = Assert.Throws<ArgumentException>(() => model.Transform(new Matrix(3, 5)));
        Assert.Equal("newData", e.ParamName);
        Assert.Contains("5 columns", e.Message);
        Assert.Contains("6 columns", e.Message);

        var bad = new PairBatch { Size = 1, Items = [0, 10] };
        Assert.Contains("item 10", Assert.Throws<ArgumentException>(() => model.Forward(bad, new float[4])).Message);
        // A failed batch leaves the model usable.
        var good = new PairBatch { Size = 1, Items = [0, 9] };
        model.Forward(good, new float[4]);
        Assert.Equal(2, model.LastDistinctCount);

        Assert.Equal("data", Assert.Throws<ArgumentException>(() => new NetworkModel(Mlp.Create(6, [4], 2, 0), new Matrix(2, 7))).ParamName);
        var wrongWidth = new PairBatch { Size = 1, Inputs = new float[10], InputWidth = 5 };
        Assert.Equal("batch", Assert.Throws<ArgumentException>(() => model.Forward(wrongWidth, new float[4])).ParamName);
    }
}
