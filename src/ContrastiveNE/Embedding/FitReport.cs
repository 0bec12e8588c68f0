namespace ContrastiveNE.Embedding;

/// <summary>
/// Progress of a fit, for every phase (<see cref="Cne.Fit(Data.Matrix, Data.Matrix?, IProgress{FitReport}?, Action{int, Data.Matrix}?, CancellationToken)"/>
/// and <see cref="CneEmbedding.Optimize"/>): the kNN search reports its fraction done (from worker threads, so a
/// handler must be thread-safe), the initialisation its start and end, the epochs their start (fraction 0, naming the
/// device that trains and, when <see cref="ComputeDevice.Auto"/> fell back to the CPU, why) and one report per epoch.
/// Reports are made synchronously on the fitting threads; <see cref="System.Progress{T}"/> would post them to the
/// thread pool instead.
/// </summary>
/// <param name="Phase">The phase running.</param>
/// <param name="Fraction">The fraction of the phase done, 0 … 1 (epochs: of this run's epochs).</param>
/// <param name="Device">Where the phase runs: <see cref="ComputeDevice.Cpu"/> or <see cref="ComputeDevice.Gpu"/>, never Auto.</param>
/// <param name="DeviceName">"CPU", or the GPU's name as its driver reports it.</param>
/// <param name="Epoch">The epoch just finished (epoch reports only; null at the start of a phase and outside the epochs).</param>
/// <param name="DeviceFallback">Why the epochs run on the CPU although <see cref="CneOptions.Device"/> asked for Auto or an engine the GPU lacks; null otherwise.</param>
public readonly record struct FitReport(FitPhase Phase, double Fraction, ComputeDevice Device, string DeviceName, EpochReport? Epoch = null,
    string? DeviceFallback = null)
{
    /// <summary>The <see cref="DeviceName"/> of the CPU.</summary>
    public const string CpuName = "CPU";

    internal static FitReport OnCpu(FitPhase phase, double fraction) => new(phase, fraction, ComputeDevice.Cpu, CpuName);
}
