using System.Diagnostics;

namespace ContrastiveNE.Plotting.Tests;

/// <summary>
/// The page's script (src/ContrastiveNE.Plotting/Html/map.js) type-checked by TypeScript 5.9.3 (checkJs, strict,
/// noUnusedLocals) against the DOM and WebGL 2 declarations; its JSDoc annotations are the types. TypeScript comes from
/// the npm registry through tests/ContrastiveNE.Plotting.Tests/js/package-lock.json (npm ci on first use, needs node
/// and npm: .ci/run installs them).
/// </summary>
public class MapScriptTests
{
    private static readonly Lazy<string> Tools = new(Install);

    [Fact]
    public void MapScript_TypeChecks()
    {
        var (code, text) = Tsc("-p", Path.Combine(Tools.Value, "tsconfig.json"));
        Assert.True(code == 0, $"tsc found problems in map.js:\n{text}");
    }

    [Fact]
    public void TypeCheck_CatchesAPlantedError()
    {
        // The same settings on a copy of map.js with one wrongly typed line: the check must fail, or it checks nothing.
        string folder = Directory.CreateTempSubdirectory("cne-tsc-").FullName;
        try
        {
            string script = Path.Combine(folder, "map.js");
            File.WriteAllText(script, File.ReadAllText(MapScriptPath()) + "\n/** @type {number} */\nvar plantedError = 'not a number';\n");
            File.WriteAllText(Path.Combine(folder, "tsconfig.json"),
                $$"""{ "extends": "{{Path.Combine(Tools.Value, "tsconfig.json").Replace("\\", "/")}}", "files": ["map.js"] }""");
            var (code, text) = Tsc("-p", Path.Combine(folder, "tsconfig.json"));
            Assert.NotEqual(0, code);
            Assert.Contains("TS2322", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ContrastiveNE.sln"))) return dir.FullName;
        throw new InvalidOperationException("ContrastiveNE.sln not found above the test binaries.");
    }

    private static string MapScriptPath() => Path.Combine(RepositoryRoot(), "src", "ContrastiveNE.Plotting", "Html", "map.js");

    /// <summary>The js folder with TypeScript installed (npm ci from the lock file when it is missing).</summary>
    private static string Install()
    {
        string js = Path.Combine(RepositoryRoot(), "tests", "ContrastiveNE.Plotting.Tests", "js");
        if (!File.Exists(Path.Combine(js, "node_modules", "typescript", "bin", "tsc")))
        {
            var (code, text) = Run("npm", js, 300, "ci", "--no-audit", "--no-fund");
            if (code != 0) throw new InvalidOperationException($"npm ci in {js} failed ({code}); the type check needs node, npm and the npm registry:\n{text}");
        }
        return js;
    }

    private static (int Code, string Text) Tsc(params string[] arguments) =>
        Run("node", Tools.Value, 180, [Path.Combine(Tools.Value, "node_modules", "typescript", "bin", "tsc"), .. arguments]);

    private static (int Code, string Text) Run(string program, string folder, int timeoutSeconds, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran past {timeoutSeconds} s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
