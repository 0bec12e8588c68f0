namespace ContrastiveNE.Models.Layers;

/// <summary>
/// The im2col / col2im pair that turns a convolution into a GEMM. The column matrix has one row per kernel tap
/// r = (c·kh + i)·kw + j (K = C·kh·kw rows) and one column per output pixel; several images sit side by side, image s
/// at columns s·P … s·P + P − 1 (P = output pixels), so one GEMM W (C_out × K) · col (K × nb·P) convolves a whole chunk.
/// </summary>
internal static class Im2Col
{
    /// <summary>Writes the columns of one image into <paramref name="col"/> (row stride <paramref name="ld"/>) from column <paramref name="offset"/>.</summary>
    public static void Expand(in WindowGeometry g, ReadOnlySpan<float> image, Span<float> col, int ld, int offset)
    {
        int h = g.Input.Height, w = g.Input.Width, plane = h * w;
        int outH = g.OutputHeight, outW = g.OutputWidth, stride = g.Stride, pad = g.Padding;
        int r = 0;
        for (int c = 0; c < g.Input.Channels; c++)
        {
            ReadOnlySpan<float> channel = image.Slice(c * plane, plane);
            for (int i = 0; i < g.KernelHeight; i++)
            {
                var (y0, y1) = g.ValidRows(i);
                for (int j = 0; j < g.KernelWidth; j++, r++)
                {
                    Span<float> dst = col.Slice(r * ld + offset, outH * outW);
                    var (x0, x1) = g.ValidColumns(j);
                    // Rows whose tap falls in the top or bottom padding are all zero.
                    dst[..(y0 * outW)].Clear();
                    dst[(y1 * outW)..].Clear();
                    for (int oy = y0; oy < y1; oy++)
                    {
                        Span<float> line = dst.Slice(oy * outW, outW);
                        line[..x0].Clear();
                        line[x1..].Clear();
                        if (x1 <= x0) continue;
                        ReadOnlySpan<float> src = channel.Slice((oy * stride - pad + i) * w, w);
                        int ix0 = x0 * stride - pad + j;
                        if (stride == 1)
                        {
                            src.Slice(ix0, x1 - x0).CopyTo(line[x0..x1]);
                        }
                        else
                        {
                            for (int ox = x0, ix = ix0; ox < x1; ox++, ix += stride) line[ox] = src[ix];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Expand"/>: sums every column entry back onto the pixel it was read from, writing
    /// (not adding) the image gradient of one image into <paramref name="image"/>.
    /// </summary>
    public static void Fold(in WindowGeometry g, ReadOnlySpan<float> col, int ld, int offset, Span<float> image)
    {
        int h = g.Input.Height, w = g.Input.Width, plane = h * w;
        int outW = g.OutputWidth, stride = g.Stride, pad = g.Padding;
        image[..g.Input.Size].Clear();
        int r = 0;
        for (int c = 0; c < g.Input.Channels; c++)
        {
            Span<float> channel = image.Slice(c * plane, plane);
            for (int i = 0; i < g.KernelHeight; i++)
            {
                var (y0, y1) = g.ValidRows(i);
                for (int j = 0; j < g.KernelWidth; j++, r++)
                {
                    ReadOnlySpan<float> src = col.Slice(r * ld + offset, g.OutputPlane);
                    var (x0, x1) = g.ValidColumns(j);
                    if (x1 <= x0) continue;
                    for (int oy = y0; oy < y1; oy++)
                    {
                        ReadOnlySpan<float> line = src.Slice(oy * outW, outW);
                        Span<float> dst = channel.Slice((oy * stride - pad + i) * w, w);
                        int ix0 = x0 * stride - pad + j;
                        if (stride == 1)
                        {
                            System.Numerics.Tensors.TensorPrimitives.Add(dst.Slice(ix0, x1 - x0), line[x0..x1], dst.Slice(ix0, x1 - x0));
                        }
                        else
                        {
                            for (int ox = x0, ix = ix0; ox < x1; ox++, ix += stride) dst[ix] += line[ox];
                        }
                    }
                }
            }
        }
    }
}
