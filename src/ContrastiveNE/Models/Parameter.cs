namespace ContrastiveNE.Models;

/// <summary>
/// One trainable tensor of a model, stored flat: its values and the gradient the last backward pass accumulated.
/// The trainer zeroes <see cref="Gradient"/> before each batch, clips it, and lets the optimiser update
/// <see cref="Value"/>.
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a parameter over <paramref name="value"/> (not copied) with a zero gradient.</summary>
    public Parameter(string name, float[] value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
        Gradient = new float[value.Length];
    }

    /// <summary>A name for diagnostics and saved models, e.g. <c>layer0.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The values, updated in place by the optimiser.</summary>
    public float[] Value { get; }

    /// <summary>The accumulated gradient of the loss with respect to <see cref="Value"/>.</summary>
    public float[] Gradient { get; }

    /// <summary>Number of values.</summary>
    public int Length => Value.Length;
}
