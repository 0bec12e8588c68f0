using System.Numerics.Tensors;
using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Augmentations;

/// <summary>
/// Random brightness, then contrast, as torchvision's <c>ColorJitter</c> does them: brightness multiplies the image
/// by b, contrast blends it with its mean grey level m as c·x + (1 − c)·m, with b and c uniform in
/// [max(0, 1 − strength), 1 + strength]; the result is clipped to [minimum, maximum] after each step (the [0, 1]
/// range of images scaled to unit intensity by default). The grey level of a 3-channel image weighs the channels
/// 0.299, 0.587, 0.114 (ITU-R 601); otherwise it is the plain mean.
/// </summary>
public sealed class BrightnessContrastJitter : IImageAugmentation
{
    /// <summary>Creates the jitter.</summary>
    /// <param name="brightness">Brightness strength ≥ 0 (default 0.4); 0 leaves brightness alone.</param>
    /// <param name="contrast">Contrast strength ≥ 0 (default 0.4); 0 leaves contrast alone.</param>
    /// <param name="minimum">Lower clipping bound (default 0); −∞ for none.</param>
    /// <param name="maximum">Upper clipping bound (default 1); +∞ for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite strength, or minimum above maximum.</exception>
    public BrightnessContrastJitter(double brightness = 0.4, double contrast = 0.4, float minimum = 0f, float maximum = 1f)
    {
        if (!(brightness >= 0) || double.IsInfinity(brightness)) throw new ArgumentOutOfRangeException(nameof(brightness), brightness, "The brightness strength must be finite and ≥ 0.");
        if (!(contrast >= 0) || double.IsInfinity(contrast)) throw new ArgumentOutOfRangeException(nameof(contrast), contrast, "The contrast strength must be finite and ≥ 0.");
        if (!(minimum <= maximum)) throw new ArgumentOutOfRangeException(nameof(maximum), maximum, "The upper clipping bound must be at least the lower one.");
        Brightness = brightness;
        Contrast = contrast;
        Minimum = minimum;
        Maximum = maximum;
    }

    /// <summary>Brightness strength: factors are drawn from [max(0, 1 − strength), 1 + strength].</summary>
    public double Brightness { get; }

    /// <summary>Contrast strength: factors are drawn from [max(0, 1 − strength), 1 + strength].</summary>
    public double Contrast { get; }

    /// <summary>Lower clipping bound.</summary>
    public float Minimum { get; }

    /// <summary>Upper clipping bound.</summary>
    public float Maximum { get; }

    /// <inheritdoc/>
    public void Apply(Span<float> image, ImageShape shape, Span<float> scratch, ref Xoshiro256 random)
    {
        Span<float> x = image[..shape.Size];
        if (Brightness > 0)
        {
            float b = Factor(Brightness, ref random);
            TensorPrimitives.Multiply(x, b, x);
            Clip(x);
        }
        if (Contrast > 0)
        {
            float c = Factor(Contrast, ref random);
            float mean = GreyMean(x, shape);
            // c·x + (1 − c)·m
            TensorPrimitives.Multiply(x, c, x);
            TensorPrimitives.Add(x, (1 - c) * mean, x);
            Clip(x);
        }
    }

    private static float Factor(double strength, ref Xoshiro256 random)
    {
        double low = Math.Max(0, 1 - strength);
        return (float)(low + (1 + strength - low) * random.NextDouble());
    }

    private void Clip(Span<float> x)
    {
        if (float.IsNegativeInfinity(Minimum) && float.IsPositiveInfinity(Maximum)) return;
        TensorPrimitives.Max(x, Minimum, x);
        TensorPrimitives.Min(x, Maximum, x);
    }

    private static float GreyMean(ReadOnlySpan<float> x, ImageShape shape)
    {
        int plane = shape.PlaneSize;
        if (shape.Channels == 3)
            return (0.299f * TensorPrimitives.Sum(x[..plane]) + 0.587f * TensorPrimitives.Sum(x.Slice(plane, plane))
                    + 0.114f * TensorPrimitives.Sum(x.Slice(2 * plane, plane))) / plane;
        return TensorPrimitives.Sum(x) / x.Length;
    }
}
