using System.CommandLine;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;

namespace ContrastiveNE.Cli.Tests.Commands;

public class PresetOptionTests
{
    private static CneOptions Build(params string[] args)
    {
        var embed = new EmbedOptions();
        var command = new Command("embed");
        embed.AddTo(command);
        var parsed = command.Parse(args);
        Assert.Empty(parsed.Errors);
        return embed.Build(parsed);
    }

    [Fact]
    public void NoPresetAndReferencePresetGiveTheLibraryDefaults()
    {
        Assert.Equal(new CneOptions(), Build());
        Assert.Equal(new CneOptions(), Build("--preset", "reference"));
        Assert.Equal(CnePreset.Reference, Build().Preset);
    }

    [Theory]
    [InlineData("umap", CnePreset.Umap)]
    [InlineData("tsne", CnePreset.Tsne)]
    public void PresetSuppliesDefaultsAndExplicitFlagsWin(string word, CnePreset preset)
    {
        Assert.Equal(new CneOptions { Preset = preset }, Build("--preset", word));
        // An explicit flag wins, also when it repeats the reference's default (5 negatives, 15 neighbours, 0 components).
        var o = Build("--preset", word, "--negatives", "5", "--epochs", "7", "--knn-pca", "0", "--loss", "nce");
        Assert.Equal((5, 7, 0, LossMode.Nce, preset), (o.NegativeSamples, o.Epochs, o.KnnPcaComponents, o.Loss, o.Preset));
    }

    [Fact]
    public void HelpListsWhatEachPresetSets()
    {
        var result = CliRunner.Run("embed", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"(?m)^\s+--preset[ <]", result.Out);
        string flat = string.Join(" ", result.Out.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        foreach (var (option, value) in CnePresets.Changes(CnePreset.Umap))
            Assert.Contains(EmbedOptions.FlagOf[option], flat);
        Assert.Contains("umap: --loss neg", flat);
        Assert.Contains("docs/presets.md", flat);
    }

    [Fact]
    public void Spectrum_Presets_DrawOnePanelEach()
    {
        using var dir = new TempDir();
        NpyFile.Write(dir.File("x.npy"), NpyFile.ReadMatrix(TestData.DigitsImages).Slice(0, 450));
        NpyFile.WriteLabels(dir.File("y.npy"), NpyFile.ReadLabels(TestData.DigitsLabels).AsSpan(0, 450));

        var result = CliRunner.Run("spectrum", dir.File("x.npy"), "--preset", "reference,umap", "--epochs", "10", "--labels", dir.File("y.npy"),
            "--plot", dir.File("p.png"), "--output-dir", dir.File("runs"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("cne: umap done in", result.Error);
        var png = PngCheck.Load(dir.File("p.png"));
        Assert.InRange(png.Width, 2 * 600 + 50, 2 * 600 + 200);
        var files = Directory.GetFiles(dir.File("runs")).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(["preset-reference.csv", "preset-umap.csv"], files);
        Assert.NotEqual(File.ReadAllText(dir.File("runs/preset-reference.csv")), File.ReadAllText(dir.File("runs/preset-umap.csv")));
    }

    [Theory]
    [InlineData("reference,fast", "--preset: expected a comma-separated list of reference, umap, tsne; got 'fast'.")]
    public void Spectrum_BadPreset_IsAUsageError(string list, string message)
    {
        var result = CliRunner.Run("spectrum", TestData.DigitsImages, "--preset", list, "--plot", "x.png");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.ErrorLine);
    }

    [Fact]
    public void Spectrum_PresetsAndS_IsAUsageError()
    {
        var result = CliRunner.Run("spectrum", TestData.DigitsImages, "--preset", "umap", "--s", "0,1", "--plot", "x.png");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--s", result.ErrorLine);
    }
}
