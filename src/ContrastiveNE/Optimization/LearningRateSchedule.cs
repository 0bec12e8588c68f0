namespace ContrastiveNE.Optimization;

/// <summary>How the learning rate changes over the epochs of one fit, early exaggeration included (docs/method.md §1.4).</summary>
public enum LearningRateSchedule
{
    /// <summary>Constant.</summary>
    None,

    /// <summary>lr · max(min factor, 1 − e/E) (the default).</summary>
    Linear,

    /// <summary>lr · (1 + cos(π e/E)) / 2.</summary>
    Cosine,
}
