using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Tests.Commands;

public class SpectrumCommandTests
{
    [Fact]
    public void Spectrum_ThreeValues_DrawsThreePanelsWithOneLegend()
    {
        using var dir = new TempDir();
        // Not 500 rows: there Z̄_tsne = 100 n equals Z̄_umap = n²/5, and every s gives the same neg_spec.
        NpyFile.Write(dir.File("x.npy"), NpyFile.ReadMatrix(TestData.DigitsImages).Slice(0, 450));
        NpyFile.WriteLabels(dir.File("y.npy"), NpyFile.ReadLabels(TestData.DigitsLabels).AsSpan(0, 450));

        var result = CliRunner.Run("spectrum", dir.File("x.npy"), "--s", "0,0.5,1", "--epochs", "15", "--labels", dir.File("y.npy"),
            "--plot", dir.File("s.png"), "--output-dir", dir.File("runs"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("cne: s=0 done in", result.Error);
        Assert.Contains("cne: s=1 done in", result.Error);
        var png = PngCheck.Load(dir.File("s.png"));
        Assert.Equal(600, png.Height);
        Assert.InRange(png.Width, 3 * 600 + 50, 3 * 600 + 200);
        for (int panel = 0; panel < 3; panel++)
        {
            Assert.InRange(png.BackgroundFraction(panel * 600, (panel + 1) * 600), 0.5, 0.995);
            Assert.True(png.Tab10PixelCounts(panel * 600, (panel + 1) * 600).Count(n => n >= 30) >= 8, $"panel {panel} shows too few colours");
        }
        var files = Directory.GetFiles(dir.File("runs")).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(["spectrum-s0.5.csv", "spectrum-s0.csv", "spectrum-s1.csv"], files);
        // Different s → different embeddings from the same graph and start.
        Assert.NotEqual(File.ReadAllText(dir.File("runs/spectrum-s0.csv")), File.ReadAllText(dir.File("runs/spectrum-s1.csv")));
        // Each file is the whole embedding at its s: the one cne embed computes with the same settings.
        foreach (string s in new[] { "0", "0.5", "1" })
        {
            var panel = DelimitedFile.ReadMatrix(dir.File($"runs/spectrum-s{s}.csv"));
            Assert.Equal((450, 2), (panel.Rows, panel.Columns));
            var embed = CliRunner.Run("embed", dir.File("x.npy"), "--loss", "neg", "--s", s, "--epochs", "15", "-o", dir.File($"e{s}.csv"), "--quiet");
            Assert.Equal(0, embed.ExitCode);
            Assert.Equal(File.ReadAllText(dir.File($"e{s}.csv")), File.ReadAllText(dir.File($"runs/spectrum-s{s}.csv")));
        }
    }

    [Fact]
    public void Spectrum_WithoutPlot_IsAUsageError()
    {
        var result = CliRunner.Run("spectrum", TestData.DigitsImages, "--s", "0,1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--plot", result.ErrorLine);
    }

    [Fact]
    public void Spectrum_MalformedList_IsAUsageError()
    {
        var result = CliRunner.Run("spectrum", TestData.DigitsImages, "--s", "0,half", "--plot", "x.png");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--s: expected a comma-separated list of numbers, got '0,half'.", result.ErrorLine);
    }
}
