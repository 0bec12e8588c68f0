using ContrastiveNE.Augmentations;
using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Training;

/// <summary>
/// Positive pairs from augmentations (SimCLR): every epoch visits the images in a fresh random order, cut into
/// batches of b items, and each item yields two independent random augmentations, its head (row i of
/// <see cref="PairBatch.Inputs"/>) and its tail (row b + i). Batches differ in size by at most one, so no batch is a
/// tiny remainder.
/// </summary>
/// <remarks>
/// Every random choice is seeded per epoch and item: the order of epoch e from one stream, view v ∈ {0, 1} of item i
/// in epoch e from its own stream. Batches therefore hold the same rows at any thread count and in any order of
/// requests, and augmentation runs in parallel over the 2b views.
/// </remarks>
public sealed class AugmentationPairSource : IPairSource
{
    private readonly Matrix _images;
    private readonly IImageAugmentation _augmentation;
    private readonly ulong _seed;
    private readonly int[] _order;
    private int _orderEpoch = -1;
    private float[] _scratch = [];

    /// <summary>Creates the source.</summary>
    /// <param name="images">The images, one per row (C × H × W values, channel-major); not copied, so keep it unchanged.</param>
    /// <param name="shape">Layout of a row; its size must equal the number of columns.</param>
    /// <param name="augmentation">The random transformation applied to each view (e.g. <see cref="AugmentationPipeline.SimClr"/>).</param>
    /// <param name="batchSize">Pairs per batch b, ≥ 1 (the last batches of an epoch may hold one fewer).</param>
    /// <param name="seed">Seed of the order and of every augmentation.</param>
    /// <param name="threads">Threads for augmenting (≤ 0: every processor); the batches do not depend on it.</param>
    /// <exception cref="ArgumentException">No rows, a row width other than <paramref name="shape"/>.Size, a non-finite value, or a batch size below 1.</exception>
    public AugmentationPairSource(Matrix images, ImageShape shape, IImageAugmentation augmentation, int batchSize, ulong seed = 0, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(augmentation);
        if (images.Rows < 1) throw new ArgumentException("The image matrix has no rows.", nameof(images));
        if (images.Columns != shape.Size)
            throw new ArgumentException($"The images have {images.Columns} columns, but a {shape} image has {shape.Size} values.", nameof(shape));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        images.EnsureFinite(nameof(images));
        _images = images;
        _augmentation = augmentation;
        _seed = seed;
        Shape = shape;
        Threads = threads;
        BatchesPerEpoch = (images.Rows + batchSize - 1) / batchSize;
        MaxBatchSize = (images.Rows + BatchesPerEpoch - 1) / BatchesPerEpoch;
        _order = new int[images.Rows];
    }

    /// <summary>Layout of an image row.</summary>
    public ImageShape Shape { get; }

    /// <summary>Number of images (items).</summary>
    public int Count => _images.Rows;

    /// <summary>Threads for augmenting (≤ 0: every processor).</summary>
    public int Threads { get; set; }

    /// <summary>Number of batches in one epoch, ⌈n / b⌉.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The largest number of pairs a batch holds.</summary>
    public int MaxBatchSize { get; }

    /// <summary>
    /// Fills <paramref name="batch"/> with batch <paramref name="index"/> of epoch <paramref name="epoch"/>: its
    /// <see cref="PairBatch.Inputs"/> (reused when large enough) receive the 2b augmented rows and
    /// <see cref="PairBatch.Items"/> is cleared.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative epoch or an index outside [0, <see cref="BatchesPerEpoch"/>).</exception>
    public void Fill(int epoch, int index, PairBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchesPerEpoch);
        if (_orderEpoch != epoch) Reorder(epoch);

        // Batch i takes positions ⌊i·n/B⌋ … ⌊(i+1)·n/B⌋ − 1 of the epoch's order: sizes differ by at most one.
        int n = Count, start = (int)((long)index * n / BatchesPerEpoch), end = (int)((long)(index + 1) * n / BatchesPerEpoch);
        int b = end - start, width = Shape.Size;
        float[] inputs = batch.Inputs is { } existing && existing.Length >= 2 * MaxBatchSize * width
            ? existing : new float[2 * MaxBatchSize * width];
        if (_scratch.Length < 2 * MaxBatchSize * width) _scratch = new float[2 * MaxBatchSize * width];
        batch.Size = b;
        batch.Items = null;
        batch.Inputs = inputs;
        batch.InputWidth = width;

        float[] scratch = _scratch;
        Parallelism.For(2 * b, Threads, row =>
        {
            int view = row < b ? 0 : 1, item = _order[start + row - view * b];
            var random = Xoshiro256.Create(_seed, ViewStream(epoch, item, view));
            Span<float> target = inputs.AsSpan(row * width, width);
            _images.Row(item).CopyTo(target);
            _augmentation.Apply(target, Shape, scratch.AsSpan(row * width, width), ref random);
        });
    }

    /// <summary>The items of batch <paramref name="index"/> of <paramref name="epoch"/>, in row order (heads; tails repeat them).</summary>
    public ReadOnlySpan<int> ItemsOf(int epoch, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchesPerEpoch);
        if (_orderEpoch != epoch) Reorder(epoch);
        int n = Count, start = (int)((long)index * n / BatchesPerEpoch), end = (int)((long)(index + 1) * n / BatchesPerEpoch);
        return _order.AsSpan(start, end - start);
    }

    private void Reorder(int epoch)
    {
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        // The order streams count down from the top of the stream space; view streams (below) stay under 2⁶⁴ − 2³³.
        var random = Xoshiro256.Create(_seed, ulong.MaxValue - (ulong)epoch);
        random.Shuffle(_order.AsSpan());
        _orderEpoch = epoch;
    }

    private static ulong ViewStream(int epoch, int item, int view) =>
        ((ulong)(uint)epoch << 33) | ((ulong)(uint)item << 1) | (uint)view;
}
