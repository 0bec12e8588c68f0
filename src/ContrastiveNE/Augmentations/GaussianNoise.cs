using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Augmentations;

/// <summary>Adds independent normal noise of a fixed standard deviation to every value (no clipping).</summary>
public sealed class GaussianNoise : IImageAugmentation
{
    /// <summary>Adds N(0, <paramref name="standardDeviation"/>²) noise (default 0.05).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The standard deviation is negative or not finite.</exception>
    public GaussianNoise(double standardDeviation = 0.05)
    {
        if (!(standardDeviation >= 0) || double.IsInfinity(standardDeviation))
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The standard deviation must be finite and ≥ 0.");
        StandardDeviation = standardDeviation;
    }

    /// <summary>Standard deviation of the added noise.</summary>
    public double StandardDeviation { get; }

    /// <inheritdoc/>
    public void Apply(Span<float> image, ImageShape shape, Span<float> scratch, ref Xoshiro256 random)
    {
        for (int i = 0; i < shape.Size; i++) image[i] += (float)(StandardDeviation * random.NextGaussian());
    }
}
