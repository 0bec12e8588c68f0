using ContrastiveNE.Data;
using ContrastiveNE.Models.Layers;
using static ContrastiveNE.Tests.Models.Layers.LayerGradientCheck;

namespace ContrastiveNE.Tests.Models.Layers;

public class Conv2dTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Shapes => new()
    {
        // channels, height, width, out channels, kernel height, kernel width, stride, padding
        { 1, 5, 5, 2, 1, 1, 1, 0 },
        { 2, 7, 6, 3, 3, 3, 1, 1 },
        { 3, 8, 8, 4, 3, 3, 2, 1 },
        { 2, 9, 7, 3, 5, 5, 1, 2 },
        { 1, 6, 6, 2, 5, 5, 2, 0 },
        { 4, 5, 5, 8, 3, 3, 1, 0 },
        { 2, 6, 7, 3, 2, 3, 1, 1 },
        { 3, 10, 9, 2, 3, 3, 3, 2 },
        { 1, 4, 4, 1, 1, 1, 2, 1 },
        // Same-width maps (stride 1, kernel width 2·padding + 1), copied as one run per tap: a 1-row kernel with padding
        // (zero rows top and bottom), and a map only as wide as the kernel.
        { 3, 5, 8, 2, 1, 3, 1, 1 },
        { 1, 3, 3, 2, 3, 3, 1, 1 },
        // 576 output pixels: one image per chunk, its GEMM writing straight into the output row (with the bias added there).
        { 2, 24, 24, 3, 3, 3, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_MatchesDirectConvolution(int c, int h, int w, int outC, int kh, int kw, int stride, int padding)
    {
        var shape = new ImageShape(c, h, w);
        var conv = new Conv2d(shape, outC, kh, kw, stride, padding, seed: 3);
        const int rows = 3;
        float[] x = RandomValues(rows * shape.Size, 11);
        var y = new float[rows * conv.OutputDimension];
        conv.Forward(x, rows, y, training: false);

        double[] expected = ConvReference.Convolve(x, rows, shape, conv.Weight.Value, conv.Bias!.Value, outC, kh, kw, stride, padding, out int outH, out int outW);
        Assert.Equal(new ImageShape(outC, outH, outW), conv.OutputShape);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"output {i}: {y[i]} vs {expected[i]}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_MatchesFiniteDifferences(int c, int h, int w, int outC, int kh, int kw, int stride, int padding)
    {
        var shape = new ImageShape(c, h, w);
        var conv = new Conv2d(shape, outC, kh, kw, stride, padding, seed: 4);
        const int rows = 2;
        Check(conv, RandomValues(rows * shape.Size, 12), rows);
    }

    [Fact]
    public void ManyChunks_MatchDirectConvolution_AndGradientsAccumulateOverChunks()
    {
        // 28 × 28 outputs (≥ 512 pixels) take one image per chunk, so 11 rows take eleven GEMMs, each writing its output
        // row directly, and eleven weight-gradient partials to add.
        var shape = new ImageShape(1, 28, 28);
        var conv = new Conv2d(shape, 3, 3, padding: 1, seed: 5, bias: false);
        const int rows = 11;
        float[] x = RandomValues(rows * shape.Size, 13);
        var y = new float[rows * conv.OutputDimension];
        conv.Forward(x, rows, y, training: true);
        double[] expected = ConvReference.Convolve(x, rows, shape, conv.Weight.Value, null, 3, 3, 3, 1, 1, out _, out _);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"output {i}");
        Assert.Single(conv.Parameters);

        // With an all-ones output gradient, ∂L/∂w[co,0,i,j] = Σ over images and output pixels of the tapped input.
        var ones = new float[y.Length];
        Array.Fill(ones, 1f);
        conv.Backward(ones, Span<float>.Empty);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double sum = 0;
                for (int r = 0; r < rows; r++)
                    for (int oy = 0; oy < 28; oy++)
                        for (int ox = 0; ox < 28; ox++)
                        {
                            int iy = oy - 1 + i, ix = ox - 1 + j;
                            if (iy >= 0 && iy < 28 && ix >= 0 && ix < 28) sum += x[r * 784 + iy * 28 + ix];
                        }
                for (int co = 0; co < 3; co++)
                    Assert.Equal(sum, conv.Weight.Gradient[co * 9 + i * 3 + j], 1e-3 * (1 + Math.Abs(sum)));
            }
    }

    [Theory]
    [InlineData(12, 40)] // 144 pixels: chunks of 14 images, gathered and scattered
    [InlineData(24, 9)]  // 576 pixels: one image per chunk, rows read and written in place
    public void SameResults_AtOneAndTwoThreads(int side, int rows)
    {
        var shape = new ImageShape(2, side, side);
        float[] x = RandomValues(rows * shape.Size, 14);
        float[] dy = RandomValues(rows * 4 * side * side, 15);
        var one = Train(shape, 4, 6, x, dy, rows, threads: 1);
        var two = Train(shape, 4, 6, x, dy, rows, threads: 2);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dx, two.Dx);
        Assert.Equal(one.Dw, two.Dw);
        Assert.Equal(one.Db, two.Db);
    }

    [Fact]
    public void ChunksInParallel_MatchChunksInTurn_AndTheDirectConvolution()
    {
        // 7 × 7 outputs give chunks of 41 images: 200 rows make five chunks, enough to run them in parallel at 2
        // threads, while 1 thread runs them in turn; a batch of 50 (two chunks) runs them in turn at both.
        var shape = new ImageShape(3, 7, 7);
        foreach (int rows in new[] { 200, 50 })
        {
            float[] x = RandomValues(rows * shape.Size, 16);
            float[] dy = RandomValues(rows * 5 * 49, 17);
            var one = Train(shape, 5, 7, x, dy, rows, threads: 1);
            var two = Train(shape, 5, 7, x, dy, rows, threads: 2);
            Assert.Equal(one.Y, two.Y);
            Assert.Equal(one.Dx, two.Dx);
            Assert.Equal(one.Dw, two.Dw);
            Assert.Equal(one.Db, two.Db);

            var reference = new Conv2d(shape, 5, 3, padding: 1, seed: 7);
            double[] expected = ConvReference.Convolve(x, rows, shape, reference.Weight.Value, reference.Bias!.Value, 5, 3, 3, 1, 1, out _, out _);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(two.Y[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"output {i}");
            // The bias gradient is the output gradient summed over images and pixels, per channel.
            for (int co = 0; co < 5; co++)
            {
                double sum = 0;
                for (int r = 0; r < rows; r++) for (int p = 0; p < 49; p++) sum += dy[r * 245 + co * 49 + p];
                Assert.Equal(sum, two.Db[co], 1e-3);
            }
            // ∂L/∂w[co, c, i, j] = Σ_images,pixels dy[co, pixel] · x[c, tapped pixel], in double.
            for (int co = 0; co < 5; co++)
                for (int c = 0; c < 3; c++)
                    for (int i = 0; i < 3; i++)
                        for (int j = 0; j < 3; j++)
                        {
                            double sum = 0;
                            for (int r = 0; r < rows; r++)
                                for (int oy = 0; oy < 7; oy++)
                                    for (int ox = 0; ox < 7; ox++)
                                    {
                                        int iy = oy - 1 + i, ix = ox - 1 + j;
                                        if (iy >= 0 && iy < 7 && ix >= 0 && ix < 7)
                                            sum += (double)dy[r * 245 + co * 49 + oy * 7 + ox] * x[r * shape.Size + c * 49 + iy * 7 + ix];
                                    }
                            Assert.Equal(sum, two.Dw[((co * 3 + c) * 3 + i) * 3 + j], 2e-3);
                        }
        }
    }

    [Fact]
    public void Initialisation_IsUniformWithinPyTorchBound_AndSeeded()
    {
        var shape = new ImageShape(4, 6, 6);
        var a = new Conv2d(shape, 16, 3, seed: 9);
        var b = new Conv2d(shape, 16, 3, seed: 9);
        var other = new Conv2d(shape, 16, 3, seed: 10);
        float bound = 1f / MathF.Sqrt(4 * 9);
        Assert.All(a.Weight.Value, v => Assert.InRange(v, -bound, bound));
        Assert.All(a.Bias!.Value, v => Assert.InRange(v, -bound, bound));
        Assert.Equal(a.Weight.Value, b.Weight.Value);
        Assert.NotEqual(a.Weight.Value, other.Weight.Value);
        // Uniform on ±bound has mean square bound²/3.
        double meanSquare = a.Weight.Value.Average(v => (double)v * v);
        Assert.InRange(meanSquare, 0.8 * bound * bound / 3, 1.2 * bound * bound / 3);
    }

    [Fact]
    public void InvalidSettings_NameTheParameter()
    {
        var shape = new ImageShape(1, 5, 5);
        Assert.Equal("outChannels", Assert.ThrowsAny<ArgumentException>(() => new Conv2d(shape, 0, 3)).ParamName);
        Assert.Equal("kernelHeight", Assert.ThrowsAny<ArgumentException>(() => new Conv2d(shape, 2, 0)).ParamName);
        Assert.Equal("kernelHeight", Assert.ThrowsAny<ArgumentException>(() => new Conv2d(shape, 2, 7)).ParamName);
        Assert.Equal("stride", Assert.ThrowsAny<ArgumentException>(() => new Conv2d(shape, 2, 3, stride: 0)).ParamName);
        Assert.Equal("padding", Assert.ThrowsAny<ArgumentException>(() => new Conv2d(shape, 2, 3, padding: -1)).ParamName);
        var conv = new Conv2d(shape, 2, 3);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => conv.Forward(new float[24], 1, new float[18], true)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => conv.Forward(new float[25], 1, new float[17], true)).ParamName);
        Assert.Throws<InvalidOperationException>(() => new Conv2d(shape, 2, 3).Backward(new float[18], new float[25]));
    }

    /// <summary>One training pass of a fresh 3 × 3, padding-1 convolution: output, input gradient, weight and bias gradients.</summary>
    private static (float[] Y, float[] Dx, float[] Dw, float[] Db) Train(ImageShape shape, int channels, ulong seed, float[] x, float[] dy, int rows, int threads)
    {
        var conv = new Conv2d(shape, channels, 3, padding: 1, seed: seed, threads: threads);
        var y = new float[rows * conv.OutputDimension];
        var dx = new float[x.Length];
        conv.Forward(x, rows, y, training: true);
        conv.Backward(dy, dx);
        return (y, dx, conv.Weight.Gradient, conv.Bias!.Gradient);
    }
}
