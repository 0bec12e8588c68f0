namespace ContrastiveNE.Embedding;

/// <summary>The phases of <see cref="Cne.Fit(Data.Matrix, Data.Matrix?, IProgress{FitReport}?, Action{int, Data.Matrix}?, CancellationToken)"/>, in the order they run.</summary>
public enum FitPhase
{
    /// <summary>The kNN search (with its PCA projection where <see cref="CneOptions.KnnPcaComponents"/> asks) and, for the FFT engine, the affinities.</summary>
    Neighbors = 0,

    /// <summary>The starting positions: PCA, a copy of the given ones, seeded noise, or a parametric network's initial weights.</summary>
    Initialization = 1,

    /// <summary>The training epochs.</summary>
    Epochs = 2,
}
