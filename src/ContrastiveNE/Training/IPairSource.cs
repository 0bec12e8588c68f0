using ContrastiveNE.Models;

namespace ContrastiveNE.Training;

/// <summary>
/// Where positive pairs come from: kNN edges, augmentations, anything that fills a <see cref="PairBatch"/>.
/// A source is deterministic given its seed: the batch for (epoch, index) is always the same.
/// </summary>
public interface IPairSource
{
    /// <summary>Number of batches in one epoch.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>The largest number of pairs a batch can hold.</summary>
    int MaxBatchSize { get; }

    /// <summary>
    /// Fills <paramref name="batch"/> with batch <paramref name="index"/> of epoch <paramref name="epoch"/>.
    /// Batches of an epoch are requested in order 0, 1, …, so a source may prepare the epoch on its first batch.
    /// </summary>
    void Fill(int epoch, int index, PairBatch batch);
}
