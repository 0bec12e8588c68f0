using System.CommandLine;

namespace ContrastiveNE.Cli.Options;

/// <summary>
/// An option whose value is one word from a fixed list, turned into a library enum here at the edge. The words
/// (not the enum names) are what help shows and what the error message lists.
/// </summary>
internal sealed class ChoiceOption<T>
{
    private readonly IReadOnlyDictionary<string, T> _choices;

    /// <summary>Creates the option; <paramref name="defaultWord"/> must be one of the words.</summary>
    public ChoiceOption(string name, string defaultWord, string description, IReadOnlyDictionary<string, T> choices)
    {
        _choices = choices;
        string words = string.Join("|", choices.Keys);
        Option = new Option<string>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultWord,
            HelpName = words,
        };
        Option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            string given = result.Tokens[^1].Value;
            if (!_choices.ContainsKey(given.ToLowerInvariant()))
                result.AddError($"{name}: expected one of {string.Join(", ", _choices.Keys)}; got '{given}'.");
        });
    }

    /// <summary>The underlying parser option (add it to a command).</summary>
    public Option<string> Option { get; }

    /// <summary>The chosen value.</summary>
    public T Get(ParseResult parsed) => _choices[parsed.GetValue(Option)!.ToLowerInvariant()];
}
