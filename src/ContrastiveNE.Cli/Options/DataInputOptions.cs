using System.CommandLine;
using ContrastiveNE.Cli.Files;

namespace ContrastiveNE.Cli.Options;

/// <summary>
/// Which part of a data file to read: --key (an array of a .npz archive), --obsm and --layer (AnnData). The label
/// column (--label-column) belongs to <see cref="LabelOptions"/>; <see cref="Selection"/> joins them.
/// </summary>
internal sealed class DataInputOptions
{
    /// <summary>Creates the options.</summary>
    public DataInputOptions()
    {
        Key = new Option<string?>("--key") { Description = "The array of a .npz input to read (default: its only array).", HelpName = "NAME" };
        Obsm = new Option<string?>("--obsm") { Description = "AnnData input: read obsm[NAME] (e.g. X_pca) instead of X.", HelpName = "NAME" };
        Layer = new Option<string?>("--layer") { Description = "AnnData input: read layers[NAME] instead of X.", HelpName = "NAME" };
    }

    /// <summary>--key NAME.</summary>
    public Option<string?> Key { get; }

    /// <summary>--obsm NAME.</summary>
    public Option<string?> Obsm { get; }

    /// <summary>--layer NAME.</summary>
    public Option<string?> Layer { get; }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Key);
        command.Options.Add(Obsm);
        command.Options.Add(Layer);
    }

    /// <summary>The selection for this command line, with the label column from <paramref name="labelColumn"/>.</summary>
    public DataSelection Selection(ParseResult parsed, string? labelColumn)
        => new(parsed.GetValue(Key), parsed.GetValue(Obsm), parsed.GetValue(Layer), labelColumn);
}
