namespace ContrastiveNE.Embedding;

/// <summary>
/// An option value that remembers whether it was set: <see cref="CneOptions"/> stores each preset-dependent option
/// as one of these, so that an explicit value wins over the preset's whatever the order of the initialisers.
/// </summary>
/// <typeparam name="T">The option's type.</typeparam>
/// <param name="Value">The value set (meaningless when <paramref name="IsSet"/> is false).</param>
/// <param name="IsSet">Whether the option was set explicitly.</param>
internal readonly record struct Explicit<T>(T Value, bool IsSet)
{
    /// <summary>The explicit value, or <paramref name="fallback"/> (the preset's) when none was set.</summary>
    public T Or(T fallback) => IsSet ? Value : fallback;

    /// <summary>A value set explicitly.</summary>
    public static implicit operator Explicit<T>(T value) => new(value, true);
}
