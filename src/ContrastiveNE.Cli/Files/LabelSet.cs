using System.Globalization;
using ContrastiveNE.Plotting;

namespace ContrastiveNE.Cli.Files;

/// <summary>
/// Class labels as dense codes 0 … <see cref="ClassCount"/> − 1 (what the metrics and the plot colours use) plus a
/// display name per code. Numeric labels keep their numeric order; text labels are ordered ordinally.
/// </summary>
internal sealed class LabelSet
{
    private LabelSet(int[] codes, string[] names)
    {
        Codes = codes;
        Names = names;
    }

    /// <summary>The code of every point.</summary>
    public int[] Codes { get; }

    /// <summary>The display name of every code.</summary>
    public string[] Names { get; }

    /// <summary>Number of distinct classes.</summary>
    public int ClassCount => Names.Length;

    /// <summary>Number of points.</summary>
    public int Count => Codes.Length;

    /// <summary>The labels as the plotting package takes them (null stays null).</summary>
    public static implicit operator ClassLabels?(LabelSet? labels) => labels is null ? null : new ClassLabels(labels.Codes, labels.Names);

    /// <summary>Labels already coded 0 … names.Length − 1.</summary>
    public static LabelSet FromCodes(int[] codes, IReadOnlyList<string> names) => new(codes, [.. names]);

    /// <summary>Labels given as numbers (a .npy file or a numeric column).</summary>
    public static LabelSet FromNumbers(IReadOnlyList<double> values)
    {
        var distinct = values.Distinct().Order().ToArray();
        var codeOf = new Dictionary<double, int>(distinct.Length);
        for (int i = 0; i < distinct.Length; i++) codeOf[distinct[i]] = i;
        var codes = new int[values.Count];
        for (int i = 0; i < codes.Length; i++) codes[i] = codeOf[values[i]];
        return new LabelSet(codes, distinct.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>Labels given as text; all-numeric text is treated as numbers.</summary>
    public static LabelSet FromStrings(IReadOnlyList<string> values)
    {
        var numbers = new double[values.Count];
        bool numeric = true;
        for (int i = 0; i < values.Count && numeric; i++)
            numeric = double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) && double.IsFinite(numbers[i]);
        if (numeric) return FromNumbers(numbers);
        var distinct = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var codeOf = new Dictionary<string, int>(distinct.Length, StringComparer.Ordinal);
        for (int i = 0; i < distinct.Length; i++) codeOf[distinct[i]] = i;
        var codes = new int[values.Count];
        for (int i = 0; i < codes.Length; i++) codes[i] = codeOf[values[i]];
        return new LabelSet(codes, distinct);
    }

    /// <summary>
    /// The same codes with display names from a file of one name per line: line i names the i-th smallest label.
    /// </summary>
    /// <exception cref="InvalidDataException">The file has fewer names than there are classes.</exception>
    public LabelSet WithNamesFrom(string path)
    {
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        if (lines.Count < ClassCount)
            throw new InvalidDataException($"{path}: {lines.Count} names for {ClassCount} classes; expected one name per line for each label value, in increasing label order.");
        return new LabelSet(Codes, lines.Take(ClassCount).ToArray());
    }
}
