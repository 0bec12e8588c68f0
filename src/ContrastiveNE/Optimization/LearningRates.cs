namespace ContrastiveNE.Optimization;

/// <summary>The learning rate of an epoch of one fit (docs/method.md §1.4).</summary>
internal static class LearningRates
{
    /// <summary>
    /// The rate of 0-based epoch <paramref name="epoch"/> of <paramref name="totalEpochs"/>: during the first
    /// <paramref name="warmupEpochs"/> epochs it rises linearly from <paramref name="warmupRate"/> towards
    /// <paramref name="rate"/>; afterwards <paramref name="schedule"/> runs over the remaining epochs.
    /// </summary>
    public static double At(LearningRateSchedule schedule, double rate, double minFactor, int epoch, int totalEpochs,
        int warmupEpochs = 0, double warmupRate = 0)
    {
        if (epoch < warmupEpochs)
            return warmupRate + (rate - warmupRate) * epoch / warmupEpochs;
        int e = epoch - warmupEpochs;
        int span = Math.Max(1, totalEpochs - warmupEpochs);
        return schedule switch
        {
            LearningRateSchedule.None => rate,
            LearningRateSchedule.Linear => rate * Math.Max(minFactor, 1.0 - (double)e / span),
            _ => rate * (1.0 + Math.Cos(Math.PI * e / span)) / 2.0,
        };
    }
}
