using ContrastiveNE.Cli.Progress;

namespace ContrastiveNE.Cli;

/// <summary>
/// What a command talks to: its output writers, whether standard error is a terminal (live progress bars) and the
/// token that Ctrl-C cancels. Tests pass their own writers, which is what makes the CLI runnable in-process.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool errorIsTerminal, CancellationToken cancellationToken)
{
    /// <summary>Standard output: results meant for pipes (JSON figures).</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Standard error: progress, timings, errors.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Whether <see cref="Error"/> is an interactive terminal.</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    /// <summary>Cancelled by Ctrl-C.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>A progress reporter for one command run.</summary>
    public ProgressReporter CreateProgress(bool quiet) => new(Error, ErrorIsTerminal, quiet, CancellationToken);
}
