using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Models;
using ContrastiveNE.Models.Layers;
using ContrastiveNE.Onnx.Tests.Support;

namespace ContrastiveNE.Onnx.Tests;

/// <summary>
/// Every exportable model kind, exported and run in ONNX Runtime: its outputs must equal our inference forward pass
/// (what Transform computes) within 1e-5 relative to the output's scale, on a few hundred rows. Measured: 0 to 6.4e-7
/// (float sums in another order); a padded average pool exported with count_include_pad = 0 instead misses by 0.33.
/// </summary>
public class ExportEquivalenceTests
{
    private const int Rows = 300;

    [Fact]
    public void DefaultParametricMlp_On784Columns_MatchesTransform()
    {
        // The default parametric network: 784 → 100 → 100 → 100 → 2.
        var network = Mlp.Create(784, null, 2, seed: 7);
        var data = OnnxRunner.Random(Rows, 784, seed: 1, low: 0, high: 1);
        AssertMatches(network, data);
    }

    [Fact]
    public void TrainedCneModel_ExportedWithTheExtension_MatchesTransform()
    {
        var digits = NpyFile.ReadMatrix(TestFiles.DigitsImages).Slice(0, 400);
        var fit = new Cne(new CneOptions { Parametric = true, Epochs = 5, HiddenLayers = [32, 16], Seed = 3, Threads = 1 }).Fit(digits);
        var model = fit.Model!;
        using var stream = new MemoryStream();
        model.ExportOnnx(stream);
        using var session = OnnxRunner.Session(stream.ToArray());
        var rows = NpyFile.ReadMatrix(TestFiles.DigitsImages).Slice(1000, Rows);
        OnnxRunner.AssertClose(model.Transform(rows), OnnxRunner.Run(session, rows));
        // The training options travel as metadata.
        var metadata = Schema.ModelProto.Parser.ParseFrom(stream.ToArray()).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("5", metadata["cne.option.Epochs"]);
        Assert.Equal("true", metadata["cne.option.Parametric"]);
        Assert.Equal("32,16", metadata["cne.option.HiddenLayers"]);
    }

    [Fact]
    public void SingleLinearMap_MatchesForward() => AssertMatches(Mlp.Create(5, [], 3, seed: 2), OnnxRunner.Random(Rows, 5, seed: 2));

    [Fact]
    public void ConvEncoderBackbone_WithBatchNormAndPooling_MatchesEncode()
    {
        var encoder = ConvEncoder.Create(new ImageShape(1, 12, 12), [4, 8], projectionDimension: 6, seed: 5, threads: 1);
        var data = OnnxRunner.Random(Rows, 144, seed: 3, low: 0, high: 1);
        Train(encoder.Network, data);
        // The representation SimCLR keeps: conv → BN → ReLU → max-pool → conv → BN → ReLU → global average pool.
        AssertMatches(encoder.Backbone, data);
    }

    [Fact]
    public void ConvEncoderWithProjectionHead_MatchesForward()
    {
        var encoder = ConvEncoder.Create(new ImageShape(1, 12, 12), [4, 8], projectionDimension: 6, seed: 6, threads: 1);
        var data = OnnxRunner.Random(Rows, 144, seed: 4, low: 0, high: 1);
        Train(encoder.Network, data);
        AssertMatches(encoder.Network, data);
    }

    [Fact]
    public void ConvEncoderWithGridPoolingAndTwoStageBlocks_MatchesForward()
    {
        // Representation grid 2 pools the last 6 × 6 map with average-pool windows (AvgPool2d) instead of global pooling.
        var encoder = ConvEncoder.Create(new ImageShape(2, 12, 12), [3, 5], projectionDimension: 4, seed: 8, threads: 1,
            representationGrid: 2, convolutionsPerBlock: [2, 1]);
        var data = OnnxRunner.Random(Rows, 288, seed: 5);
        Train(encoder.Network, data);
        AssertMatches(encoder.Network, data);
    }

    [Fact]
    public void ProjectionHeadAlone_MatchesForward() =>
        AssertMatches(ProjectionHead.Create(16, 12, 8, seed: 9), OnnxRunner.Random(Rows, 16, seed: 6));

    [Fact]
    public void ProjectionHeadWithBatchNorm_MatchesForward()
    {
        // A head with 1-D batch normalisation between its layers (BatchNorm1d on rows).
        var head = new Sequential(new Linear(16, 12, seed: 1, name: "h0"), new BatchNorm(12, name: "hbn"), new Relu(12), new Linear(12, 8, seed: 1, stream: 1, name: "h1"));
        var data = OnnxRunner.Random(Rows, 16, seed: 7);
        Train(head, data);
        AssertMatches(head, data);
    }

