using ContrastiveNE.Data;
using ContrastiveNE.Examples.GettingStarted;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Examples.Tests;

public class GettingStartedTests
{
    [Fact]
    public void Example_EmbedsTheDigits_WritesTheMap_AndReportsItsQuality()
    {
        string output = Path.Combine(Path.GetTempPath(), $"getting-started-{Guid.NewGuid():N}.npy");
        try
        {
            var log = new StringWriter();
            var quality = GettingStartedExample.Run(TestFiles.DigitsImages, TestFiles.DigitsLabels, output, log, threads: 2);

            var map = NpyFile.ReadMatrix(output);
            Assert.Equal(1797, map.Rows);
            Assert.Equal(2, map.Columns);
            Assert.True(quality.KnnAccuracy >= 0.95, $"kNN accuracy {quality.KnnAccuracy}"); // measured 0.979
            Assert.True(quality.RecallAtK >= 0.48, $"recall@15 {quality.RecallAtK}");         // measured 0.52
            Assert.True(quality.Spearman >= 0.45, $"Spearman {quality.Spearman}");            // measured 0.51
            Assert.Contains("kNN accuracy", log.ToString());
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void CommandLine_MissingFile_IsOneErrorLineNamingIt_AndExitCode1()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.npy");
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(1, GettingStartedExample.RunCommandLine([missing], output, error));
        string message = error.ToString().TrimEnd();
        Assert.StartsWith("error: ", message);
        Assert.Contains(missing, message);
        Assert.DoesNotContain('\n', message);
        Assert.Equal(2, GettingStartedExample.RunCommandLine(["a", "b", "c", "d"], output, error));
    }

    [Fact]
    public void CommandLine_LabelsOfAnotherLength_AreAClearError()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string labels = Path.Combine(Path.GetTempPath(), $"labels-{Guid.NewGuid():N}.npy");
        try
        {
            NpyFile.WriteLabels(labels, [1, 2, 3]);
            Assert.Equal(1, GettingStartedExample.RunCommandLine([TestFiles.DigitsImages, labels, "unused.npy"], output, error));
            Assert.Contains("3 labels for the 1797 rows", error.ToString());
            Assert.False(File.Exists("unused.npy"));
        }
        finally
        {
            File.Delete(labels);
        }
    }
}
