using ContrastiveNE.Data;

namespace ContrastiveNE.Plotting;

/// <summary>
/// One small greyscale image per point, shown in the tooltip of an <see cref="InteractiveMap"/>: 8 bits per pixel,
/// row-major, image i at <c>i · Width · Height</c>.
/// </summary>
public sealed class MapThumbnails
{
    /// <summary>Wraps ready 8-bit pixels.</summary>
    /// <param name="pixels">n · <paramref name="width"/> · <paramref name="height"/> bytes, 0 black … 255 white.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">The pixel count is not a multiple of one image, or a dimension is not positive.</exception>
    public MapThumbnails(byte[] pixels, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (pixels.Length % ((long)width * height) != 0)
            throw new ArgumentException($"{pixels.Length} pixels are not a whole number of {width} × {height} images.", nameof(pixels));
        Pixels = pixels;
        Width = width;
        Height = height;
    }

    /// <summary>The pixels of all images, one byte each.</summary>
    public byte[] Pixels { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Number of images.</summary>
    public int Count => Pixels.Length / (Width * Height);

    /// <summary>
    /// The rows of <paramref name="data"/> as images: one linear map of the whole matrix onto 0 … 255, from 0 (or the
    /// smallest value, when negative) to the largest value.
    /// </summary>
    /// <exception cref="ArgumentException">A row does not hold <paramref name="width"/> · <paramref name="height"/> values, or the data are not finite.</exception>
    public static MapThumbnails FromData(Matrix data, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if ((long)width * height != data.Columns)
            throw new ArgumentException($"An image of {width} × {height} pixels needs {(long)width * height} values per row; the data have {data.Columns} columns.", nameof(data));
        var values = data.Data.AsSpan();
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) throw new ArgumentException("The data hold a non-finite value; thumbnails need finite pixels.", nameof(data));
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        // Non-negative data map 0 to black and the largest value to white (MNIST's bytes keep their grey levels, the
        // digits' 0 … 16 and data in 0 … 1 are stretched); data with negative values map their range.
        if (min >= 0) min = 0;
        float scale = max > min ? 255f / (max - min) : 0f;
        var pixels = new byte[values.Length];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Clamp(MathF.Round((values[i] - min) * scale), 0, 255);
        return new MapThumbnails(pixels, width, height);
    }

    /// <summary>
    /// The image shape a matrix probably has: square images of 8 × 8 to 64 × 64 pixels (64, 784 = 28 × 28, …, 4096)
    /// when the column count is such a square and no value is negative; otherwise null. (Wider squares are more often
    /// feature tables, such as 10,000 gene counts, than images.)
    /// </summary>
    public static (int Width, int Height)? GuessShape(Matrix data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int side = (int)Math.Round(Math.Sqrt(data.Columns));
        if (side < 8 || side > 64 || side * side != data.Columns) return null;
        foreach (float v in data.Data.AsSpan())
            if (!(v >= 0)) return null;
        return (side, side);
    }
}
