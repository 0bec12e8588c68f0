using System.CommandLine;

namespace ContrastiveNE.Cli.Commands;

/// <summary>Every subcommand of <c>cne</c>, in the order help lists them.</summary>
internal static class CommandCatalog
{
    /// <summary>Builds the subcommands bound to <paramref name="context"/>.</summary>
    public static IEnumerable<Command> Create(CliContext context)
    {
        yield return DemoCommand.Create(context);
        yield return EmbedCommand.Create(context);
        yield return TransformCommand.Create(context);
        yield return ExportCommand.Create(context);
        yield return SpectrumCommand.Create(context);
        yield return PlotCommand.Create(context);
        yield return EvaluateCommand.Create(context);
        yield return KnnCommand.Create(context);
    }
}
