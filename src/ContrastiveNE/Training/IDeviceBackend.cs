using ContrastiveNE.Embedding;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Training;

/// <summary>
/// The hook through which an accelerator backend (the <c>ContrastiveNE.Gpu</c> assembly) takes over training, so
/// that this core library needs no reference to it. Register one with <see cref="DeviceBackends.Register"/>.
/// </summary>
public interface IDeviceBackend
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
}
