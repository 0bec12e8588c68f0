using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Models.Layers;
using static ContrastiveNE.Tests.Models.Layers.LayerGradientCheck;

namespace ContrastiveNE.Tests.Models.Layers;

public class ConvEncoderTests
{
    [Fact]
    public void DefaultEncoder_ForFashionMnist_HasTheDocumentedShape()
    {
        var encoder = ConvEncoder.Create(new ImageShape(1, 28, 28), seed: 1);
        Assert.Equal(784, encoder.Network.InputDimension);
        Assert.Equal(128, encoder.RepresentationDimension);
        Assert.Equal(128, encoder.ProjectionDimension);
        var kinds = encoder.Backbone.Layers.Select(l => l.GetType().Name).ToArray();
        Assert.Equal(["Conv2d", "BatchNorm", "Relu", "MaxPool2d", "Conv2d", "BatchNorm", "Relu", "MaxPool2d", "Conv2d", "BatchNorm", "Relu", "GlobalAvgPool2d"], kinds);
        // conv1 and conv2 have equal FLOPs (64·288·196 = 128·576·49); the first of them counts as the largest.
        Assert.Equal(new ImageShape(32, 14, 14), encoder.LargestConvolution.InputShape);
        Assert.Equal(2L * 64 * 288 * 196, encoder.LargestConvolution.FlopsPerImage);
        // 3 convolutions (w, b), 3 batch norms (γ, β), 2 linear layers (w, b).
        Assert.Equal(16, encoder.Network.Parameters.Count);
        Assert.Equal(encoder.Network.Parameters.Count, encoder.Network.Parameters.Select(p => p.Name).Distinct().Count());
    }

    [Fact]
    public void RepresentationGrid_AveragesTheLastMapOverAdaptiveWindows()
    {
        // 1 × 28 × 28 → 7 × 7 last map; a 2 × 2 grid averages rows/columns 0…3 and 3…6 (PyTorch's adaptive windows).
        var encoder = ConvEncoder.Create(new ImageShape(1, 28, 28), [4, 6, 8], projectionDimension: 5, seed: 6, representationGrid: 2);
        Assert.Equal(8 * 4, encoder.RepresentationDimension);
        Assert.Equal(32, encoder.Head.InputDimension);
        Assert.Equal("AvgPool2d", encoder.Backbone.Layers[^1].GetType().Name);
        float[] x = RandomValues(3 * 784, 45);
        var map = new float[3 * 8 * 49];
        var beforePool = new Sequential([.. encoder.Backbone.Layers.Take(encoder.Backbone.Layers.Count - 1)]);
        beforePool.Forward(x, 3, map, training: false);
        var representation = new float[3 * 32];
        encoder.Encode(x, 3, representation);
        int[] starts = [0, 3];
        for (int n = 0; n < 3; n++)
            for (int c = 0; c < 8; c++)
                for (int gy = 0; gy < 2; gy++)
                    for (int gx = 0; gx < 2; gx++)
                    {
                        double sum = 0;
                        for (int y = starts[gy]; y < starts[gy] + 4; y++)
                            for (int xx = starts[gx]; xx < starts[gx] + 4; xx++) sum += map[(n * 8 + c) * 49 + y * 7 + xx];
                        Assert.Equal(sum / 16, representation[n * 32 + c * 4 + gy * 2 + gx], 5);
                    }
        Assert.Equal(8, ConvEncoder.Create(new ImageShape(1, 28, 28), [4, 6, 8], representationGrid: 1).RepresentationDimension);
    }

    [Fact]
    public void SmallEncoder_BackwardMatchesFiniteDifferences()
    {
        var encoder = ConvEncoder.Create(new ImageShape(2, 6, 6), [3, 4], projectionDimension: 3, seed: 2);
        Check(encoder.Network, RandomValues(4 * 72, 41), 4, step: 1e-3f, tolerance: 3e-2, probes: 25);
    }

    [Fact]
    public void Encode_InBatches_EqualsOneInferencePass()
    {
        var encoder = ConvEncoder.Create(new ImageShape(1, 8, 8), [4, 8], seed: 3);
        float[] x = RandomValues(10 * 64, 42);
        var training = new float[10 * encoder.ProjectionDimension];
        encoder.Network.Forward(x, 10, training, training: true); // moves the running statistics away from 0 and 1
        var whole = new float[10 * 8];
        encoder.Backbone.Forward(x, 10, whole, training: false);
        var batched = new float[10 * 8];
        encoder.Encode(x, 10, batched, batchSize: 3);
        Assert.Equal(whole, batched);
    }

    [Fact]
    public void Encoder_GivesIdenticalOutputsAndGradients_AtOneAndTwoThreads()
    {
        var shape = new ImageShape(1, 12, 12);
        float[] x = RandomValues(24 * 144, 44);
        (float[] Y, float[][] Gradients) Run(int threads)
        {
            var encoder = ConvEncoder.Create(shape, [8, 16], projectionDimension: 8, seed: 5, threads: threads);
            var y = new float[24 * 8];
            encoder.Network.Forward(x, 24, y, training: true);
            encoder.Network.Backward(y, Span<float>.Empty);
            return (y, encoder.Network.Parameters.Select(p => p.Gradient).ToArray());
        }
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Y, two.Y);
        for (int p = 0; p < one.Gradients.Length; p++) Assert.Equal(one.Gradients[p], two.Gradients[p]);
    }

    [Fact]
    public void ProjectionHead_IsLinearReluLinear()
    {
        var head = ProjectionHead.Create(5, 7, 3, seed: 4);
        Assert.Equal(["Linear", "Relu", "Linear"], head.Layers.Select(l => l.GetType().Name).ToArray());
        Assert.Equal(5, head.InputDimension);
        Assert.Equal(3, head.OutputDimension);
        Check(head, RandomValues(4 * 5, 43), 4, step: 1e-3f);
    }

    [Fact]
    public void InvalidSettings_NameTheParameter()
    {
        var shape = new ImageShape(1, 8, 8);
        Assert.Equal("channels", Assert.ThrowsAny<ArgumentException>(() => ConvEncoder.Create(shape, [])).ParamName);
        Assert.Equal("channels", Assert.ThrowsAny<ArgumentException>(() => ConvEncoder.Create(shape, [4, 0])).ParamName);
        Assert.Equal("projectionDimension", Assert.ThrowsAny<ArgumentException>(() => ConvEncoder.Create(shape, projectionDimension: 0)).ParamName);
        Assert.Equal("representationGrid", Assert.ThrowsAny<ArgumentException>(() => ConvEncoder.Create(shape, [4, 8], representationGrid: 0)).ParamName);
        Assert.Equal("representationGrid", Assert.ThrowsAny<ArgumentException>(() => ConvEncoder.Create(shape, [4, 8], representationGrid: 5)).ParamName);
        // 28 → 7 × 7 cannot be cut into 4 evenly spaced windows of side 2.
        Assert.Equal("representationGrid", Assert.ThrowsAny<ArgumentException>(() => ConvEncoder.Create(new ImageShape(1, 28, 28), [4, 4, 4], representationGrid: 4)).ParamName);
        Assert.Equal("hiddenDimension", Assert.ThrowsAny<ArgumentException>(() => ProjectionHead.Create(3, 0, 2)).ParamName);
    }
}
