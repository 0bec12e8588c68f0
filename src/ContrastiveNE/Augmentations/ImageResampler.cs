using ContrastiveNE.Data;

namespace ContrastiveNE.Augmentations;

/// <summary>Bilinear resampling of an image region, with PyTorch's half-pixel convention (align_corners = false).</summary>
internal static class ImageResampler
{
    /// <summary>
    /// Resizes the region (top, left, height, width) of every channel of <paramref name="image"/> to the full
    /// H × W and writes it to <paramref name="destination"/>. Output pixel y samples the region at
    /// y_src = (y + ½)·height/H − ½, clamped at 0, between rows ⌊y_src⌋ and ⌊y_src⌋ + 1 (the last row repeats);
    /// a region the size of the image maps every pixel onto itself exactly.
    /// </summary>
    public static void ResizeRegion(ReadOnlySpan<float> image, ImageShape shape, int top, int left, int height, int width, Span<float> destination)
    {
        int outH = shape.Height, outW = shape.Width, plane = shape.PlaneSize;
        float scaleY = (float)height / outH, scaleX = (float)width / outW;
        for (int y = 0; y < outH; y++)
        {
            var (y0, y1, wy) = Tap(y, scaleY, height);
            for (int x = 0; x < outW; x++)
            {
                var (x0, x1, wx) = Tap(x, scaleX, width);
                for (int c = 0; c < shape.Channels; c++)
                {
                    ReadOnlySpan<float> p = image.Slice(c * plane, plane);
                    int r0 = (top + y0) * outW + left, r1 = (top + y1) * outW + left;
                    float upper = p[r0 + x0] + wx * (p[r0 + x1] - p[r0 + x0]);
                    float lower = p[r1 + x0] + wx * (p[r1 + x1] - p[r1 + x0]);
                    destination[c * plane + y * outW + x] = upper + wy * (lower - upper);
                }
            }
        }
    }

    private static (int Low, int High, float Weight) Tap(int output, float scale, int size)
    {
        float source = Math.Max(0f, (output + 0.5f) * scale - 0.5f);
        int low = Math.Min((int)source, size - 1);
        int high = Math.Min(low + 1, size - 1);
        return (low, high, source - low);
    }
}
