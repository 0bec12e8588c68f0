using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Models.Layers;
using static ContrastiveNE.Tests.Models.Layers.LayerGradientCheck;

namespace ContrastiveNE.Tests.Models.Layers;

public class BatchNormTests
{
    [Fact]
    public void Backward1d_MatchesFiniteDifferences()
    {
        var bn = new BatchNorm(5);
        RandomValues(5, 31).CopyTo(bn.Scale.Value, 0);
        RandomValues(5, 32).CopyTo(bn.Shift.Value, 0);
        Check(bn, RandomValues(6 * 5, 33), 6, step: 1e-3f, tolerance: 2e-2, probes: 30);
    }

    [Fact]
    public void Backward2d_MatchesFiniteDifferences()
    {
        var bn = new BatchNorm(new ImageShape(3, 3, 2));
        RandomValues(3, 34).CopyTo(bn.Scale.Value, 0);
        Check(bn, RandomValues(3 * 18, 35), 3, step: 1e-3f, tolerance: 2e-2, probes: 30);
    }

    [Fact]
    public void Training_NormalisesWithBatchStatistics_AndUpdatesRunningStatistics()
    {
        var shape = new ImageShape(2, 2, 3);
        var bn = new BatchNorm(shape);
        bn.Scale.Value[1] = 2f;
        bn.Shift.Value[1] = -0.5f;
        const int rows = 4;
        float[] x = RandomValues(rows * 12, 36);
        for (int i = 0; i < x.Length; i++) x[i] = 3f * x[i] + 1f; // mean ≈ 1, so the running mean visibly moves
        var y = new float[x.Length];
        bn.Forward(x, rows, y, training: true);

        for (int c = 0; c < 2; c++)
        {
            var values = Channel(x, rows, c);
            double mean = values.Average(), biased = values.Average(v => (v - mean) * (v - mean));
            double unbiased = biased * values.Length / (values.Length - 1);
            var outputs = Channel(y, rows, c);
            double gamma = bn.Scale.Value[c], beta = bn.Shift.Value[c];
            for (int i = 0; i < values.Length; i++)
                Assert.Equal(gamma * (values[i] - mean) / Math.Sqrt(biased + 1e-5) + beta, outputs[i], 1e-5);
            Assert.Equal(0.1 * mean, bn.RunningMean[c], 1e-6);
            Assert.Equal(0.9 + 0.1 * unbiased, bn.RunningVariance[c], 1e-5);
        }
    }

    [Fact]
    public void Inference_UsesRunningStatistics_AndLeavesThemUnchanged()
    {
        var bn = new BatchNorm(3);
        float[] x = RandomValues(8 * 3, 37);
        var y = new float[x.Length];
        for (int step = 0; step < 3; step++) bn.Forward(x, 8, y, training: true);
        float[] mean = (float[])bn.RunningMean.Clone(), variance = (float[])bn.RunningVariance.Clone();
        bn.Scale.Value[2] = 0.5f;

        bn.Forward(x, 8, y, training: false);
        Assert.Equal(mean, bn.RunningMean);
        Assert.Equal(variance, bn.RunningVariance);
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(bn.Scale.Value[c] * (x[r * 3 + c] - mean[c]) / Math.Sqrt(variance[c] + 1e-5) + bn.Shift.Value[c], y[r * 3 + c], 1e-5);

        // In inference a row's output does not depend on the other rows of the batch; in training it does.
        var single = new float[3];
        bn.Forward(x.AsSpan(0, 3), 1, single, training: false);
        Assert.Equal(y.AsSpan(0, 3).ToArray(), single);
        var pair = new float[6];
        bn.Forward(x.AsSpan(0, 6), 2, pair, training: true);
        Assert.NotEqual(y.AsSpan(0, 3).ToArray(), pair.AsSpan(0, 3).ToArray());
    }

