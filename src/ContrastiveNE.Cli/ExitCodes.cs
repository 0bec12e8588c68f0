namespace ContrastiveNE.Cli;

/// <summary>The process exit codes of <c>cne</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command succeeded.</summary>
    public const int Success = 0;

    /// <summary>Something about the data: a missing or unreadable file, bad contents, data the method cannot use.</summary>
    public const int DataError = 1;

    /// <summary>The command line itself: unknown or malformed option, missing argument, unusable option value.</summary>
    public const int UsageError = 2;

    /// <summary>Interrupted by Ctrl-C (the shell convention 128 + SIGINT).</summary>
    public const int Cancelled = 130;
}
