using System.Text.Json;
using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Tests.Commands;

public class EmbedCommandTests
{
    private static (string Data, string Labels) DigitsSubset(TempDir dir, int rows)
    {
        var images = NpyFile.ReadMatrix(TestData.DigitsImages).Slice(0, rows);
        var labels = NpyFile.ReadLabels(TestData.DigitsLabels).AsSpan(0, rows);
        NpyFile.Write(dir.File("x.npy"), images);
        NpyFile.WriteLabels(dir.File("y.npy"), labels);
        return (dir.File("x.npy"), dir.File("y.npy"));
    }

    [Fact]
    public void Embed_ShowsEachPhaseFromTheLibraryAndSaysWhichDeviceTrained()
    {
        using var dir = new TempDir();
        var (data, _) = DigitsSubset(dir, 300);
        foreach (string[] mode in new[] { Array.Empty<string>(), new[] { "--parametric" }, new[] { "--repulsion", "fft" } })
        {
            var result = CliRunner.Run(["embed", data, "-o", dir.File("e.npy"), "--epochs", "10", "--device", "auto", .. mode]);
            Assert.Equal(0, result.ExitCode);
            // One phase each for the kNN search, the initialisation and the epochs (no longer a combined "knn+epochs").
            Assert.Contains("cne: knn done in", result.Error);
            Assert.Contains("cne: init done in", result.Error);
            Assert.Contains("cne: epochs done in", result.Error);
            Assert.DoesNotContain("knn+epochs", result.Error);
            // Auto is no longer silent: where no CUDA device is found the fallback is printed, else the GPU is named.
            Assert.True(result.Error.Contains("cne: Device = Auto:") || result.Error.Contains("cne: training on the GPU ("), result.Error);
        }
    }

    [Fact]
    public void Embed_NpyToNpy_WithPlotAndEvaluate()
    {
        using var dir = new TempDir();
        var (data, labels) = DigitsSubset(dir, 600);

        var result = CliRunner.Run("embed", data, "-o", dir.File("e.npy"), "--epochs", "40", "--labels", labels,
            "--plot", dir.File("e.png"), "--evaluate", "--threads", "2");

        Assert.Equal(0, result.ExitCode);
        var embedding = NpyFile.ReadMatrix(dir.File("e.npy"));
        Assert.Equal(600, embedding.Rows);
        Assert.Equal(2, embedding.Columns);
        using var json = JsonDocument.Parse(result.Out);
        // Measured (AVX-512, 2 threads): kNN accuracy 0.942, recall@15 0.663, Spearman 0.510.
        Assert.InRange(json.RootElement.GetProperty("knn_accuracy").GetDouble(), 0.91, 1.0);
        Assert.InRange(json.RootElement.GetProperty("recall_at_15").GetDouble(), 0.62, 1.0);
        Assert.InRange(json.RootElement.GetProperty("spearman").GetDouble(), 0.45, 1.0);
        var png = PngCheck.Load(dir.File("e.png"));
        png.AssertScatter(panels: 1, panelSize: 800, legend: true, minColours: 10);
    }

