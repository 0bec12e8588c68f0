namespace ContrastiveNE.Data;

/// <summary>
/// The layout of an image stored as one row: <see cref="Channels"/> planes of <see cref="Height"/> ×
/// <see cref="Width"/> values, channel-major (C × H × W), each plane row-major. A 28 × 28 greyscale image is
/// (1, 28, 28); an RGB 32 × 32 image is (3, 32, 32).
/// </summary>
public readonly record struct ImageShape
{
    /// <summary>Describes images of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive, or the image has more than 2³¹ − 1 values.</exception>
    public ImageShape(int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if ((long)channels * height * width > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(channels), $"An image of {channels} × {height} × {width} values is too large for one row.");
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Number of channels (planes).</summary>
    public int Channels { get; }

    /// <summary>Height of a plane in pixels.</summary>
    public int Height { get; }

    /// <summary>Width of a plane in pixels.</summary>
    public int Width { get; }

    /// <summary>Pixels per plane, H·W.</summary>
    public int PlaneSize => Height * Width;

    /// <summary>Values per image row, C·H·W.</summary>
    public int Size => Channels * Height * Width;

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
