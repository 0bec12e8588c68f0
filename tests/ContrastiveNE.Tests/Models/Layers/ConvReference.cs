using ContrastiveNE.Data;

namespace ContrastiveNE.Tests.Models.Layers;

/// <summary>Direct (loop-over-everything) reference convolution and pooling in double precision.</summary>
internal static class ConvReference
{
    public static double[] Convolve(float[] input, int rows, ImageShape shape, float[] weight, float[]? bias,
        int outChannels, int kh, int kw, int stride, int padding, out int outH, out int outW)
    {
        outH = (shape.Height + 2 * padding - kh) / stride + 1;
        outW = (shape.Width + 2 * padding - kw) / stride + 1;
        var result = new double[rows * outChannels * outH * outW];
        int o = 0;
        for (int r = 0; r < rows; r++)
            for (int co = 0; co < outChannels; co++)
                for (int oy = 0; oy < outH; oy++)
                    for (int ox = 0; ox < outW; ox++)
                    {
                        double sum = bias?[co] ?? 0;
                        for (int c = 0; c < shape.Channels; c++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int y = oy * stride - padding + i, x = ox * stride - padding + j;
                                    if (y < 0 || y >= shape.Height || x < 0 || x >= shape.Width) continue;
                                    sum += (double)weight[((co * shape.Channels + c) * kh + i) * kw + j]
                                           * input[r * shape.Size + (c * shape.Height + y) * shape.Width + x];
                                }
                        result[o++] = sum;
                    }
        return result;
    }

    /// <summary>Max (or mean, dividing by k²) over each window; padding is −∞ for max and 0 for mean.</summary>
    public static double[] Pool(float[] input, int rows, ImageShape shape, int k, int stride, int padding, bool max)
    {
        int outH = (shape.Height + 2 * padding - k) / stride + 1, outW = (shape.Width + 2 * padding - k) / stride + 1;
        var result = new double[rows * shape.Channels * outH * outW];
        int o = 0;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < shape.Channels; c++)
                for (int oy = 0; oy < outH; oy++)
                    for (int ox = 0; ox < outW; ox++)
                    {
                        double acc = max ? double.NegativeInfinity : 0;
                        for (int i = 0; i < k; i++)
                            for (int j = 0; j < k; j++)
                            {
                                int y = oy * stride - padding + i, x = ox * stride - padding + j;
                                if (y < 0 || y >= shape.Height || x < 0 || x >= shape.Width) continue;
                                double v = input[r * shape.Size + (c * shape.Height + y) * shape.Width + x];
                                acc = max ? Math.Max(acc, v) : acc + v;
                            }
                        result[o++] = max ? acc : acc / (k * k);
                    }
        return result;
    }
}
