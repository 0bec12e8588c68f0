using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Metrics;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Embedding;

public class CnePresetTests
{
    [Fact]
    public void ReferencePresetIsTheDefaultAndChangesNothing()
    {
        Assert.Equal(CnePreset.Reference, new CneOptions().Preset);
        Assert.Empty(CnePresets.Changes(CnePreset.Reference));
        Assert.Equal(new CneOptions(), new CneOptions { Preset = CnePreset.Reference });
        Assert.Equal(new CneOptions().GetHashCode(), new CneOptions { Preset = CnePreset.Reference }.GetHashCode());
    }

    [Fact]
    public void ReferencePresetRunIsBitIdenticalToNoPreset()
    {
        var data = Blobs(300, 12);
        var plain = new Cne(new CneOptions { Epochs = 20, Threads = 2 }).FitTransform(data);
        var reference = new Cne(new CneOptions { Preset = CnePreset.Reference, Epochs = 20, Threads = 2 }).FitTransform(data);
        Assert.Equal(plain.Data, reference.Data);
    }

    [Theory]
    [InlineData(CnePreset.Umap)]
    [InlineData(CnePreset.Tsne)]
    public void PresetFillsItsOptionsAndExplicitValuesWinInAnyOrder(CnePreset preset)
    {
        var values = CnePresets.Of(preset);
        var o = new CneOptions { Preset = preset };
        Assert.Equal((values.Loss, values.S, values.NegativeSamples, values.Epochs, values.K, values.KnnPcaComponents),
            (o.Loss, o.S, o.NegativeSamples, o.Epochs, o.K, o.KnnPcaComponents));
        Assert.NotEmpty(CnePresets.Changes(preset));

        // Set before and after the preset in the initialiser, and carried through `with`.
        var before = new CneOptions { Epochs = 7, Loss = LossMode.Nce, Preset = preset };
        var after = new CneOptions { Preset = preset, Epochs = 7, Loss = LossMode.Nce };
        Assert.Equal((7, LossMode.Nce), (before.Epochs, before.Loss));
        Assert.Equal(before, after);
        var switched = after with { Preset = CnePreset.Reference };
        Assert.Equal((7, LossMode.Nce, 5), (switched.Epochs, switched.Loss, switched.NegativeSamples));
        // Setting the reference's value explicitly also wins over the preset.
        Assert.Equal(5, new CneOptions { NegativeSamples = 5, Preset = preset }.NegativeSamples);
    }

    [Fact]
    public void PresetSurvivesTheSavedSettings()
    {
        var options = new CneOptions { Preset = CnePreset.Umap, Epochs = 9 };
        var settings = CneOptionsSettings.ToSettings(options).ToList();
        Assert.Contains(settings, pair => pair is { Key: nameof(CneOptions.Preset), Value: "Umap" });
        var loaded = CneOptionsSettings.FromSettings(settings, "test.cnemodel");
        Assert.Equal(options with { HiddenLayers = loaded.HiddenLayers }, loaded);
    }

    [Fact]
    public void KnnPcaComponentsSearchesTheProjection()
    {
        // Two blobs in 30 dimensions differ only along the first axis: 2 principal components keep the blob
        // structure, so every neighbour stays within its blob as on the full data.
        var data = Blobs(200, 30);
        var graph = new Cne(new CneOptions { K = 5, KnnPcaComponents = 2, Threads = 1 }).CreateGraph(data);
        var full = new Cne(new CneOptions { K = 5, Threads = 1 }).CreateGraph(data);
        Assert.Equal(full.NodeCount, graph.NodeCount);
        for (int i = 0; i < graph.NodeCount; i++)
            foreach (int j in graph.Neighbors(i)) Assert.Equal(i < 100, j < 100);
        // Wider than the data: the data itself is searched.
        Assert.Equal(full.EdgeCount, new Cne(new CneOptions { K = 5, KnnPcaComponents = 30, Threads = 1 }).CreateGraph(data).EdgeCount);
    }

    // The quality tests: each preset against the reference on a Fashion-MNIST subsample, same seed, same rows, with
    // the presets exactly as users get them (only the thread count set). Measured values (2 threads) beside each bound.
    private const int N = 5000;

    private static readonly Lazy<(Matrix Data, int[] Labels)> Fashion = new(() => TestFiles.Fashion(N));

    private static QualityReport Quality(CnePreset preset)
    {
        var (data, labels) = Fashion.Value;
        var embedding = new Cne(new CneOptions { Preset = preset, Threads = 2 }).FitTransform(data);
        return EmbeddingQuality.Evaluate(data, embedding, labels, new QualityOptions { SampleSize = N, Threads = 2 });
    }

    private static readonly Lazy<QualityReport> ReferenceQuality = new(() => Quality(CnePreset.Reference));

    [Fact]
    public void UmapPresetBeatsTheReferenceInKnnAccuracy()
    {
        var umap = Quality(CnePreset.Umap);
        var reference = ReferenceQuality.Value;
        // measured on the repository's subsample: umap 0.7640, reference 0.7252 (+0.039)
        Assert.True(umap.KnnAccuracy - reference.KnnAccuracy >= 0.025, $"kNN accuracy umap {umap.KnnAccuracy} vs reference {reference.KnnAccuracy}");
        Assert.True(umap.RecallAtK >= 0.32, $"recall@15 umap {umap.RecallAtK}"); // measured 0.348 (reference 0.316)
        Assert.True(umap.Spearman >= 0.69, $"Spearman {umap.Spearman}"); // measured 0.722
    }

    [Fact]
    public void TsnePresetBeatsTheReferenceInRecall()
    {
        var tsne = Quality(CnePreset.Tsne);
        var reference = ReferenceQuality.Value;
        // measured on the repository's subsample: tsne 0.4384, reference 0.3163 (+0.122); kNN accuracy 0.793
        Assert.True(tsne.KnnAccuracy >= 0.76, $"kNN accuracy tsne {tsne.KnnAccuracy}");
        Assert.True(tsne.RecallAtK - reference.RecallAtK >= 0.09, $"recall@15 tsne {tsne.RecallAtK} vs reference {reference.RecallAtK}");
    }

    /// <summary>Two Gaussian blobs of <paramref name="n"/>/2 rows each, apart along the first of <paramref name="d"/> axes.</summary>
    private static Matrix Blobs(int n, int d)
    {
        var m = new Matrix(n, d);
        var random = new Random(7);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < d; c++)
                m[i, c] = (float)(random.NextDouble() - 0.5 + (c == 0 && i >= n / 2 ? 20 : 0));
        return m;
    }
}
