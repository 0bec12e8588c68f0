namespace ContrastiveNE.Embedding;

/// <summary>Progress after one epoch.</summary>
/// <param name="Epoch">0-based epoch number, counted over the fit and every later Optimize call.</param>
/// <param name="MeanLoss">Mean of the epoch's batch losses.</param>
/// <param name="LearningRate">The learning rate used in the epoch.</param>
/// <param name="Spectrum">The spectrum value in force: neg_spec c (neg) or ρ (InfoNCE); NaN where none applies.</param>
public readonly record struct EpochReport(int Epoch, double MeanLoss, double LearningRate, double Spectrum);
