using ContrastiveNE.Data;
using ContrastiveNE.Models.Layers;

namespace ContrastiveNE.Models;

/// <summary>
/// A small convolutional encoder with a projection head, ready for SimCLR on small images such as Fashion-MNIST.
/// With the default widths (32, 64, 128) on 1 × 28 × 28 images the backbone is
/// conv 3×3 32 → BN → ReLU → max-pool 2 → conv 3×3 64 → BN → ReLU → max-pool 2 → conv 3×3 128 → BN → ReLU →
/// global average pool, giving a 128-d representation; the head maps it through Linear 128 → ReLU → Linear to the
/// projection dimension. Train <see cref="Network"/>; use <see cref="Backbone"/> (or <see cref="Encode"/>) for the
/// learned representation.
/// </summary>
public sealed class ConvEncoder
{
    /// <summary>The default channel widths of the convolution blocks.</summary>
    public static IReadOnlyList<int> DefaultChannels { get; } = [32, 64, 128];

    private ConvEncoder(Sequential backbone, Sequential head, Conv2d largest)
    {
        Backbone = backbone;
        Head = head;
        Network = new Sequential(backbone, head);
        LargestConvolution = largest;
    }

    /// <summary>Images → representation (width <see cref="RepresentationDimension"/>).</summary>
    public Sequential Backbone { get; }

    /// <summary>Representation → projection (width <see cref="ProjectionDimension"/>).</summary>
    public Sequential Head { get; }

    /// <summary>The backbone followed by the head: what the contrastive loss trains.</summary>
    public Sequential Network { get; }

    /// <summary>Width of the representation (the last block's channels).</summary>
    public int RepresentationDimension => Backbone.OutputDimension;

    /// <summary>Width of the projection the loss sees.</summary>
    public int ProjectionDimension => Head.OutputDimension;

    /// <summary>The convolution with the most FLOPs per image (the first one among equals), for benchmarks.</summary>
    public Conv2d LargestConvolution { get; }

    /// <summary>Threads of every layer (≤ 0: every processor); results do not depend on it.</summary>
    public int Threads
    {
        get => Network.Threads;
        set => Network.Threads = value;
    }

    /// <summary>
    /// Builds the encoder for <paramref name="input"/>-shaped images. A block is conv 3×3 (padding 1) → batch norm →
    /// ReLU, repeated <paramref name="convolutionsPerBlock"/> times; every block but the last ends in max-pool 2 (skipped
    /// once the image is a single pixel high or wide); global average pooling (or the grid's) follows the last.
    /// </summary>
    /// <param name="input">Shape of an image row.</param>
    /// <param name="channels">Output channels of each block, each ≥ 1; null means <see cref="DefaultChannels"/>.</param>
    /// <param name="projectionDimension">Width of the head's output, ≥ 1; default 128.</param>
    /// <param name="seed">Seed of the initialisation; layer i draws from seed + i.</param>
    /// <param name="threads">Threads of every layer (≤ 0: every processor).</param>
    /// <param name="representationGrid">
    /// Side g of the grid the last feature map is average-pooled to (default 1: global average pooling). With g &gt; 1
    /// the representation keeps coarse layout (which part of the image a feature fired in), C·g² values; the pooling
    /// windows are PyTorch's adaptive average pooling windows when they are evenly spaced, as for 7 × 7 → 2 × 2.
    /// </param>
    /// <param name="convolutionsPerBlock">
    /// Convolution stages of each block, each ≥ 1 and one entry per block; null means one per block. A block of s stages
    /// is (conv 3×3 → batch norm → ReLU) s times, all at the block's width, before its pooling. Stage 0 of block i is
    /// <c>conv{i}</c>/<c>bn{i}</c>, initialised from seed + i as in a one-stage encoder; the k-th extra stage over all
    /// blocks (counted from 0) is <c>conv{i}.{s}</c>/<c>bn{i}.{s}</c> and draws from seed + blocks + 1 + k, so an
    /// encoder of one stage per block is the same whether or not this is given.
    /// </param>
    /// <exception cref="ArgumentException">
    /// No channels, a width below 1, a projection dimension below 1, a grid below 1 or larger than the last feature map,
    /// or stages per block that do not match the blocks or fall below 1.
    /// </exception>
    public static ConvEncoder Create(ImageShape input, IReadOnlyList<int>? channels = null, int projectionDimension = 128, ulong seed = 0, int threads = 0,
        int representationGrid = 1, IReadOnlyList<int>? convolutionsPerBlock = null)
    {
        channels ??= DefaultChannels;
        if (channels.Count == 0) throw new ArgumentException("The encoder needs at least one convolution block.", nameof(channels));
        for (int i = 0; i < channels.Count; i++)
            if (channels[i] < 1) throw new ArgumentOutOfRangeException(nameof(channels), $"Block {i} has {channels[i]} channels; every block needs at least 1.");
        ArgumentOutOfRangeException.ThrowIfLessThan(projectionDimension, 1);
        if (convolutionsPerBlock is not null)
        {
            if (convolutionsPerBlock.Count != channels.Count)
                throw new ArgumentException($"{convolutionsPerBlock.Count} stage counts were given for {channels.Count} blocks; give one per block.", nameof(convolutionsPerBlock));
            for (int i = 0; i < convolutionsPerBlock.Count; i++)
                if (convolutionsPerBlock[i] < 1)
                    throw new ArgumentOutOfRangeException(nameof(convolutionsPerBlock), $"Block {i} has {convolutionsPerBlock[i]} convolutions; every block needs at least 1.");
        }

        var layers = new List<INetwork>();
        Conv2d? largest = null;
        ImageShape shape = input;
        ulong extraSeed = seed + (ulong)channels.Count + 1;
        for (int i = 0; i < channels.Count; i++)
        {
            int stages = convolutionsPerBlock?[i] ?? 1;
            for (int s = 0; s < stages; s++)
            {
                string suffix = s == 0 ? $"{i}" : $"{i}.{s}";
                ulong convSeed = s == 0 ? seed + (ulong)i : extraSeed++;
                var conv = new Conv2d(shape, channels[i], 3, padding: 1, seed: convSeed, name: $"conv{suffix}");
                layers.Add(conv);
                if (largest is null || conv.FlopsPerImage > largest.FlopsPerImage) largest = conv;
                shape = conv.OutputShape;
                // Every stage, the last included, normalises before its ReLU: without it channels of the last
                // convolution can stay below zero for every image and die (seen as zero feature variance in SimCLR).
                layers.Add(new BatchNorm(shape, name: $"bn{suffix}"));
                layers.Add(new Relu(shape.Size));
            }
            bool last = i == channels.Count - 1;
            if (!last && shape.Height >= 2 && shape.Width >= 2)
            {
                var pool = new MaxPool2d(shape, 2);
                layers.Add(pool);
                shape = pool.OutputShape;
            }
        }
        int representation = shape.Channels;
        if (representationGrid == 1)
            layers.Add(new GlobalAvgPool2d(shape));
        else
        {
            var pool = GridPool(shape, representationGrid);
            layers.Add(pool);
            representation = pool.OutputDimension;
        }
        var backbone = new Sequential([.. layers]);
        var head = ProjectionHead.Create(representation, shape.Channels, projectionDimension, seed + (ulong)channels.Count);
        return new ConvEncoder(backbone, head, largest!) { Threads = threads };
    }

