using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Models.Layers;
using static ContrastiveNE.Tests.Models.Layers.LayerGradientCheck;

namespace ContrastiveNE.Tests.Models.Layers;

public class PoolingTests
{
    public static TheoryData<int, int, int, int, int, int> Windows => new()
    {
        // channels, height, width, kernel, stride, padding
        { 1, 4, 4, 2, 2, 0 },
        { 2, 7, 5, 2, 2, 0 },
        { 3, 6, 6, 3, 1, 1 },
        { 2, 9, 8, 3, 2, 1 },
        { 1, 5, 7, 4, 3, 2 },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxPool_MatchesReference_AndFiniteDifferences(int c, int h, int w, int k, int stride, int padding)
    {
        var shape = new ImageShape(c, h, w);
        var pool = new MaxPool2d(shape, k, stride, padding);
        AssertMatches(pool, shape, k, stride, padding, max: true);
        // Distinct inputs 2/n apart: a step of 1e-3 never changes which input is the maximum.
        Check(pool, DistinctValues(2 * shape.Size, 21), 2, step: 1e-3f);
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void AvgPool_MatchesReference_AndFiniteDifferences(int c, int h, int w, int k, int stride, int padding)
    {
        var shape = new ImageShape(c, h, w);
        var pool = new AvgPool2d(shape, k, stride, padding);
        AssertMatches(pool, shape, k, stride, padding, max: false);
        Check(pool, RandomValues(2 * shape.Size, 22), 2);
    }

    [Fact]
    public void MaxPool_GradientGoesToTheMaximumOnly()
    {
        var pool = new MaxPool2d(new ImageShape(1, 2, 2), 2);
        float[] x = [0.1f, 0.7f, -0.3f, 0.2f];
        var y = new float[1];
        pool.Forward(x, 1, y, training: true);
        Assert.Equal(0.7f, y[0]);
        var dx = new float[4];
        pool.Backward([2.5f], dx);
        Assert.Equal([0f, 2.5f, 0f, 0f], dx);
    }

    [Fact]
    public void GlobalAvgPool_AveragesEachPlane_AndMatchesFiniteDifferences()
    {
        var shape = new ImageShape(3, 4, 5);
        var pool = new GlobalAvgPool2d(shape);
        Assert.Equal(3, pool.OutputDimension);
        float[] x = RandomValues(2 * shape.Size, 23);
        var y = new float[6];
        pool.Forward(x, 2, y, training: false);
        for (int r = 0; r < 2; r++)
            for (int ch = 0; ch < 3; ch++)
                Assert.Equal(x.Skip(r * 60 + ch * 20).Take(20).Average(v => (double)v), y[r * 3 + ch], 1e-6);
        Check(pool, x, 2);
    }

    [Fact]
    public void Flatten_IsTheIdentity()
    {
        var flatten = new Flatten(new ImageShape(2, 3, 3));
        float[] x = RandomValues(36, 24);
        var y = new float[36];
        flatten.Forward(x, 2, y, training: true);
        Assert.Equal(x, y);
        var dx = new float[36];
        flatten.Backward(y, dx);
        Assert.Equal(x, dx);
    }

    [Fact]
    public void InvalidSettings_NameTheParameter()
    {
        var shape = new ImageShape(1, 6, 6);
        Assert.Equal("padding", Assert.ThrowsAny<ArgumentException>(() => new MaxPool2d(shape, 2, padding: 2)).ParamName);
        Assert.Equal("padding", Assert.ThrowsAny<ArgumentException>(() => new AvgPool2d(shape, 3, padding: 2)).ParamName);
        Assert.Equal("kernelHeight", Assert.ThrowsAny<ArgumentException>(() => new MaxPool2d(shape, 7)).ParamName);
        Assert.Equal("stride", Assert.ThrowsAny<ArgumentException>(() => new AvgPool2d(shape, 2, stride: 0)).ParamName);
    }

    private static void AssertMatches(INetwork pool, ImageShape shape, int k, int stride, int padding, bool max)
    {
        const int rows = 3;
        float[] x = RandomValues(rows * shape.Size, 25);
        var y = new float[rows * pool.OutputDimension];
        pool.Forward(x, rows, y, training: false);
        double[] expected = ConvReference.Pool(x, rows, shape, k, stride, padding, max);
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 1e-6);
    }
}
