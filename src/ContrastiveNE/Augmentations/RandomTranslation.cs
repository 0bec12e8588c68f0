using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Augmentations;

/// <summary>
/// Shifts the image by a whole number of pixels drawn uniformly from [−max, max] along each axis; pixels shifted in
/// from outside take the fill value.
/// </summary>
public sealed class RandomTranslation : IImageAugmentation
{
    /// <summary>Shifts by up to <paramref name="maxShift"/> pixels (default 2) each way, filling with <paramref name="fill"/> (default 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The shift is negative or the fill is not finite.</exception>
    public RandomTranslation(int maxShift = 2, float fill = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxShift);
        if (!float.IsFinite(fill)) throw new ArgumentOutOfRangeException(nameof(fill), fill, "The fill value must be finite.");
        MaxShift = maxShift;
        Fill = fill;
    }

    /// <summary>Largest shift in pixels along each axis.</summary>
    public int MaxShift { get; }

    /// <summary>Value of pixels shifted in from outside the image.</summary>
    public float Fill { get; }

    /// <inheritdoc/>
    public void Apply(Span<float> image, ImageShape shape, Span<float> scratch, ref Xoshiro256 random)
    {
        int dy = random.NextInt(2 * MaxShift + 1) - MaxShift;
        int dx = random.NextInt(2 * MaxShift + 1) - MaxShift;
        Shift(image, shape, dy, dx, Fill, scratch);
    }

    /// <summary>out[y, x] = in[y − dy, x − dx], or the fill where that lies outside.</summary>
    internal static void Shift(Span<float> image, ImageShape shape, int dy, int dx, float fill, Span<float> scratch)
    {
        if (dy == 0 && dx == 0) return;
        int h = shape.Height, w = shape.Width;
        Span<float> result = scratch[..shape.Size];
        result.Fill(fill);
        int x0 = Math.Max(0, dx), x1 = Math.Min(w, w + dx);
        for (int c = 0; c < shape.Channels; c++)
            for (int y = Math.Max(0, dy); y < Math.Min(h, h + dy); y++)
                if (x1 > x0)
                    image.Slice((c * h + y - dy) * w + x0 - dx, x1 - x0).CopyTo(result.Slice((c * h + y) * w + x0, x1 - x0));
        result.CopyTo(image);
    }
}
