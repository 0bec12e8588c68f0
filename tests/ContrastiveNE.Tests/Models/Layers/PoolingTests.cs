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

    [Theory]
    [InlineData(16, 28, 28)] // the encoder's first pooling: 14 outputs a row, SIMD groups of eight overlapping at the end
    [InlineData(3, 14, 14)]  // seven outputs a row: the scalar path
    [InlineData(2, 9, 17)]   // odd sides: the last input row and column are never read
    [InlineData(1, 4, 40)]   // twenty outputs: two full groups and an overlapping third
    public void MaxPool2x2_MatchesTheScalarRule_WithTiesNaNAndInfinities(int c, int h, int w)
    {
        var shape = new ImageShape(c, h, w);
        var pool = new MaxPool2d(shape, 2);
        const int rows = 3;
        // Values on a coarse grid (many ties, many zeros as after a ReLU), plus NaN and −∞ here and there.
        var random = ContrastiveNE.Randomness.Xoshiro256.Create(41, 3);
        var x = new float[rows * shape.Size];
        for (int i = 0; i < x.Length; i++)
        {
            int pick = random.NextInt(20);
            x[i] = pick == 0 ? float.NaN : pick == 1 ? float.NegativeInfinity : MathF.Max(0f, random.NextInt(5) - 2);
        }
        var y = new float[rows * pool.OutputDimension];
        pool.Forward(x, rows, y, training: true);
        float[] dy = RandomValues(y.Length, 42);
        var dx = new float[x.Length];
        pool.Backward(dy, dx);

        // The rule: a strict > against a running best that starts at −∞, over the window in row-major order.
        var expectedDx = new float[x.Length];
        int outH = h / 2, outW = w / 2;
        for (int r = 0; r < rows; r++)
            for (int ch = 0; ch < c; ch++)
                for (int oy = 0; oy < outH; oy++)
                    for (int ox = 0; ox < outW; ox++)
                    {
                        float best = float.NegativeInfinity;
                        int index = -1;
                        for (int i = 0; i < 2; i++)
                            for (int j = 0; j < 2; j++)
                            {
                                int at = r * shape.Size + ch * h * w + (2 * oy + i) * w + 2 * ox + j;
                                if (index < 0) index = at;
                                if (x[at] > best) { best = x[at]; index = at; }
                            }
                        int o = r * pool.OutputDimension + (ch * outH + oy) * outW + ox;
                        Assert.Equal(best, y[o]);
                        expectedDx[index] += dy[o];
                    }
        Assert.Equal(expectedDx, dx);
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
