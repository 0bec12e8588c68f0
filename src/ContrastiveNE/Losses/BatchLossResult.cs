namespace ContrastiveNE.Losses;

/// <summary>What one batch's loss evaluation returns besides the feature gradient.</summary>
/// <param name="Loss">The aggregated batch loss.</param>
/// <param name="LogZGradient">dℓ/d log Z (NCE; zero otherwise).</param>
/// <param name="LogTemperatureGradient">dℓ/d log τ (cosine similarity; zero otherwise).</param>
/// <param name="Negatives">The number m of negatives each head used.</param>
internal readonly record struct BatchLossResult(double Loss, double LogZGradient, double LogTemperatureGradient, int Negatives);