    [Fact]
    public void EveryImageLayerWithUnusualGeometry_MatchesForward()
    {
        // Batch norm on the raw (flat) input, a strided rectangular convolution without bias, padded max and average
        // pooling with strides other than their kernels, an explicit Flatten, then linear layers.
        var image = new ImageShape(2, 11, 9);
        var inputNorm = new BatchNorm(image, name: "inbn");
        var conv = new Conv2d(image, 4, 3, 2, stride: 2, padding: 1, bias: false, seed: 3, name: "c0");
        var max = new MaxPool2d(conv.OutputShape, 3, stride: 1, padding: 1);
        var conv2 = new Conv2d(max.OutputShape, 3, 1, seed: 4, name: "c1");
        var avg = new AvgPool2d(conv2.OutputShape, 2, stride: 1, padding: 1);
        var flatten = new Flatten(avg.OutputShape);
        var network = new Sequential(inputNorm, conv, new Relu(conv.OutputDimension), max, conv2, avg, flatten,
            new Linear(flatten.OutputDimension, 7, seed: 5, name: "fc"), new Relu(7), new Linear(7, 3, seed: 6, name: "out"));
        var data = OnnxRunner.Random(Rows, image.Size, seed: 8);
        Train(network, data);
        AssertMatches(network, data);
    }

    [Fact]
    public void ExportedModel_RunsAnyBatchSize()
    {
        var encoder = ConvEncoder.Create(new ImageShape(1, 8, 8), [3, 4], projectionDimension: 5, seed: 10, threads: 1);
        var data = OnnxRunner.Random(257, 64, seed: 9);
        Train(encoder.Network, data);
        using var session = OnnxRunner.Session(encoder.Network.ToOnnxBytes());
        foreach (int rows in new[] { 1, 257 })
        {
            var slice = data.Slice(0, rows);
            OnnxRunner.AssertClose(Forward(encoder.Network, slice), OnnxRunner.Run(session, slice));
        }
    }

    [Fact]
    public void MultithreadedOnnxRuntime_GivesTheSameOutputs()
    {
        var network = Mlp.Create(784, null, 2, seed: 11);
        var data = OnnxRunner.Random(Rows, 784, seed: 10, low: 0, high: 1);
        byte[] model = network.ToOnnxBytes();
        using var one = OnnxRunner.Session(model, threads: 1);
        using var two = OnnxRunner.Session(model, threads: 2);
        OnnxRunner.AssertClose(Forward(network, data), OnnxRunner.Run(two, data));
        OnnxRunner.AssertClose(OnnxRunner.Run(one, data), OnnxRunner.Run(two, data), 1e-6);
    }

    /// <summary>Exports <paramref name="network"/>, runs <paramref name="data"/> through ONNX Runtime and compares with our inference pass.</summary>
    private static void AssertMatches(INetwork network, Matrix data)
    {
        using var session = OnnxRunner.Session(network.ToOnnxBytes());
        OnnxRunner.AssertClose(Forward(network, data), OnnxRunner.Run(session, data));
    }

    /// <summary>Our inference forward pass (batch normalisation with its running statistics), as Transform runs it.</summary>
    private static Matrix Forward(INetwork network, Matrix data)
    {
        var result = new Matrix(data.Rows, network.OutputDimension);
        network.Forward(data.Data.AsSpan(0, data.Rows * data.Columns), data.Rows, result.Data, training: false);
        return result;
    }

    /// <summary>
    /// Moves batch normalisation away from its identity start: three training passes update the running statistics,
    /// then γ and β get random values, so the exported inference form has something to get wrong.
    /// </summary>
    private static void Train(INetwork network, Matrix data)
    {
        var output = new float[data.Rows * network.OutputDimension];
        for (int pass = 0; pass < 3; pass++)
            network.Forward(data.Data.AsSpan(0, data.Rows * data.Columns), data.Rows, output, training: true);
        var random = new Random(17);
        foreach (var norm in BatchNorms(network))
            for (int c = 0; c < norm.Channels; c++)
            {
                norm.Scale.Value[c] = 0.5f + random.NextSingle();
                norm.Shift.Value[c] = random.NextSingle() - 0.3f;
            }
        Assert.All(BatchNorms(network), norm => Assert.Contains(norm.RunningMean, m => m != 0));
    }

    private static IEnumerable<BatchNorm> BatchNorms(INetwork network) => network switch
    {
        BatchNorm norm => [norm],
        Sequential chain => chain.Layers.SelectMany(BatchNorms),
        _ => [],
    };
}
