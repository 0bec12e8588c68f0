using ContrastiveNE.Embedding;

namespace ContrastiveNE.Training;

/// <summary>
/// A training loop that runs in phases (an early-exaggeration phase, the main phase, later <c>Optimize</c> calls):
/// the CPU's <see cref="ContrastiveTrainer"/>, or a device backend's trainer (<see cref="IDeviceBackend"/>).
/// </summary>
public interface IPhaseTrainer
{
    /// <summary>The loss of every batch of every completed (or cancelled) epoch, in order.</summary>
    IReadOnlyList<float[]> BatchLosses { get; }

    /// <summary>Epochs run so far, over all phases.</summary>
    int EpochsCompleted { get; }

    /// <summary>The current NCE normalisation constant Z.</summary>
    double Z { get; }

    /// <summary>The current temperature τ.</summary>
    double Temperature { get; }

    /// <summary>
    /// Runs one phase of <paramref name="epochs"/> epochs at spectrum value <paramref name="spectrum"/>; false when
    /// cancelled. The model's host-visible state (e.g. the embedding table) is current whenever this returns and
    /// whenever <paramref name="epochCompleted"/> is called.
    /// </summary>
    /// <param name="epochs">Epochs of this phase (the schedule spans them).</param>
    /// <param name="spectrum">neg_spec c or ρ.</param>
    /// <param name="progress">Receives one report per epoch.</param>
    /// <param name="epochCompleted">Called with the global 0-based epoch number after each epoch.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    bool Optimize(int epochs, double spectrum, IProgress<EpochReport>? progress = null, Action<int>? epochCompleted = null,
        CancellationToken cancellationToken = default);
}
