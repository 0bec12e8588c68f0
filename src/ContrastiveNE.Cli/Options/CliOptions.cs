using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ContrastiveNE.Cli.Options;

/// <summary>
/// Factories for the options the commands share, with parsers whose error messages name the option and say what
/// is expected (the parser turns them into exit code 2). Defaults are given once here or on the library's options
/// type and show up in every command's help.
/// </summary>
internal static class CliOptions
{
    /// <summary>An integer option with an inclusive range.</summary>
    public static Option<int> Int(string name, int defaultValue, string description, int min = int.MinValue, int max = int.MaxValue)
    {
        var option = new Option<int>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseInt(result, name, min, max, defaultValue),
        };
        return option;
    }

    /// <summary>An integer option without a default (null when not given).</summary>
    public static Option<int?> OptionalInt(string name, string description, int min = int.MinValue, int max = int.MaxValue)
    {
        return new Option<int?>(name)
        {
            Description = description,
            CustomParser = result => ParseInt(result, name, min, max, 0),
        };
    }

    /// <summary>
    /// A finite number option, parsed as a double (so <c>--lr 0.001</c> is 0.001, not float32's 0.0010000000475);
    /// values must be ≥ <paramref name="min"/> (&gt; when <paramref name="minExclusive"/>).
    /// </summary>
    public static Option<double> Double(string name, double defaultValue, string description, double min = double.NegativeInfinity, bool minExclusive = false)
    {
        return new Option<double>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseDouble(result, name, min, minExclusive) ?? defaultValue,
        };
    }

    /// <summary>A finite number option (a double) without a default (null when not given).</summary>
    public static Option<double?> OptionalDouble(string name, string description, double min = double.NegativeInfinity, bool minExclusive = false)
    {
        return new Option<double?>(name)
        {
            Description = description,
            CustomParser = result => ParseDouble(result, name, min, minExclusive),
        };
    }

    /// <summary>A comma-separated list of finite numbers, parsed as doubles (e.g. <c>--s 0,0.5,1</c>).</summary>
    public static Option<double[]> DoubleList(string name, double[] defaultValue, string description) =>
        List(name, defaultValue, description, "numbers", text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null);

    /// <summary>A comma-separated list of integers ≥ <paramref name="min"/> (e.g. <c>--hidden 100,100</c>).</summary>
    public static Option<int[]> IntList(string name, int[] defaultValue, string description, int min = int.MinValue) =>
        List(name, defaultValue, description, min == int.MinValue ? "integers" : $"integers ≥ {min}", text =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min ? v : null);

    private static Option<T[]> List<T>(string name, T[] defaultValue, string description, string what, Func<string, T?> parse) where T : struct
    {
        return new Option<T[]>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var values = new List<T>();
                foreach (var token in result.Tokens)
                {
                    foreach (string part in token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (parse(part) is not { } v)
                        {
                            result.AddError($"{name}: expected a comma-separated list of {what}, got '{token.Value}'.");
                            return defaultValue;
                        }
                        values.Add(v);
                    }
                }
                if (values.Count == 0)
                    result.AddError($"{name}: expected at least one value.");
                return [.. values];
            },
        };
    }

    /// <summary>A flag (no value).</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>A file path option without a default.</summary>
    public static Option<string?> File(string name, string description) => new(name) { Description = description, HelpName = "FILE" };

    /// <summary>
    /// The output path option (<c>-o/--output</c>), required, whose extension must be one of
    /// <paramref name="extensions"/> (a usage error otherwise).
    /// </summary>
    public static Option<string> Output(string description, params string[] extensions)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = $"{description} ({string.Join(", ", extensions)}).",
            Required = true,
            HelpName = "FILE",
        };
        option.Validators.Add(result => ValidateExtension(result, "--output", extensions));
        return option;
    }

    /// <summary>An optional path option whose extension must be one of <paramref name="extensions"/>.</summary>
    public static Option<string?> OutputFile(string name, string description, params string[] extensions)
    {
        var option = new Option<string?>(name) { Description = $"{description} ({string.Join(", ", extensions)}).", HelpName = "FILE" };
        option.Validators.Add(result => ValidateExtension(result, name, extensions));
        return option;
    }

    /// <summary>A required positional file argument whose extension must be one of <paramref name="extensions"/>.</summary>
    public static Argument<string> InputArgument(string name, string description, params string[] extensions)
    {
        var argument = new Argument<string>(name) { Description = $"{description} ({string.Join(", ", extensions)})." };
        argument.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            string path = result.Tokens[^1].Value;
            if (!HasSuffix(path, extensions))
                result.AddError($"{name}: '{path}' has an unsupported extension; expected a file ending in {string.Join(" or ", extensions)}.");
        });
        return argument;
    }

    /// <summary><c>--seed</c>: the one seed every random choice derives from.</summary>
    public static Option<int> Seed() => Int("--seed", 0, "Random seed; the same seed gives the same result at any thread count.", min: 0);

    /// <summary><c>--threads</c>: worker threads, 0 = all cores.</summary>
    public static Option<int> Threads() => Int("--threads", 0, "Worker threads (0 = all cores).", min: 0);

    /// <summary><c>--quiet</c>: no progress or timing lines.</summary>
    public static Option<bool> Quiet() => Flag("--quiet", "Print no progress or timings on standard error.");

    private static void ValidateExtension(OptionResult result, string name, string[] extensions)
    {
        if (result.Tokens.Count == 0) return;
        string path = result.Tokens[^1].Value;
        if (!HasSuffix(path, extensions))
            result.AddError($"{name}: '{path}' has an unsupported extension; expected a file ending in {string.Join(" or ", extensions)}.");
    }

    /// <summary>Whether <paramref name="path"/> ends in one of <paramref name="suffixes"/> (case-insensitive; suffixes such as -idx3-ubyte.gz included).</summary>
    internal static bool HasSuffix(string path, string[] suffixes)
        => suffixes.Any(s => path.EndsWith(s, StringComparison.OrdinalIgnoreCase) && path.Length > s.Length);

    private static int ParseInt(ArgumentResult result, string name, int min, int max, int fallback)
    {
        if (result.Tokens.Count == 0) return fallback;
        string text = result.Tokens[^1].Value;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            result.AddError($"{name}: expected an integer, got '{text}'.");
            return fallback;
        }
        if (value < min || value > max)
        {
            string range = max == int.MaxValue ? $"≥ {min}" : min == int.MinValue ? $"≤ {max}" : $"in [{min}, {max}]";
            result.AddError($"{name}: expected an integer {range}, got {value}.");
            return fallback;
        }
        return value;
    }

    private static double? ParseDouble(ArgumentResult result, string name, double min, bool minExclusive)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[^1].Value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            result.AddError($"{name}: expected a finite number, got '{text}'.");
            return null;
        }
        if (minExclusive ? value <= min : value < min)
        {
            result.AddError($"{name}: expected a number {(minExclusive ? ">" : "≥")} {min.ToString(CultureInfo.InvariantCulture)}, got {text}.");
            return null;
        }
        return value;
    }
}
