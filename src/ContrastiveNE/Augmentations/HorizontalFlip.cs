using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Augmentations;

/// <summary>Mirrors the image left to right with the given probability (torchvision's <c>RandomHorizontalFlip</c>).</summary>
public sealed class HorizontalFlip : IImageAugmentation
{
    /// <summary>Flips with probability <paramref name="probability"/> (default ½).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside [0, 1].</exception>
    public HorizontalFlip(double probability = 0.5)
    {
        if (!(probability >= 0 && probability <= 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "The probability must lie in [0, 1].");
        Probability = probability;
    }

    /// <summary>Probability of flipping an image.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public void Apply(Span<float> image, ImageShape shape, Span<float> scratch, ref Xoshiro256 random)
    {
        if (random.NextDouble() >= Probability) return;
        for (int line = 0; line < shape.Channels * shape.Height; line++)
            image.Slice(line * shape.Width, shape.Width).Reverse();
    }
}
