using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Reflection;
using ContrastiveNE.Cli.Commands;
using ContrastiveNE.Embedding;

namespace ContrastiveNE.Cli;

/// <summary>
/// The <c>cne</c> command tree and the one place that turns failures into a single line on standard error and an
/// exit code (<see cref="ExitCodes"/>). <see cref="RunAsync"/> takes its writers and token as parameters so tests
/// can run the whole CLI in-process.
/// </summary>
internal static class CneApp
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool errorIsTerminal, CancellationToken cancellationToken)
    {
        var context = new CliContext(output, error, errorIsTerminal, cancellationToken);
        var root = BuildRoot(context);
        ParseResult parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction && parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command;
            string helpHint = command is RootCommand ? "cne --help" : $"cne {command.Name} --help";
            error.WriteLine($"cne: error: {OneLine(Describe(parsed))} (see '{helpHint}')");
            return Task.FromResult(ExitCodes.UsageError);
        }
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            // Program.cs owns Ctrl-C; a second handler here would race it.
            ProcessTerminationTimeout = null,
        };
        return parsed.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("cne: contrastive neighbour embeddings (t-SNE-like to UMAP-like 2-D maps) from the command line.");
        foreach (var command in CommandCatalog.Create(context))
            root.Subcommands.Add(command);
        // The built-in action reports the entry assembly's version, which is the test host's when run in-process.
        foreach (var option in root.Options)
            if (option is VersionOption version) version.Action = new PrintVersionAction();
        return root;
    }

    /// <summary>The most useful of the parse errors, as one message.</summary>
    private static string Describe(ParseResult parsed)
    {
        // An unknown word also makes its command "not provided"; the unknown word is what the user needs to see.
        foreach (var candidate in parsed.Errors)
            foreach (string token in parsed.UnmatchedTokens)
                if (candidate.Message.Contains(token, StringComparison.Ordinal)) return candidate.Message;
        var error = parsed.Errors[0];
        if (error.Message.StartsWith("Required argument missing", StringComparison.Ordinal))
        {
            var command = parsed.CommandResult.Command;
            var missing = command.Arguments.Where(a => parsed.GetResult(a) is not { Tokens.Count: > 0 }).Select(a => a.Name).ToList();
            if (missing.Count > 0)
                return $"missing argument {string.Join(", ", missing)} of 'cne {command.Name}'.";
        }
        return error.Message;
    }

    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            string version = typeof(CneApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            // Drop the "+commit" suffix the SDK appends.
            int plus = version.IndexOf('+');
            parseResult.InvocationConfiguration.Output.WriteLine(plus < 0 ? version : version[..plus]);
            return ExitCodes.Success;
        }
    }

    /// <summary>
    /// Runs a command body and maps its failure to one line and an exit code: usage problems → 2, anything about
    /// the data or files → 1, Ctrl-C → 130. No stack trace reaches the user (set CNE_DEBUG=1 to see one).
    /// </summary>
    public static int Guard(CliContext context, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (CliUsageException e)
        {
            return Fail(context, e, ExitCodes.UsageError, e.Message);
        }
        catch (OperationCanceledException e) when (context.CancellationToken.IsCancellationRequested)
        {
            return Fail(context, e, ExitCodes.Cancelled, "cancelled; no output was written.");
        }
        catch (FileNotFoundException e)
        {
            return Fail(context, e, ExitCodes.DataError, $"{e.FileName ?? "file"}: file not found.");
        }
        catch (DirectoryNotFoundException e)
        {
            return Fail(context, e, ExitCodes.DataError, e.Message);
        }
        catch (NonFiniteTrainingException e)
        {
            return Fail(context, e, ExitCodes.DataError, $"training diverged in epoch {e.Epoch + 1} ({e.Message}); try a smaller --lr or keep --clip on.");
        }
        catch (ArgumentException e)
        {
            return Fail(context, e, ExitCodes.DataError, CleanMessage(e));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException or ArithmeticException or NotSupportedException)
        {
            return Fail(context, e, ExitCodes.DataError, e.Message);
        }
    }

    private static int Fail(CliContext context, Exception exception, int code, string message)
    {
        context.Error.WriteLine($"cne: error: {OneLine(message)}");
        if (Environment.GetEnvironmentVariable("CNE_DEBUG") == "1")
            context.Error.WriteLine(exception.ToString());
        return code;
    }

    /// <summary>An argument exception's message without the runtime's " (Parameter 'x')" and "Actual value was" additions.</summary>
    internal static string CleanMessage(ArgumentException e)
    {
        string message = e.Message;
        if (e.ParamName is { } name) message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        int actual = message.IndexOf("Actual value was", StringComparison.Ordinal);
        if (actual >= 0) message = message[..actual];
        return OneLine(message);
    }

    /// <summary>Collapses a message to one line (some parser messages list choices on separate lines).</summary>
    internal static string OneLine(string message)
    {
        var parts = message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(' ', parts);
    }
}
