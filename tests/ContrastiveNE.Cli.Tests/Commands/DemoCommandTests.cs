using System.Globalization;
using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Tests.Commands;

public class DemoCommandTests
{
    [Fact]
    public void Demo_ShortRun_WritesCsvAndPngAndPrintsQuality()
    {
        using var dir = new TempDir();

        var result = CliRunner.Run("demo", "--epochs", "30", "--output-dir", dir.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["digits-embedding.csv", "digits.png"], dir.FileNames().Order().ToArray());
        var embedding = DelimitedFile.Read(dir.File("digits-embedding.csv")).Data;
        Assert.Equal(1797, embedding.Rows);
        Assert.Equal(2, embedding.Columns);
        Assert.Contains("Embedded 1797 digits", result.Out);
        double accuracy = double.Parse(System.Text.RegularExpressions.Regex.Match(result.Out, @"kNN accuracy:\s+([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.94, 1.0); // measured 0.974 (recall@15 0.476)
        Assert.Contains("cne: epochs done in", result.Error);
        // Regression (issue 15, item 1): the lr went back up after early exaggeration (0.106 at epoch 60, 0.903 at 80).
        var rates = System.Text.RegularExpressions.Regex.Matches(result.Error, @"epoch (\d+)/30 .*?lr ([0-9.eE-]+)")
            .Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(rates.Length >= 5, $"too few progress lines: {result.Error}");
        for (int i = 1; i < rates.Length; i++) Assert.True(rates[i] <= rates[i - 1], $"the learning rate rose: {string.Join(", ", rates)}");
        Assert.Contains("cne: timings: read", result.Error);
        var png = PngCheck.Load(dir.File("digits.png"));
        png.AssertScatter(panels: 1, panelSize: 800, legend: true, minColours: 10);
    }
}
