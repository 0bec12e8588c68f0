using System.Text.Json;
using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Tests.Commands;

public class EmbedRepulsionTests
{
    [Fact]
    public void FftRepulsionWithPerplexityEmbedsAndEvaluates()
    {
        using var dir = new TempDir();
        var images = NpyFile.ReadMatrix(TestData.DigitsImages).Slice(0, 600);
        NpyFile.Write(dir.File("x.npy"), images);
        NpyFile.WriteLabels(dir.File("y.npy"), NpyFile.ReadLabels(TestData.DigitsLabels).AsSpan(0, 600));
        var result = CliRunner.Run("embed", dir.File("x.npy"), "-o", dir.File("e.npy"), "--repulsion", "fft", "--k", "45", "--perplexity", "15",
            "--epochs", "300", "--early-exaggeration-epochs", "100", "--labels", dir.File("y.npy"), "--evaluate", "--threads", "2", "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(600, NpyFile.ReadMatrix(dir.File("e.npy")).Rows);
        using var json = JsonDocument.Parse(result.Out);
        // Measured: kNN accuracy 0.985, recall@15 0.698.
        Assert.InRange(json.RootElement.GetProperty("knn_accuracy").GetDouble(), 0.95, 1.0);
        Assert.InRange(json.RootElement.GetProperty("recall_at_15").GetDouble(), 0.62, 1.0);
    }

    [Theory]
    [InlineData(new[] { "--repulsion", "fast" }, "--repulsion: expected one of sampled, fft; got 'fast'.")]
    [InlineData(new[] { "--repulsion", "fft", "--k", "15", "--perplexity", "30" }, "--perplexity:")]
    [InlineData(new[] { "--repulsion", "fft", "--dim", "3" }, "--dim:")]
    [InlineData(new[] { "--early-exaggeration-factor", "0.5" }, "--early-exaggeration-factor:")]
    public void BadValuesAreUsageErrorsNamingTheFlag(string[] flags, string message)
    {
        var result = CliRunner.Run(["embed", TestData.DigitsImages, "-o", "x.npy", .. flags]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.ErrorLine);
    }
}
