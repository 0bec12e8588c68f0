using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ContrastiveNE.Models.Layers;

/// <summary>
/// The im2col / col2im pair that turns a convolution into a GEMM. The column matrix has one row per kernel tap
/// r = (c·kh + i)·kw + j (K = C·kh·kw rows) and one column per output pixel; several images sit side by side, image s
/// at columns s·P … s·P + P − 1 (P = output pixels), so one GEMM W (C_out × K) · col (K × nb·P) convolves a whole chunk.
/// </summary>
internal static class Im2Col
{
    /// <summary>Writes the columns of one image into <paramref name="col"/> (row stride <paramref name="ld"/>) from column <paramref name="offset"/>.</summary>
    public static unsafe void Expand(in WindowGeometry g, ReadOnlySpan<float> image, Span<float> col, int ld, int offset)
    {
        if (image.Length < g.Input.Size) throw new ArgumentException("The image is shorter than its shape.", nameof(image));
        if ((long)(g.Input.Channels * g.KernelHeight * g.KernelWidth - 1) * ld + offset + g.OutputPlane > col.Length)
            throw new ArgumentException("The column matrix is too small.", nameof(col));
        int h = g.Input.Height, w = g.Input.Width, plane = h * w;
        int outH = g.OutputHeight, outW = g.OutputWidth, stride = g.Stride, pad = g.Padding;
        // Bounds are checked once above; the loops below run on raw pointers because a 3 × 3 kernel over a
        // 14 × 14 image copies rows of only 14 values, where per-call span overhead would dominate.
        fixed (float* imagePointer = image)
        fixed (float* colPointer = col)
        {
            int r = 0;
            for (int c = 0; c < g.Input.Channels; c++)
            {
                float* channel = imagePointer + c * plane;
                for (int i = 0; i < g.KernelHeight; i++)
                {
                    var (y0, y1) = g.ValidRows(i);
                    for (int j = 0; j < g.KernelWidth; j++, r++)
                    {
                        float* dst = colPointer + (long)r * ld + offset;
                        var (x0, x1) = g.ValidColumns(j);
                        // Rows whose tap falls in the top or bottom padding are all zero.
                        Zero(dst, y0 * outW);
                        Zero(dst + y1 * outW, (outH - y1) * outW);
                        if (stride == 1 && w == outW && y1 > y0 && x1 > x0)
                        {
                            // A same-width map (3 × 3 with padding 1, say): source and column rows advance by one width,
                            // so the valid block is one run. The run also carries neighbouring pixels into the padding
                            // columns between its rows; they are cleared after it.
                            float* first = dst + y0 * outW + x0;
                            Copy(first, channel + (y0 - pad + i) * w + (x0 - pad + j), (y1 - y0 - 1) * outW + (x1 - x0));
                            for (int oy = y0; oy < y1; oy++)
                            {
                                float* line = dst + oy * outW;
                                for (int ox = 0; ox < x0; ox++) line[ox] = 0f;
                                for (int ox = x1; ox < outW; ox++) line[ox] = 0f;
                            }
                            continue;
                        }
                        for (int oy = y0; oy < y1; oy++)
                        {
                            float* line = dst + oy * outW;
                            // The padding columns are at most a few values: stored directly, not through a library call.
                            for (int ox = 0; ox < x0; ox++) line[ox] = 0f;
                            for (int ox = Math.Max(x0, x1); ox < outW; ox++) line[ox] = 0f;
                            float* src = channel + (oy * stride - pad + i) * w + (x0 * stride - pad + j);
                            if (stride == 1)
                            {
                                if (x1 > x0) CopyShort(line + x0, src, x1 - x0);
                            }
                            else
                            {
                                for (int ox = x0; ox < x1; ox++) line[ox] = src[(ox - x0) * stride];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Copies a short run (an image row: 28 values in the encoder's first layer, 7 in its last) with vector moves,
    /// where a memmove call per row would cost more than the copy.
    /// </summary>
    private static unsafe void CopyShort(float* dst, float* src, int n)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
                Vector512.Store(Vector512.Load(src + k), dst + k);
        if (Vector256.IsHardwareAccelerated)
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
                Vector256.Store(Vector256.Load(src + k), dst + k);
        if (Vector128.IsHardwareAccelerated)
            for (; k <= n - Vector128<float>.Count; k += Vector128<float>.Count)
                Vector128.Store(Vector128.Load(src + k), dst + k);
        for (; k < n; k++) dst[k] = src[k];
    }

    private static unsafe void Copy(float* dst, float* src, int count) =>
        Buffer.MemoryCopy(src, dst, (long)count * sizeof(float), (long)count * sizeof(float));

    private static unsafe void Zero(float* start, int count)
    {
        if (count > 0) Unsafe.InitBlockUnaligned(start, 0, (uint)count * sizeof(float));
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