    /// <summary>
    /// Average pooling of an H × W map to g × g: windows of side ⌈H / g⌉ moved so that the first starts at the top and
    /// the last ends at the bottom (overlapping by a row when H is not a multiple of g, as PyTorch's adaptive pooling).
    /// </summary>
    private static AvgPool2d GridPool(ImageShape shape, int representationGrid)
    {
        int grid = representationGrid;
        int side = Math.Min(shape.Height, shape.Width);
        if (grid < 1 || grid > side)
            throw new ArgumentOutOfRangeException(nameof(representationGrid), grid, $"The representation grid must lie in 1 … {side}, the last feature map's side.");
        if (shape.Height != shape.Width)
            throw new ArgumentException($"A representation grid above 1 needs a square last feature map, not {shape.Height} × {shape.Width}.", nameof(representationGrid));
        int kernel = (side + grid - 1) / grid;
        int stride = grid == 1 ? kernel : (side - kernel) / (grid - 1);
        if (stride < 1 || (side - kernel) % (grid - 1) != 0)
            throw new ArgumentException($"A {side} × {side} map cannot be pooled to {grid} × {grid} by evenly spaced windows.", nameof(representationGrid));
        return new AvgPool2d(shape, kernel, stride);
    }

    /// <summary>
    /// The representations of <paramref name="rows"/> images (inference mode: batch normalisation uses its running
    /// statistics), computed <paramref name="batchSize"/> rows at a time so that memory stays bounded.
    /// </summary>
    /// <exception cref="ArgumentException">The spans are too short or the batch size is below 1.</exception>
    public void Encode(ReadOnlySpan<float> images, int rows, Span<float> representation, int batchSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int inDim = Backbone.InputDimension, outDim = RepresentationDimension;
        if (images.Length < (long)rows * inDim)
            throw new ArgumentException($"The images hold {images.Length} values; {rows} rows of width {inDim} need {(long)rows * inDim}.", nameof(images));
        if (representation.Length < (long)rows * outDim)
            throw new ArgumentException($"The representation holds {representation.Length} values; {rows} rows of width {outDim} need {(long)rows * outDim}.", nameof(representation));
        for (int start = 0; start < rows; start += batchSize)
        {
            int count = Math.Min(batchSize, rows - start);
            Backbone.Forward(images.Slice(start * inDim, count * inDim), count, representation.Slice(start * outDim, count * outDim), training: false);
        }
    }
}
