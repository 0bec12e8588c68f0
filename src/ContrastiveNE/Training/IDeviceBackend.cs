using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Training;

/// <summary>
/// The hook through which an accelerator backend (the <c>ContrastiveNE.Gpu</c> assembly) takes over training, so
/// that this core library needs no reference to it. Register one with <see cref="DeviceBackends.Register"/>.
/// </summary>
internal interface IDeviceBackend
{
    /// <summary>True when the backend's device can be used on this machine (e.g. a CUDA device was found).</summary>
    bool IsAvailable { get; }

    /// <summary>The device's name, for reports.</summary>
    string DeviceName { get; }

    /// <summary>
    /// A trainer for the non-parametric table <paramref name="table"/> on <paramref name="graph"/>'s directed edges,
    /// with every option of <paramref name="options"/> honoured as on the CPU. The trainer writes the positions
    /// back into <paramref name="table"/> (see <see cref="IPhaseTrainer.Optimize"/>).
    /// </summary>
    IPhaseTrainer CreateTrainer(NeighborGraph graph, EmbeddingTable table, CneOptions options);

    /// <summary>
    /// A trainer for the parametric mode: <paramref name="network"/> (read now, its parameters written back after
    /// every epoch) over the rows of <paramref name="data"/>, trained on <paramref name="graph"/>'s directed edges.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="data">n × D input rows.</param>
    /// <param name="graph">The neighbour graph.</param>
    /// <param name="options">The settings.</param>
    /// <param name="embedding">Returns the current embedding for <see cref="NonFiniteTrainingException"/>.</param>
    IPhaseTrainer CreateParametricTrainer(Sequential network, Matrix data, NeighborGraph graph, CneOptions options, Func<Matrix?> embedding);
}