    [Fact]
    public void Training_OnOneValuePerChannel_Throws()
    {
        var bn = new BatchNorm(4);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => bn.Forward(new float[4], 1, new float[4], training: true)).ParamName);
        bn.Forward(new float[4], 1, new float[4], training: false);
        Assert.Throws<InvalidOperationException>(() => bn.Backward(new float[4], new float[4]));
    }

    [Fact]
    public void InvalidSettings_NameTheParameter()
    {
        Assert.Equal("features", Assert.ThrowsAny<ArgumentException>(() => new BatchNorm(0)).ParamName);
        Assert.Equal("momentum", Assert.ThrowsAny<ArgumentException>(() => new BatchNorm(3, momentum: 0f)).ParamName);
        Assert.Equal("momentum", Assert.ThrowsAny<ArgumentException>(() => new BatchNorm(3, momentum: float.NaN)).ParamName);
        Assert.Equal("epsilon", Assert.ThrowsAny<ArgumentException>(() => new BatchNorm(3, epsilon: 0f)).ParamName);
    }

    [Fact]
    public void SameResults_AtOneAndTwoThreads()
    {
        var shape = new ImageShape(6, 4, 4);
        float[] x = RandomValues(10 * shape.Size, 38), dy = RandomValues(10 * shape.Size, 39);
        (float[], float[], float[]) Run(int threads)
        {
            var bn = new BatchNorm(shape, threads: threads);
            var y = new float[x.Length];
            var dx = new float[x.Length];
            bn.Forward(x, 10, y, training: true);
            bn.Backward(dy, dx);
            return (y, dx, bn.Scale.Gradient);
        }
        var (y1, dx1, dg1) = Run(1);
        var (y2, dx2, dg2) = Run(2);
        Assert.Equal(y1, y2);
        Assert.Equal(dx1, dx2);
        Assert.Equal(dg1, dg2);
    }

    [Theory]
    [InlineData(3, 7, 7, 5)]    // 49 pixels: three SIMD blocks and a scalar tail per plane
    [InlineData(2, 28, 28, 3)]  // 784 pixels, as the encoder's first block
    [InlineData(4, 3, 3, 6)]    // 9 pixels: below one 512-bit block
    public void Training_AndBackward_MatchDoublePrecisionReference(int channels, int h, int w, int rows)
    {
        var shape = new ImageShape(channels, h, w);
        var bn = new BatchNorm(shape);
        RandomValues(channels, 51).CopyTo(bn.Scale.Value, 0);
        RandomValues(channels, 52).CopyTo(bn.Shift.Value, 0);
        float[] x = RandomValues(rows * shape.Size, 53), dy = RandomValues(rows * shape.Size, 54);
        for (int i = 0; i < x.Length; i++) x[i] = 2f * x[i] + 0.5f;
        var y = new float[x.Length];
        var dx = new float[x.Length];
        bn.Forward(x, rows, y, training: true);
        bn.Backward(dy, dx);

        int plane = h * w, count = rows * plane;
        for (int c = 0; c < channels; c++)
        {
            double mean = 0, square = 0, sumDy = 0, sumDyXhat = 0;
            for (int r = 0; r < rows; r++) for (int k = 0; k < plane; k++) mean += x[r * shape.Size + c * plane + k];
            mean /= count;
            for (int r = 0; r < rows; r++) for (int k = 0; k < plane; k++) { double d = x[r * shape.Size + c * plane + k] - mean; square += d * d; }
            double invStd = 1 / Math.Sqrt(square / count + 1e-5), gamma = bn.Scale.Value[c], beta = bn.Shift.Value[c];
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < plane; k++)
                {
                    int i = r * shape.Size + c * plane + k;
                    double xhat = (x[i] - mean) * invStd;
                    Assert.Equal(gamma * xhat + beta, y[i], 1e-5);
                    sumDy += dy[i];
                    sumDyXhat += dy[i] * xhat;
                }
            Assert.Equal(sumDy, bn.Shift.Gradient[c], 1e-4);
            Assert.Equal(sumDyXhat, bn.Scale.Gradient[c], 1e-4);
            Assert.Equal(0.1 * mean, bn.RunningMean[c], 1e-6);
            Assert.Equal(0.9 + 0.1 * square / (count - 1), bn.RunningVariance[c], 1e-5);
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < plane; k++)
                {
                    int i = r * shape.Size + c * plane + k;
                    double xhat = (x[i] - mean) * invStd;
                    Assert.Equal(gamma * invStd * (dy[i] - sumDy / count - xhat * sumDyXhat / count), dx[i], 1e-4);
                }
        }

        // Inference with the running statistics, through the same SIMD blocks.
        bn.Forward(x, rows, y, training: false);
        for (int c = 0; c < channels; c++)
        {
            double scale = bn.Scale.Value[c] / Math.Sqrt(bn.RunningVariance[c] + 1e-5);
            for (int i = c * plane; i < (c + 1) * plane; i++)
                Assert.Equal(scale * (x[i] - bn.RunningMean[c]) + bn.Shift.Value[c], y[i], 1e-5);
        }
    }

    [Fact]
    public void FusedWithRelu_InSequential_IsBitIdenticalToTheLayersOneByOne()
    {
        // conv → BN → ReLU → pool (the encoder's block) and BN → ReLU → linear (the gradient reaches BN already masked).
        var shape = new ImageShape(2, 6, 6);
        INetwork[] Layers() =>
        [
            new Conv2d(shape, 3, 3, padding: 1, seed: 61), new BatchNorm(new ImageShape(3, 6, 6)), new Relu(108),
            new MaxPool2d(new ImageShape(3, 6, 6), 2), new BatchNorm(27), new Relu(27), new ContrastiveNE.Models.Linear(27, 4, 62),
        ];
        const int rows = 5;
        float[] x = RandomValues(rows * shape.Size, 63), dy = RandomValues(rows * 4, 64);
        // Normalised outputs are about half negative, so the rectifier's mask matters in both directions.

        var fusedLayers = Layers();
        var fused = new Sequential(fusedLayers);
        var fusedOut = new float[rows * 4];
        var fusedDx = new float[x.Length];
        fused.Forward(x, rows, fusedOut, training: true);
        fused.Backward(dy, fusedDx);

        // The same layers one by one: every layer's own forward (a copy of its input) and backward.
        var single = Layers();
        var activations = new List<float[]> { x };
        foreach (var layer in single)
        {
            var output = new float[rows * layer.OutputDimension];
            layer.Forward(activations[^1], rows, output, training: true);
            activations.Add(output);
        }
        float[] gradient = dy;
        for (int l = single.Length - 1; l >= 0; l--)
        {
            var dx = new float[rows * single[l].InputDimension];
            single[l].Backward(gradient, dx);
            gradient = dx;
        }
        Assert.Equal(activations[^1], fusedOut);
        Assert.Equal(gradient, fusedDx);
        for (int l = 0; l < single.Length; l++)
            for (int p = 0; p < single[l].Parameters.Count; p++)
                Assert.Equal(single[l].Parameters[p].Gradient, fusedLayers[l].Parameters[p].Gradient);
        Assert.Equal(((BatchNorm)single[1]).RunningVariance, ((BatchNorm)fusedLayers[1]).RunningVariance);
    }

    private static double[] Channel(float[] values, int rows, int c)
    {
        var result = new List<double>();
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < 6; k++) result.Add(values[r * 12 + c * 6 + k]);
        return [.. result];
    }
}
