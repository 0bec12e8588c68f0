using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Augmentations;

/// <summary>
/// Crops a random region and resizes it back to the full image by bilinear interpolation (torchvision's
/// <c>RandomResizedCrop</c>): the region covers a fraction of the image area drawn uniformly from the scale range, with
/// an aspect ratio (width / height) drawn log-uniformly from the ratio range, at a uniformly random position. After ten
/// draws that do not fit, it falls back to the largest central crop with the ratio clamped into range.
/// </summary>
public sealed class RandomResizedCrop : IImageAugmentation
{
    private readonly double _logRatioMin, _logRatioMax;

    /// <summary>Creates the crop with area fractions in [<paramref name="scaleMin"/>, <paramref name="scaleMax"/>] (default 0.08 … 1) and aspect ratios in [<paramref name="ratioMin"/>, <paramref name="ratioMax"/>] (default 3/4 … 4/3).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A scale outside (0, 1], a non-positive ratio, or a minimum above its maximum.</exception>
    public RandomResizedCrop(double scaleMin = 0.08, double scaleMax = 1.0, double ratioMin = 3.0 / 4.0, double ratioMax = 4.0 / 3.0)
    {
        if (!(scaleMin > 0 && scaleMin <= 1)) throw new ArgumentOutOfRangeException(nameof(scaleMin), scaleMin, "The smallest area fraction must lie in (0, 1].");
        if (!(scaleMax >= scaleMin && scaleMax <= 1)) throw new ArgumentOutOfRangeException(nameof(scaleMax), scaleMax, "The largest area fraction must lie in [scaleMin, 1].");
        if (!(ratioMin > 0) || double.IsInfinity(ratioMin)) throw new ArgumentOutOfRangeException(nameof(ratioMin), ratioMin, "The smallest aspect ratio must be positive and finite.");
        if (!(ratioMax >= ratioMin) || double.IsInfinity(ratioMax)) throw new ArgumentOutOfRangeException(nameof(ratioMax), ratioMax, "The largest aspect ratio must be finite and at least ratioMin.");
        ScaleMin = scaleMin;
        ScaleMax = scaleMax;
        RatioMin = ratioMin;
        RatioMax = ratioMax;
        _logRatioMin = Math.Log(ratioMin);
        _logRatioMax = Math.Log(ratioMax);
    }

    /// <summary>Smallest fraction of the image area a crop covers.</summary>
    public double ScaleMin { get; }

    /// <summary>Largest fraction of the image area a crop covers.</summary>
    public double ScaleMax { get; }

    /// <summary>Smallest aspect ratio (width / height) of a crop.</summary>
    public double RatioMin { get; }

    /// <summary>Largest aspect ratio (width / height) of a crop.</summary>
    public double RatioMax { get; }

    /// <inheritdoc/>
    public void Apply(Span<float> image, ImageShape shape, Span<float> scratch, ref Xoshiro256 random)
    {
        var (top, left, height, width) = DrawRegion(shape.Height, shape.Width, ref random);
        ImageResampler.ResizeRegion(image, shape, top, left, height, width, scratch);
        scratch[..shape.Size].CopyTo(image);
    }

    /// <summary>The crop (top row, left column, height, width) for an H × W image; torchvision's sampling rule.</summary>
    internal (int Top, int Left, int Height, int Width) DrawRegion(int imageHeight, int imageWidth, ref Xoshiro256 random)
    {
        double area = (double)imageHeight * imageWidth;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (ScaleMin + (ScaleMax - ScaleMin) * random.NextDouble());
            double ratio = Math.Exp(_logRatioMin + (_logRatioMax - _logRatioMin) * random.NextDouble());
            int w = (int)Math.Round(Math.Sqrt(target * ratio));
            int h = (int)Math.Round(Math.Sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= imageWidth && h <= imageHeight)
                return (random.NextInt(imageHeight - h + 1), random.NextInt(imageWidth - w + 1), h, w);
        }
        double imageRatio = (double)imageWidth / imageHeight;
        int cw, ch;
        if (imageRatio < RatioMin) { cw = imageWidth; ch = (int)Math.Round(cw / RatioMin); }
        else if (imageRatio > RatioMax) { ch = imageHeight; cw = (int)Math.Round(ch * RatioMax); }
        else { cw = imageWidth; ch = imageHeight; }
        ch = Math.Clamp(ch, 1, imageHeight);
        cw = Math.Clamp(cw, 1, imageWidth);
        return ((imageHeight - ch) / 2, (imageWidth - cw) / 2, ch, cw);
    }
}
