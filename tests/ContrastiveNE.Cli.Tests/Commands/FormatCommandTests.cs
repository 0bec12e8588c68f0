using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;
using ContrastiveNE.Formats;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Cli.Tests.Commands;

/// <summary>The CLI on the formats of issue 20: AnnData, Parquet, IDX and .npz inputs; .h5ad, .parquet, .tsv and .npz outputs.</summary>
public sealed class FormatCommandTests
{
    private static readonly string Cells = FormatFixtures.Path("cells-dense.h5ad");

    [Fact]
    public void Embed_h5ad_obsm_with_categorical_labels_writes_h5ad_and_a_plot()
    {
        using var dir = new TempDir();
        string output = dir.File("out.h5ad"), png = dir.File("map.png");
        var result = CliRunner.Run("embed", Cells, "--obsm", "X_pca", "--label-column", "cell_type", "--plot", png, "-o", output,
            "--k", "10", "--epochs", "20", "--quiet", "--threads", "1");
        Assert.True(result.ExitCode == 0, result.Error);
        var back = AnnDataFile.Read(output, new DataReadOptions { Obsm = AnnDataFile.DefaultKey, LabelColumn = LabelColumn.ByName("cell_type") });
        Assert.Equal((60, 2), (back.Data.Rows, back.Data.Columns));
        var source = AnnDataFile.Read(Cells, new DataReadOptions { LabelColumn = LabelColumn.ByName("cell_type") });
        Assert.Equal(source.RowNames, back.RowNames);
        Assert.Equal(source.Labels, back.Labels);
        Assert.Equal(["B cell", "T cell", "monocyte"], back.LabelNames!);
        Assert.True(PngCheck.Load(png).Width > 100);
        Assert.Equal(["map.png", "out.h5ad"], dir.FileNames().Order());
        var evaluate = CliRunner.Run("evaluate", Cells, output, "--obsm", "X_pca", "--label-column", "cell_type", "--quiet");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("knn_accuracy", evaluate.Out);
    }

    [Fact]
    public void Output_key_names_the_obsm_entry_and_applies_only_to_named_outputs()
    {
        using var dir = new TempDir();
        string output = dir.File("o.h5ad");
        var ok = CliRunner.Run("embed", Cells, "--obsm", "X_pca", "--output-key", "X_mine", "-o", output, "--k", "5", "--epochs", "5", "--quiet");
        Assert.True(ok.ExitCode == 0, ok.Error);
        Assert.Equal(["X_mine"], AnnDataFile.Keys(output, "obsm"));
        var bad = CliRunner.Run("embed", Cells, "--output-key", "X", "-o", dir.File("o.csv"), "--epochs", "5", "--quiet");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--output-key: names the embedding inside a .h5ad or .npz output", bad.ErrorLine);
    }

    [Theory]
    [InlineData("--obsm", "X_umap", "--obsm: ", "obsm has no entry 'X_umap'; it holds X_pca.")]
    [InlineData("--layer", "spliced", "--layer: ", "layers has no entry 'spliced'; it holds counts.")]
    [InlineData("--label-column", "leiden", "--label-column: ", "obs has no column 'leiden'; it holds cell_type, batch.")]
    public void Missing_keys_are_one_usage_error_listing_what_exists(string option, string value, string prefix, string tail)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("embed", Cells, option, value, "-o", dir.File("e.npy"), "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"cne: error: {prefix}{Cells}", result.ErrorLine);
        Assert.EndsWith(tail, result.ErrorLine);
        Assert.Empty(dir.FileNames());
    }

    [Fact]
    public void Bad_sparse_h5ad_is_one_data_error_and_writes_nothing()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("embed", FormatFixtures.Path("cells-bad.h5ad"), "-o", dir.File("e.npy"), "--quiet");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[X], row 0: the column index 23 of stored value 5 is outside the 20 columns", result.ErrorLine);
        Assert.Empty(dir.FileNames());
    }

    [Fact]
    public void Evaluate_and_plot_read_h5ad_through_obsm()
    {
        using var dir = new TempDir();
        string embedding = dir.File("e.tsv");
        Assert.Equal(0, CliRunner.Run("embed", Cells, "--obsm", "X_pca", "-o", embedding, "--k", "10", "--epochs", "10", "--quiet").ExitCode);
        Assert.StartsWith("x1\tx2\n", File.ReadAllText(embedding));
        var evaluate = CliRunner.Run("evaluate", Cells, embedding, "--obsm", "X_pca", "--label-column", "cell_type", "--quiet");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("knn_accuracy", evaluate.Out);
        var plot = CliRunner.Run("plot", Cells, "--obsm", "X_pca", "--label-column", "cell_type", "-o", dir.File("p.png"), "--quiet");
        Assert.True(plot.ExitCode == 0, plot.Error);
    }

    [Fact]
    public void Idx_and_npz_inputs_and_parquet_output_with_labels()
    {
        using var dir = new TempDir();
        string parquet = dir.File("e.parquet");
        var idx = CliRunner.Run("embed", FormatFixtures.Path("fmnist100-images-idx3-ubyte.gz"), "--labels", FormatFixtures.Path("fmnist100-labels-idx1-ubyte"),
            "-o", parquet, "--k", "10", "--epochs", "5", "--quiet");
        Assert.True(idx.ExitCode == 0, idx.Error);
        var back = ParquetFile.Read(parquet, new DataReadOptions { LabelColumn = LabelColumn.ByName("label") });
        Assert.Equal(["x", "y"], back.ColumnNames!);
        Assert.Equal(100, back.Labels!.Length);
        var npz = CliRunner.Run("embed", FormatFixtures.Path("fmnist100.npz"), "--key", "images", "-o", dir.File("e.npz"), "--k", "10", "--epochs", "5", "--quiet");
        Assert.True(npz.ExitCode == 0, npz.Error);
        var noKey = CliRunner.Run("embed", FormatFixtures.Path("fmnist100.npz"), "-o", dir.File("f.npz"), "--quiet");
        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("--key: ", noKey.ErrorLine);
        Assert.Contains("(images, labels)", noKey.ErrorLine);
    }
}
