using ContrastiveNE.Augmentations;
using ContrastiveNE.Data;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Augmentations;

public class AugmentationTests
{
    private static float[] Image(ImageShape shape, ulong seed)
    {
        var random = Xoshiro256.Create(seed, 3);
        var image = new float[shape.Size];
        for (int i = 0; i < image.Length; i++) image[i] = random.NextFloat();
        return image;
    }

    private static float[] Run(IImageAugmentation augmentation, float[] image, ImageShape shape, ulong seed, ulong stream = 0)
    {
        var result = (float[])image.Clone();
        var random = Xoshiro256.Create(seed, stream);
        augmentation.Apply(result, shape, new float[shape.Size], ref random);
        return result;
    }

    public static TheoryData<string> Names => new() { "crop", "flip", "translate", "jitter", "noise", "simclr" };

    private static IImageAugmentation Make(string name) => name switch
    {
        "crop" => new RandomResizedCrop(),
        "flip" => new HorizontalFlip(),
        "translate" => new RandomTranslation(3),
        "jitter" => new BrightnessContrastJitter(),
        "noise" => new GaussianNoise(0.1),
        _ => AugmentationPipeline.SimClr(),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void SameSeed_SameImage_DifferentStreams_DifferentImages(string name)
    {
        var augmentation = Make(name);
        foreach (var shape in new[] { new ImageShape(1, 28, 28), new ImageShape(3, 9, 12) })
        {
            float[] image = Image(shape, 1);
            float[] a = Run(augmentation, image, shape, 5);
            Assert.Equal(a, Run(augmentation, image, shape, 5));
            Assert.All(a, v => Assert.True(float.IsFinite(v)));
            Assert.Equal(shape.Size, a.Length);
            // Among sixteen streams at least two results differ (each one has a chance to be the identity).
            int distinct = Enumerable.Range(0, 16).Select(s => string.Join(",", Run(augmentation, image, shape, 5, (ulong)s))).Distinct().Count();
            Assert.True(distinct > 1, $"{name} gave the same image for every stream");
        }
    }

    [Fact]
    public void FlipTwice_IsTheIdentity_AndFlipMirrorsEachLine()
    {
        var shape = new ImageShape(2, 3, 5);
        float[] image = Image(shape, 2);
        var flip = new HorizontalFlip(1.0);
        float[] once = Run(flip, image, shape, 1);
        for (int line = 0; line < 6; line++)
            for (int x = 0; x < 5; x++)
                Assert.Equal(image[line * 5 + x], once[line * 5 + 4 - x]);
        Assert.Equal(image, Run(flip, once, shape, 2));
        Assert.Equal(image, Run(new HorizontalFlip(0.0), image, shape, 3));
    }

    [Theory]
    [InlineData(1, 28, 28)]
    [InlineData(3, 10, 15)]
    public void FullCrop_IsTheIdentity(int c, int h, int w)
    {
        var shape = new ImageShape(c, h, w);
        float[] image = Image(shape, 3);
        double ratio = (double)w / h;
        var crop = new RandomResizedCrop(1.0, 1.0, ratio, ratio);
        float[] result = Run(crop, image, shape, 4);
        for (int i = 0; i < image.Length; i++) Assert.Equal(image[i], result[i], 1e-6f);
    }

    [Fact]
    public void Crop_StaysWithinScaleAndRatio_AndUpsamplesConstantRegionsExactly()
    {
        var crop = new RandomResizedCrop(0.25, 0.5, 0.8, 1.25);
        for (ulong s = 0; s < 200; s++)
        {
            var random = Xoshiro256.Create(s);
            var (top, left, h, w) = crop.DrawRegion(28, 28, ref random);
            Assert.InRange(top, 0, 28 - h);
            Assert.InRange(left, 0, 28 - w);
            // Rounding each side to whole pixels moves the area and ratio a little beyond the drawn values.
            Assert.InRange(h * w / 784.0, 0.2, 0.56);
            Assert.InRange((double)w / h, 0.7, 1.4);
        }
        // Bilinear interpolation reproduces a linear ramp: a crop of x ↦ x is again linear in the output column.
        var shape = new ImageShape(1, 8, 8);
        var ramp = new float[64];
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) ramp[y * 8 + x] = x;
        var output = new float[64];
        ImageResampler.ResizeRegion(ramp, shape, 2, 2, 4, 4, output);
        // Output column x samples source column 2 + max(0, (x + ½)/2 − ½), capped at the region's last column 5.
        for (int x = 0; x < 8; x++)
            Assert.Equal(2 + Math.Min(3, Math.Max(0, (x + 0.5) / 2 - 0.5)), output[3 * 8 + x], 1e-5);
    }

