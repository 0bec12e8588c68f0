using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Augmentations;

/// <summary>
/// A random transformation of one image stored as a row (C × H × W, channel-major). An augmentation is an immutable
/// description; every random choice comes from the generator passed in, so the same generator state gives the same
/// result, whichever thread runs it.
/// </summary>
public interface IImageAugmentation
{
    /// <summary>
    /// Transforms <paramref name="image"/> (<paramref name="shape"/>.Size values) in place, drawing from
    /// <paramref name="random"/>. <paramref name="scratch"/> holds at least <paramref name="shape"/>.Size values
    /// the augmentation may overwrite.
    /// </summary>
    void Apply(Span<float> image, ImageShape shape, Span<float> scratch, ref Xoshiro256 random);
}
