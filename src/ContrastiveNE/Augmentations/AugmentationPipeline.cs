using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Augmentations;

/// <summary>
/// Several augmentations applied one after another (torchvision's <c>Compose</c>), each drawing from the same
/// generator in turn.
/// </summary>
public sealed class AugmentationPipeline : IImageAugmentation
{
    private readonly IImageAugmentation[] _steps;

    /// <summary>Chains <paramref name="steps"/> (possibly none: the identity).</summary>
    /// <exception cref="ArgumentNullException">The list or one of its steps is null.</exception>
    public AugmentationPipeline(params IImageAugmentation[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        for (int i = 0; i < steps.Length; i++)
            if (steps[i] is null) throw new ArgumentNullException(nameof(steps), $"Step {i} is null.");
        _steps = (IImageAugmentation[])steps.Clone();
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<IImageAugmentation> Steps => _steps;

    /// <summary>
    /// The SimCLR recipe for small images (Chen et al., 2020, without colour dropping and blur, which do little at
    /// 28 × 28): random resized crop with area 0.2 … 1 (<paramref name="cropScaleMin"/>), horizontal flip, and with
    /// probability 0.8 brightness/contrast jitter of strength 0.4, for images with values in [0, 1].
    /// </summary>
    public static AugmentationPipeline SimClr(double cropScaleMin = 0.2) => new(
        new RandomResizedCrop(cropScaleMin),
        new HorizontalFlip(),
        new RandomApply(new BrightnessContrastJitter(0.4, 0.4), 0.8));

    /// <inheritdoc/>
    public void Apply(Span<float> image, ImageShape shape, Span<float> scratch, ref Xoshiro256 random)
    {
        foreach (var step in _steps) step.Apply(image, shape, scratch, ref random);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> and augments the copy; the checked entry
    /// point for callers outside a hot loop.
    /// </summary>
    /// <exception cref="ArgumentException">A span holds fewer than <paramref name="shape"/>.Size values.</exception>
    public void Augment(ReadOnlySpan<float> source, Span<float> destination, ImageShape shape, Span<float> scratch, ref Xoshiro256 random)
    {
        if (source.Length < shape.Size) throw new ArgumentException($"The source holds {source.Length} values; a {shape} image needs {shape.Size}.", nameof(source));
        if (destination.Length < shape.Size) throw new ArgumentException($"The destination holds {destination.Length} values; a {shape} image needs {shape.Size}.", nameof(destination));
        if (scratch.Length < shape.Size) throw new ArgumentException($"The scratch buffer holds {scratch.Length} values; a {shape} image needs {shape.Size}.", nameof(scratch));
        source[..shape.Size].CopyTo(destination);
        Apply(destination, shape, scratch, ref random);
    }
}
