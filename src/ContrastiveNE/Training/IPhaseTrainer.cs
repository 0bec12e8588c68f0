using ContrastiveNE.Embedding;

namespace ContrastiveNE.Training;

/// <summary>
/// A training loop: the CPU's <see cref="ContrastiveTrainer"/>, or a device backend's trainer (<see cref="IDeviceBackend"/>).
/// Each <see cref="Optimize"/> call is one run (the reference's <c>fit</c>): one optimiser state and one learning-rate
/// schedule over all its epochs, early exaggeration included; a later call (continuing a finished run) starts both afresh.
/// </summary>
internal interface IPhaseTrainer
{
    /// <summary>The loss of every batch of every completed (or cancelled) epoch, in order.</summary>
    IReadOnlyList<float[]> BatchLosses { get; }

    /// <summary>Epochs run so far, over all runs.</summary>
    int EpochsCompleted { get; }

    /// <summary>The current NCE normalisation constant Z.</summary>
    double Z { get; }

    /// <summary>The current temperature τ.</summary>
    double Temperature { get; }

    /// <summary>
    /// Runs <paramref name="epochs"/> epochs with a fresh optimiser and one learning-rate schedule (warm-up once) over
    /// them, the spectrum value of each epoch taken from <paramref name="spectrum"/>. The model's host-visible state
    /// (e.g. the embedding table) is current whenever this returns or throws and whenever <paramref name="epochCompleted"/>
    /// is called. When <paramref name="cancellationToken"/> is cancelled before the last batch, the finished batches
    /// are recorded and <see cref="OperationCanceledException"/> is thrown (docs/cancellation.md).
    /// </summary>
    /// <param name="epochs">Epochs of this run (the learning-rate schedule spans them).</param>
    /// <param name="spectrum">neg_spec c or ρ of each epoch of the run.</param>
    /// <param name="progress">Receives one report per epoch.</param>
    /// <param name="epochCompleted">Called with the global 0-based epoch number after each epoch.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    void Optimize(int epochs, SpectrumSchedule spectrum, IProgress<EpochReport>? progress = null, Action<int>? epochCompleted = null,
        CancellationToken cancellationToken = default);
}
