namespace ContrastiveNE.Optimization;

/// <summary>The optimiser that applies the clipped gradients.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with optional momentum and weight decay (PyTorch's SGD).</summary>
    Sgd,

    /// <summary>Adam with β = (0.9, 0.999), ε = 1e-8 (PyTorch's defaults), dense over every parameter.</summary>
    Adam,
}