    [Fact]
    public void Embed_CsvWithLabelColumnToCsv_SameSeedSameResult()
    {
        using var dir = new TempDir();
        string csv = TestData.WriteDigitsCsv(dir, 400);

        var a = CliRunner.Run("embed", csv, "--label-column", "digit", "-o", dir.File("a.csv"), "--epochs", "15", "--loss", "neg", "--s", "0.5", "--quiet", "--threads", "1");
        var b = CliRunner.Run("embed", csv, "--label-column", "digit", "-o", dir.File("b.csv"), "--epochs", "15", "--loss", "neg", "--s", "0.5", "--quiet", "--threads", "2");

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b.ExitCode);
        Assert.Equal("", a.Error);
        var lines = File.ReadAllLines(dir.File("a.csv"));
        Assert.Equal(401, lines.Length);
        Assert.Equal("x1,x2", lines[0]);
        Assert.Equal(lines, File.ReadAllLines(dir.File("b.csv")));
    }

    [Fact]
    public void Embed_InitFromFile_ZeroEpochsReturnsTheInitialisation()
    {
        using var dir = new TempDir();
        var (data, _) = DigitsSubset(dir, 100);
        var (start, _) = TestData.Blobs(4, 25);
        NpyFile.Write(dir.File("init.npy"), start);

        var result = CliRunner.Run("embed", data, "-o", dir.File("e.npy"), "--epochs", "0", "--init", dir.File("init.npy"), "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(start.Data, NpyFile.ReadMatrix(dir.File("e.npy")).Data);
    }

    [Fact]
    public void Embed_InitOfWrongShape_IsADataErrorNamingTheFile()
    {
        using var dir = new TempDir();
        var (data, _) = DigitsSubset(dir, 100);
        NpyFile.Write(dir.File("init.npy"), new Matrix(99, 2));

        var result = CliRunner.Run("embed", data, "-o", dir.File("e.npy"), "--init", dir.File("init.npy"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("init.npy: the initialisation is 99 × 2; --init needs 100 × 2", result.ErrorLine);
        Assert.False(File.Exists(dir.File("e.npy")));
    }

    [Theory]
    [InlineData(new[] { "--loss", "tsne" }, "--loss: expected one of infonce, infonce-alt, infonce_alt, neg, nce, umap; got 'tsne'.")]
    [InlineData(new[] { "--loss", "tsne" }, "infonce_alt")]
    [InlineData(new[] { "--negatives", "-3" }, "--negatives: expected an integer ≥ 0 or full-batch, got '-3'.")]
    [InlineData(new[] { "--negatives", "0", "--loss", "nce" }, "--negatives: NegativeSamples = 0 leaves Nce without a loss")]
    [InlineData(new[] { "--eps", "-0.5" }, "--eps: expected a number ≥ 0, got -0.5.")]
    [InlineData(new[] { "--initial-z", "0" }, "--initial-z: expected a number > 0, got 0.")]
    [InlineData(new[] { "--hidden", "100,2.5" }, "--hidden: expected a comma-separated list of integers ≥ 1, got '100,2.5'.")]
    [InlineData(new[] { "--graph-symmetrize" }, "--graph-symmetrize: it applies to a graph given with --graph")]
    [InlineData(new[] { "--graph", "g.json" }, "--graph: 'g.json' has an unsupported extension")]
    [InlineData(new[] { "--lr", "-1" }, "--lr: expected a number > 0, got -1.")]
    [InlineData(new[] { "--s", "NaN" }, "--s: expected a finite number, got 'NaN'.")]
    [InlineData(new[] { "--clip", "off" }, "--clip: expected a number > 0 or none, got 'off'.")]
    [InlineData(new[] { "--epochs", "10", "--warmup-epochs", "10" }, "--warmup-epochs: WarmupEpochs must be ≥ 0 and below Epochs.")]
    [InlineData(new[] { "--learnable-temperature" }, "--learnable-temperature: A learnable temperature needs the cosine metric.")]
    [InlineData(new[] { "--save-model", "m.cnem" }, "--save-model: only a parametric embedding has a model to save; add --parametric.")]
    [InlineData(new[] { "--plot", "e.jpg" }, "--plot: 'e.jpg' has an unsupported extension; expected a file ending in .png or .svg or .html or .htm.")]
    public void Embed_BadOption_IsAUsageErrorNamingTheOption(string[] extra, string message)
    {
        var result = CliRunner.Run(["embed", TestData.DigitsImages, "-o", "never.npy", .. extra]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.ErrorLine);
        Assert.False(File.Exists("never.npy"));
    }

    [Fact]
    public void Embed_Help_ListsEveryOptionWithItsDefault()
    {
        var result = CliRunner.Run("embed", "--help");
        Assert.Equal(0, result.ExitCode);
        string[] expected =
        [
            "--loss", "--s", "--negatives", "--epochs", "--batch-size", "--lr", "--optimizer", "--metric", "--temperature", "--k", "--knn",
            "--knn-metric", "--dim", "--init", "--seed", "--threads", "--parametric", "--save-model", "--labels", "--label-column",
            "--label-names", "--plot", "--evaluate", "--quiet", "--schedule", "--lr-min-factor", "--warmup-epochs", "--warmup-lr",
            "--momentum", "--weight-decay", "--clip", "--aggregation", "--eps", "--learnable-temperature", "--base-temperature",
            "--clamp-low", "--clamp-high", "--no-early-exaggeration", "--z-bar", "--neg-spec", "--ince-spec", "--hidden", "--initial-z",
            "--graph", "--graph-symmetrize",
        ];
        foreach (string option in expected)
            Assert.Matches($@"(?m)^\s+{System.Text.RegularExpressions.Regex.Escape(option)}[ <]", result.Out);
        Assert.Contains("[default: infonce]", result.Out);
        Assert.Contains("[default: 200]", result.Out);
        Assert.Contains("[default: 32768]", result.Out);
        Assert.Contains("[default: sgd]", result.Out);
        Assert.Contains("[default: 0.5]", result.Out);
        Assert.Contains("[default: pca]", result.Out);
        Assert.Contains("[default: 4]", result.Out);
    }

    [Fact]
    public void Embed_TheTitleOfAnFftMapSaysTsne()
    {
        // The large-data defaults (docs/scaling.md) and --repulsion fft train t-SNE, whatever the loss option says.
        Assert.Equal("x (t-SNE, FFT repulsion)", ContrastiveNE.Cli.Commands.EmbedCommand.Title("x.npy",
            new ContrastiveNE.Embedding.CneOptions().ForRows(1_000_000)));
        Assert.Equal("x (infonce)", ContrastiveNE.Cli.Commands.EmbedCommand.Title("x.npy", new ContrastiveNE.Embedding.CneOptions()));
    }

    [Fact]
    public void Embed_NumbersAreParsedAsDoublesAndTheTitleShowsThemAsTyped()
    {
        // Regression (issue 15, item 6): --s 0.3 was parsed as float32 and titled "s = 0.30000001192092896".
        Assert.Equal("x (neg, s = 0.3)", ContrastiveNE.Cli.Commands.EmbedCommand.Title("x.npy", new ContrastiveNE.Embedding.CneOptions
        {
            Loss = ContrastiveNE.Losses.LossMode.Neg, S = ParseS("0.3"),
        }));
        static double? ParseS(string text)
        {
            var options = new ContrastiveNE.Cli.Options.EmbedOptions();
            var command = new System.CommandLine.Command("t");
            options.AddTo(command);
            var parsed = command.Parse(["--s", text, "--lr", "0.001", "--hidden", "100,100"]);
            var built = options.Build(parsed);
            Assert.Equal(0.001, built.LearningRate);
            Assert.Equal([100, 100], built.HiddenLayers);
            return built.S;
        }
    }

    [Fact]
    public void Embed_InfonceAltIsAcceptedInBothSpellings()
    {
        using var dir = new TempDir();
        var (data, _) = DigitsSubset(dir, 200);
        var a = CliRunner.Run("embed", data, "-o", dir.File("a.npy"), "--epochs", "3", "--loss", "infonce_alt", "--quiet", "--threads", "1");
        var b = CliRunner.Run("embed", data, "-o", dir.File("b.npy"), "--epochs", "3", "--loss", "infonce-alt", "--quiet", "--threads", "1");
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b.ExitCode);
        Assert.Equal(NpyFile.ReadMatrix(dir.File("a.npy")).Data, NpyFile.ReadMatrix(dir.File("b.npy")).Data);
    }

    [Fact]
    public void Embed_WithAUsersGraph_TrainsOnItAsGivenOrSymmetrised()
    {
        using var dir = new TempDir();
        var (data, _) = DigitsSubset(dir, 200);
        // A directed ring with a self-loop, as an edge list and as scipy's CSR .npz layout.
        var lines = new List<string> { "# i j weight" };
        for (int i = 0; i < 200; i++) lines.Add($"{i} {(i + 1) % 200} 0.5");
        lines.Add("7 7");
        File.WriteAllLines(dir.File("g.txt"), lines);
        var indptr = new int[201];
        var indices = new List<int>();
        for (int i = 0; i < 200; i++)
        {
            if (i == 7) indices.Add(7);
            indices.Add((i + 1) % 200);
            indptr[i + 1] = indices.Count;
        }
        TestData.WriteCsrNpz(dir.File("g.npz"), 200, indptr, indices.ToArray());

        string[] common = ["--epochs", "5", "--quiet", "--threads", "1"];
        var text = CliRunner.Run(["embed", data, "-o", dir.File("t.npy"), "--graph", dir.File("g.txt"), .. common]);
        var npz = CliRunner.Run(["embed", data, "-o", dir.File("n.npy"), "--graph", dir.File("g.npz"), .. common]);
        var sym = CliRunner.Run(["embed", data, "-o", dir.File("s.npy"), "--graph", dir.File("g.txt"), "--graph-symmetrize", .. common]);
        var knn = CliRunner.Run(["embed", data, "-o", dir.File("k.npy"), .. common]);
        var parametric = CliRunner.Run(["embed", data, "-o", dir.File("p.npy"), "--graph", dir.File("g.npz"), "--parametric", .. common]);
        foreach (var r in new[] { text, npz, sym, knn, parametric }) Assert.Equal(0, r.ExitCode);
        var t = NpyFile.ReadMatrix(dir.File("t.npy")).Data;
        Assert.Equal(t, NpyFile.ReadMatrix(dir.File("n.npy")).Data); // the same graph in both formats
        Assert.NotEqual(t, NpyFile.ReadMatrix(dir.File("s.npy")).Data);
        Assert.NotEqual(t, NpyFile.ReadMatrix(dir.File("k.npy")).Data);
        Assert.All(NpyFile.ReadMatrix(dir.File("p.npy")).Data, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData("0 1\n2 x\n", "g.txt: line 2: the node 'x' is not an integer.")]
    [InlineData("0 1\n2 200\n", "g.txt: line 2: node 200 is outside [0, 200)")]
    [InlineData("0 1 2 3\n", "g.txt: line 1: expected 'i j' or 'i j weight'")]
    [InlineData("# nothing\n", "g.txt: the graph has no edges.")]
    public void Embed_BadGraphFile_IsADataErrorNamingTheFileAndLine(string content, string message)
    {
        using var dir = new TempDir();
        var (data, _) = DigitsSubset(dir, 200);
        File.WriteAllText(dir.File("g.txt"), content);
        var result = CliRunner.Run("embed", data, "-o", dir.File("e.npy"), "--graph", dir.File("g.txt"), "--quiet");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.ErrorLine);
        Assert.False(File.Exists(dir.File("e.npy")));
    }
}
