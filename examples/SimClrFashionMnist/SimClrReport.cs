using ContrastiveNE.Data;

namespace ContrastiveNE.Examples.SimClr;

/// <summary>What one run of <see cref="SimClrExample"/> measured.</summary>
/// <param name="EpochLosses">Mean batch loss of each training epoch.</param>
/// <param name="SecondsPerEpoch">Wall-clock seconds of a training epoch (augmentation, forward, loss, backward, step), averaged; 0 without epochs.</param>
/// <param name="CpuSecondsPerEpoch">Processor seconds of the whole process per training epoch (all threads); on a loaded machine, divided by the thread count, a better guess of the quiet wall time than <paramref name="SecondsPerEpoch"/>.</param>
/// <param name="KnnAccuracy">10-NN accuracy of the held-out rows in the learned representation (backbone output).</param>
/// <param name="KnnAccuracyRandomInit">The same for the untrained encoder (same architecture and seed).</param>
/// <param name="KnnAccuracyPixels">The same on raw pixels.</param>
/// <param name="MinFeatureVariance">Smallest per-dimension variance of the learned representation of the training rows.</param>
/// <param name="MeanFeatureVariance">Mean per-dimension variance of that representation.</param>
/// <param name="Temperature">The temperature at the end of training.</param>
/// <param name="Representation">The learned representation of the training rows (n × representation width).</param>
/// <param name="Map">The 2-D map of the representation, or null when it was skipped.</param>
/// <param name="MapKnnAccuracy">Leave-one-out 10-NN accuracy of the map's training rows, or NaN when it was skipped.</param>
public sealed record SimClrReport(
    double[] EpochLosses,
    double SecondsPerEpoch,
    double CpuSecondsPerEpoch,
    double KnnAccuracy,
    double KnnAccuracyRandomInit,
    double KnnAccuracyPixels,
    double MinFeatureVariance,
    double MeanFeatureVariance,
    double Temperature,
    Matrix Representation,
    Matrix? Map,
    double MapKnnAccuracy);
