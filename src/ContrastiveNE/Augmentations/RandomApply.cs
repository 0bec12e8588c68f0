using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Augmentations;

/// <summary>Applies another augmentation with a given probability (torchvision's <c>RandomApply</c>).</summary>
public sealed class RandomApply : IImageAugmentation
{
    /// <summary>Applies <paramref name="augmentation"/> with probability <paramref name="probability"/>.</summary>
    /// <exception cref="ArgumentNullException">No augmentation.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside [0, 1].</exception>
    public RandomApply(IImageAugmentation augmentation, double probability)
    {
        ArgumentNullException.ThrowIfNull(augmentation);
        if (!(probability >= 0 && probability <= 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "The probability must lie in [0, 1].");
        Augmentation = augmentation;
        Probability = probability;
    }

    /// <summary>The augmentation applied some of the time.</summary>
    public IImageAugmentation Augmentation { get; }

    /// <summary>Probability of applying it.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public void Apply(Span<float> image, ImageShape shape, Span<float> scratch, ref Xoshiro256 random)
    {
        if (random.NextDouble() < Probability) Augmentation.Apply(image, shape, scratch, ref random);
    }
}
