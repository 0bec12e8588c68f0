using System.Diagnostics;

namespace ContrastiveNE.Cli.Tests.Support;

/// <summary>The outcome of one CLI run.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The single error line the CLI printed (asserts there is exactly one).</summary>
    public string ErrorLine
    {
        get
        {
            var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(lines.Length == 1, $"expected exactly one line on stderr, got:\n{Error}");
            Assert.StartsWith("cne: error: ", lines[0]);
            return lines[0];
        }
    }
}

/// <summary>Runs <c>cne</c> in-process (captured writers) or as a real child process.</summary>
public static class CliRunner
{
    /// <summary>Runs the CLI in-process with captured standard output and error (not a terminal).</summary>
    public static CliResult Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>Runs the CLI in-process with a cancellation token standing in for Ctrl-C.</summary>
    public static CliResult Run(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CneApp.RunAsync(args, output, error, errorIsTerminal: false, cancellationToken).GetAwaiter().GetResult();
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the built <c>cne.dll</c> as a child process through the <c>dotnet</c> host.</summary>
    public static CliResult RunProcess(string workingDirectory, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "cne.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail("cne did not finish within 60 s");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
