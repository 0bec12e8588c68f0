using System.Globalization;

namespace ContrastiveNE.Bench;

/// <summary>Command-line arguments shared by every scenario.</summary>
public sealed class BenchArgs
{
    /// <summary>Rows of the data set to use (first n); null = scenario default.</summary>
    public int? N { get; private set; }

    /// <summary>Thread count (≤ 0 = all processors).</summary>
    public int Threads { get; private set; } = 2;

    /// <summary>Epochs for training scenarios; null = scenario default.</summary>
    public int? Epochs { get; private set; }

    /// <summary>Seed.</summary>
    public int Seed { get; private set; }

    /// <summary>Where to write the scenario's result as .npy, if anywhere.</summary>
    public string? Out { get; private set; }

    /// <summary>Folder holding the full data sets (<c>--data DIR</c>); null: <c>CNE_DATA</c>, then <c>../shared/data</c> (see <see cref="BenchData"/>).</summary>
    public string? DataDirectory { get; private set; }

    /// <summary>Device name for scenarios that support a GPU (cpu, gpu, auto).</summary>
    public string Device { get; private set; } = "cpu";

    /// <summary>Other <c>--key value</c> pairs, for scenario-specific settings.</summary>
    public Dictionary<string, string> Extra { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses <c>--n N --threads T --epochs E --seed S --out PATH --device D --data DIR --key value …</c>.</summary>
    public static BenchArgs Parse(ReadOnlySpan<string> args)
    {
        var result = new BenchArgs();
        for (int i = 0; i < args.Length; i++)
        {
            string key = args[i];
            if (!key.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Expected '--option value', got '{key}'.");
            string value = args[++i];
            switch (key)
            {
                case "--n": result.N = ParseInt(key, value); break;
                case "--threads": result.Threads = ParseInt(key, value); break;
                case "--epochs": result.Epochs = ParseInt(key, value); break;
                case "--seed": result.Seed = ParseInt(key, value); break;
                case "--out": result.Out = value; break;
                case "--device": result.Device = value; break;
                case "--data": result.DataDirectory = value; break;
                default: result.Extra[key[2..]] = value; break;
            }
        }
        return result;
    }

    /// <summary>A scenario-specific integer setting, or <paramref name="fallback"/>.</summary>
    public int GetInt(string key, int fallback) => Extra.TryGetValue(key, out var v) ? ParseInt("--" + key, v) : fallback;

    /// <summary>A scenario-specific number setting, or <paramref name="fallback"/>.</summary>
    public double GetDouble(string key, double fallback) =>
        Extra.TryGetValue(key, out var v)
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new ArgumentException($"--{key}: '{v}' is not a number.")
            : fallback;

    /// <summary>A scenario-specific comma-separated list of integers, such as 16,32,64, or <paramref name="fallback"/>.</summary>
    public IReadOnlyList<int> GetIntList(string key, IReadOnlyList<int> fallback) =>
        Extra.TryGetValue(key, out var v) ? [.. v.Split(',').Select(part => ParseInt("--" + key, part))] : fallback;

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"{key}: '{value}' is not an integer.");
}
