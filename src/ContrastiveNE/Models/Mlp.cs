namespace ContrastiveNE.Models;

/// <summary>The fully connected network of parametric embeddings (docs/method.md §1.3): linear layers with ReLU between them.</summary>
public static class Mlp
{
    /// <summary>The hidden widths of the reference network: D → 100 → 100 → 100 → d.</summary>
    public static IReadOnlyList<int> DefaultHidden { get; } = [100, 100, 100];

    /// <summary>
    /// Creates D → hidden… → d with a ReLU after every hidden layer and a linear output, initialised as PyTorch does
    /// (uniform in ±1/√fan_in). Layer i is named <c>layer{i}</c> and draws from random stream i of <paramref name="seed"/>.
    /// </summary>
    /// <param name="inputDimension">Width D of a data row, ≥ 1.</param>
    /// <param name="hidden">Hidden widths, each ≥ 1 (may be empty: a single linear map); null means <see cref="DefaultHidden"/>.</param>
    /// <param name="outputDimension">Embedding dimension d, ≥ 1.</param>
    /// <param name="seed">Seed of the initialisation.</param>
    /// <param name="threads">Threads of every layer (≤ 0: every processor).</param>
    public static Sequential Create(int inputDimension, IReadOnlyList<int>? hidden, int outputDimension, ulong seed, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputDimension, 1);
        hidden ??= DefaultHidden;
        for (int i = 0; i < hidden.Count; i++)
            if (hidden[i] < 1) throw new ArgumentOutOfRangeException(nameof(hidden), $"Hidden layer {i} has width {hidden[i]}; every width must be at least 1.");

        var layers = new List<INetwork>();
        int width = inputDimension;
        for (int i = 0; i <= hidden.Count; i++)
        {
            int next = i < hidden.Count ? hidden[i] : outputDimension;
            layers.Add(new Linear(width, next, seed, (ulong)i, $"layer{i}"));
            if (i < hidden.Count) layers.Add(new Relu(next));
            width = next;
        }
        return new Sequential([.. layers]) { Threads = threads };
    }
}
