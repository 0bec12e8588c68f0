namespace ContrastiveNE.Plotting;

/// <summary>
/// Class labels of the points of a map: a code 0 … <see cref="ClassCount"/> − 1 per point (the colour and the legend
/// entry) and a display name per code.
/// </summary>
public sealed class ClassLabels
{
    /// <summary>Wraps codes and names.</summary>
    /// <param name="codes">The class code of every point, each in 0 … <paramref name="names"/>.Count − 1.</param>
    /// <param name="names">The display name of every code; at least one.</param>
    /// <exception cref="ArgumentException">A code is outside the range of names, or there are no names.</exception>
    public ClassLabels(IReadOnlyList<int> codes, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0) throw new ArgumentException("At least one class name is needed.", nameof(names));
        var copy = new int[codes.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            int code = codes[i];
            if ((uint)code >= (uint)names.Count)
                throw new ArgumentException($"Point {i} has class code {code}; codes must lie in 0 … {names.Count - 1} (one name per code).", nameof(codes));
            copy[i] = code;
        }
        Codes = copy;
        Names = [.. names];
    }

    /// <summary>The class code of every point.</summary>
    public IReadOnlyList<int> Codes { get; }

    /// <summary>The display name of every code.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => Names.Count;

    /// <summary>Number of points.</summary>
    public int Count => Codes.Count;
}
