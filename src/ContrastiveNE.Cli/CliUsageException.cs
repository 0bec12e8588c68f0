namespace ContrastiveNE.Cli;

/// <summary>
/// A usage error found after parsing (an option value that parses but cannot be used, e.g. an output extension
/// the command cannot write). The CLI prints the message and exits with code 2.
/// </summary>
internal sealed class CliUsageException(string message) : Exception(message);
