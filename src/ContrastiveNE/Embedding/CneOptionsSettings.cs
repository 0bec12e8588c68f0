using System.Globalization;
using System.Reflection;

namespace ContrastiveNE.Embedding;

/// <summary>
/// <see cref="CneOptions"/> as the key–value settings of a saved model: every settable option under its property
/// name, written invariantly (enums by name, numbers round-trip, lists comma-separated, null as the empty string).
/// Reflection keeps this in step with the options type without a second list of option names; it runs once per save
/// or load, never in training.
/// </summary>
internal static class CneOptionsSettings
{
    private static readonly PropertyInfo[] Properties =
        [.. typeof(CneOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal)];

    public static IEnumerable<KeyValuePair<string, string>> ToSettings(CneOptions options)
    {
        foreach (var property in Properties)
            yield return new(property.Name, Format(property.GetValue(options)));
    }

    /// <summary>Options from saved settings: unknown keys are ignored (a newer writer), missing keys keep their defaults.</summary>
    /// <exception cref="InvalidDataException">A value cannot be parsed or the options do not validate.</exception>
    public static CneOptions FromSettings(IReadOnlyList<KeyValuePair<string, string>> settings, string path, string kind = "Model file")
    {
        var options = new CneOptions();
        foreach (var (key, text) in settings)
        {
            var property = Array.Find(Properties, p => p.Name == key);
            if (property is null) continue;
            try
            {
                property.SetValue(options, Parse(property.PropertyType, text));
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                throw new InvalidDataException($"{kind} '{path}': setting {key} = '{text}' cannot be read as {property.PropertyType.Name}.", e);
            }
        }
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{kind} '{path}' holds invalid options: {e.Message}", e);
        }
        return options;
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IReadOnlyList<int> list => string.Join(",", list.Select(v => v.ToString(CultureInfo.InvariantCulture))),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static object? Parse(Type type, string text)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying != null)
        {
            if (text.Length == 0) return null;
            type = underlying;
        }
        if (type == typeof(double)) return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (type == typeof(int)) return int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
        if (type == typeof(bool)) return bool.Parse(text);
        if (type.IsEnum)
        {
            var value = Enum.Parse(type, text, ignoreCase: false);
            if (!Enum.IsDefined(type, value)) throw new FormatException($"'{text}' is not a {type.Name}.");
            return value;
        }
        if (type == typeof(IReadOnlyList<int>))
            return text.Length == 0 ? Array.Empty<int>() : text.Split(',').Select(v => int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();
        throw new FormatException($"Options of type {type.Name} cannot be stored in a model file.");
    }
}