    [Fact]
    public void Translation_MovesPixelsAndFillsTheBorder()
    {
        var shape = new ImageShape(1, 4, 5);
        float[] image = Enumerable.Range(1, 20).Select(v => (float)v).ToArray();
        var result = (float[])image.Clone();
        RandomTranslation.Shift(result, shape, 1, -2, -1f, new float[20]);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 5; x++)
            {
                int sy = y - 1, sx = x + 2;
                float expected = sy >= 0 && sx < 5 ? image[sy * 5 + sx] : -1f;
                Assert.Equal(expected, result[y * 5 + x]);
            }
        // A bound of zero leaves the image alone.
        var translate = new RandomTranslation(0);
        Assert.Equal(image, Run(translate, image, shape, 1));
    }

    [Fact]
    public void Jitter_ScalesAndBlendsWithTheMean_WithinBounds()
    {
        var shape = new ImageShape(1, 6, 6);
        float[] image = Image(shape, 4);
        // Brightness only: one common factor b ∈ [0.6, 1.4] for every pixel (before clipping at 1).
        float[] bright = Run(new BrightnessContrastJitter(0.4, 0), image, shape, 7);
        double factor = bright[0] / image[0];
        Assert.InRange(factor, 0.6, 1.4);
        for (int i = 0; i < image.Length; i++) Assert.Equal(Math.Min(1.0, image[i] * factor), bright[i], 1e-5);
        // Contrast only: the mean is kept (no clipping happens when the factor is below 1 and values are in [0, 1]).
        var weaker = new BrightnessContrastJitter(0, 0.4);
        for (ulong s = 0; s < 20; s++)
        {
            float[] c = Run(weaker, image, shape, s);
            Assert.All(c, v => Assert.InRange(v, 0f, 1f));
            if (c.Max() < 1 && c.Min() > 0) Assert.Equal(image.Average(), c.Average(), 1e-5);
        }
    }

    [Fact]
    public void Noise_HasTheRequestedStandardDeviation()
    {
        var shape = new ImageShape(1, 64, 64);
        var zero = new float[shape.Size];
        float[] noisy = Run(new GaussianNoise(0.3), zero, shape, 8);
        double mean = noisy.Average(), sd = Math.Sqrt(noisy.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(sd, 0.28, 0.32);
    }

    [Fact]
    public void Pipeline_AppliesStepsInOrder_AndChecksSpans()
    {
        var shape = new ImageShape(1, 2, 3);
        float[] image = [1, 2, 3, 4, 5, 6];
        var pipeline = new AugmentationPipeline(new HorizontalFlip(1), new RandomApply(new HorizontalFlip(1), 1), new HorizontalFlip(1));
        var output = new float[6];
        var random = Xoshiro256.Create(1);
        pipeline.Augment(image, output, shape, new float[6], ref random);
        Assert.Equal([3f, 2, 1, 6, 5, 4], output);
        Assert.Equal(image, Run(new AugmentationPipeline(), image, shape, 1));
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => pipeline.Augment(image, new float[5], shape, new float[6], ref random)).ParamName);
    }

    [Fact]
    public void InvalidSettings_NameTheParameter()
    {
        Assert.Equal("scaleMin", Assert.ThrowsAny<ArgumentException>(() => new RandomResizedCrop(0)).ParamName);
        Assert.Equal("scaleMax", Assert.ThrowsAny<ArgumentException>(() => new RandomResizedCrop(0.5, 0.4)).ParamName);
        Assert.Equal("ratioMin", Assert.ThrowsAny<ArgumentException>(() => new RandomResizedCrop(ratioMin: 0)).ParamName);
        Assert.Equal("ratioMax", Assert.ThrowsAny<ArgumentException>(() => new RandomResizedCrop(ratioMin: 2, ratioMax: 1)).ParamName);
        Assert.Equal("probability", Assert.ThrowsAny<ArgumentException>(() => new HorizontalFlip(1.5)).ParamName);
        Assert.Equal("probability", Assert.ThrowsAny<ArgumentException>(() => new RandomApply(new HorizontalFlip(), double.NaN)).ParamName);
        Assert.Equal("maxShift", Assert.ThrowsAny<ArgumentException>(() => new RandomTranslation(-1)).ParamName);
        Assert.Equal("brightness", Assert.ThrowsAny<ArgumentException>(() => new BrightnessContrastJitter(-0.1)).ParamName);
        Assert.Equal("contrast", Assert.ThrowsAny<ArgumentException>(() => new BrightnessContrastJitter(0.1, double.PositiveInfinity)).ParamName);
        Assert.Equal("maximum", Assert.ThrowsAny<ArgumentException>(() => new BrightnessContrastJitter(minimum: 1, maximum: 0)).ParamName);
        Assert.Equal("standardDeviation", Assert.ThrowsAny<ArgumentException>(() => new GaussianNoise(-1)).ParamName);
    }
}
