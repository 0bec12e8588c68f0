using ContrastiveNE.Cli.Tests.Support;

namespace ContrastiveNE.Cli.Tests;

public class HelpAndVersionTests
{
    [Fact]
    public void RootHelp_ListsEveryCommand()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string command in new[] { "demo", "embed", "transform", "export", "spectrum", "plot", "evaluate", "knn" })
            Assert.Contains($"  {command} ", result.Out);
    }

    [Fact]
    public void KnnHelp_ListsEveryOptionWithItsDefault()
    {
        var result = CliRunner.Run("knn", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"--k <k>\s+Neighbours per point\. \[default: 15\]", result.Out);
        Assert.Contains("[default: auto]", result.Out);
        Assert.Contains("[default: euclidean]", result.Out);
        Assert.Matches(@"--seed .*\[default: 0\]", result.Out);
        Assert.Matches(@"--threads .*\[default: 0\]", result.Out);
    }

    [Fact]
    public void Version_PrintsTheAssemblyVersion()
    {
        var result = CliRunner.Run("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("0.1.0", result.Out.Trim());
    }

    [Fact]
    public void RealProcess_ExitCodesAndStreamsMatchTheInProcessRun()
    {
        using var dir = new TempDir();
        var ok = CliRunner.RunProcess(dir.Path, "--version");
        Assert.Equal(0, ok.ExitCode);
        Assert.StartsWith("0.1.0", ok.Out.Trim());

        var bad = CliRunner.RunProcess(dir.Path, "knn", "missing.npy", "-o", "x.npy");
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("cne: error: missing.npy: file not found.", bad.ErrorLine);
        Assert.Equal("", bad.Out);
    }
}
