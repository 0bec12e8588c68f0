using System.CommandLine;
using ContrastiveNE.Cli.Files;

namespace ContrastiveNE.Cli.Options;

/// <summary>The label options shared by the commands that colour or evaluate: --labels, --label-column, --label-names.</summary>
internal sealed class LabelOptions
{
    /// <summary>Creates the options; <paramref name="withColumn"/> adds --label-column (for commands reading data).</summary>
    public LabelOptions(bool withColumn, bool withNames)
    {
        Labels = CliOptions.File("--labels", "Class labels, one per row: a 1-D .npy array or a text file with one label per line.");
        LabelColumn = withColumn ? new Option<string?>("--label-column") { Description = "Column of the input that holds the labels: a .csv/.tsv/.parquet column (header name or 0-based index) or an obs column of a .h5ad (categorical names become the legend).", HelpName = "NAME|INDEX" } : null;
        LabelNames = withNames ? CliOptions.File("--label-names", "Class names for the legend, one per line (line i names the i-th smallest label).") : null;
    }

    /// <summary>--labels FILE.</summary>
    public Option<string?> Labels { get; }

    /// <summary>--label-column NAME|INDEX (null when not offered).</summary>
    public Option<string?>? LabelColumn { get; }

    /// <summary>--label-names FILE (null when not offered).</summary>
    public Option<string?>? LabelNames { get; }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Labels);
        if (LabelColumn is not null) command.Options.Add(LabelColumn);
        if (LabelNames is not null) command.Options.Add(LabelNames);
    }

    /// <summary>The label column asked for, if any.</summary>
    public string? Column(ParseResult parsed) => LabelColumn is null ? null : parsed.GetValue(LabelColumn);

    /// <summary>The labels for <paramref name="rows"/> points (from --labels or the data's label column), with --label-names applied.</summary>
    public LabelSet? Resolve(ParseResult parsed, LabelSet? fromData, int rows, string dataPath)
    {
        var labels = DataFiles.ResolveLabels(parsed.GetValue(Labels), fromData, rows, dataPath);
        string? names = LabelNames is null ? null : parsed.GetValue(LabelNames);
        if (names is null) return labels;
        if (labels is null)
            throw new CliUsageException("--label-names: names need labels; pass --labels FILE or --label-column.");
        DataFiles.EnsureExists(names);
        return labels.WithNamesFrom(names);
    }
}
