using System.Diagnostics;
using System.Text.Json;

namespace ContrastiveNE.Bench;

/// <summary>
/// The machine-readable result of one scenario: printed as one JSON object per line with the stable keys
/// <c>scenario</c>, <c>n</c>, <c>threads</c>, <c>seconds</c>, <c>phases</c> and the scenario's figures.
/// </summary>
public sealed class BenchResult
{
    private readonly List<(string Name, double Seconds)> _phases = [];
    private readonly List<(string Key, object Value)> _figures = [];

    /// <summary>Rows used.</summary>
    public int N { get; set; }

    /// <summary>Times <paramref name="action"/> as phase <paramref name="name"/> and returns its value.</summary>
    public T Phase<T>(string name, Func<T> action)
    {
        var sw = Stopwatch.StartNew();
        T value = action();
        AddPhase(name, sw.Elapsed.TotalSeconds);
        return value;
    }

    /// <summary>Times <paramref name="action"/> as phase <paramref name="name"/>.</summary>
    public void Phase(string name, Action action) => Phase<object?>(name, () => { action(); return null; });

    /// <summary>Records a phase measured elsewhere.</summary>
    public void AddPhase(string name, double seconds) => _phases.Add((name, seconds));

    /// <summary>Records a figure (a number, string or bool) under <paramref name="key"/>.</summary>
    public void Set(string key, object value) => _figures.Add((key, value));

    /// <summary>Writes the result as one JSON line.</summary>
    public string ToJson(string scenario, int threads, double seconds)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("scenario", scenario);
            w.WriteNumber("n", N);
            w.WriteNumber("threads", threads);
            w.WriteNumber("seconds", Math.Round(seconds, 4));
            w.WriteStartObject("phases");
            foreach (var (name, s) in _phases) w.WriteNumber(name, Math.Round(s, 4));
            w.WriteEndObject();
            foreach (var (key, value) in _figures)
            {
                switch (value)
                {
                    case double d: w.WriteNumber(key, Math.Round(d, 6)); break;
                    case float f: w.WriteNumber(key, Math.Round(f, 6)); break;
                    case int i: w.WriteNumber(key, i); break;
                    case long l: w.WriteNumber(key, l); break;
                    case bool b: w.WriteBoolean(key, b); break;
                    default: w.WriteString(key, value.ToString()); break;
                }
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
