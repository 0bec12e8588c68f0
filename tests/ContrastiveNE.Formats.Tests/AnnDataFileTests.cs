using ContrastiveNE.Data;

namespace ContrastiveNE.Formats.Tests;

/// <summary>The AnnData reader against files written by anndata 0.8 (make_fixtures.py), and our writer read back.</summary>
public sealed class AnnDataFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public AnnDataFileTests() => FormatsPackage.Register();

    public void Dispose() => _dir.Dispose();

    private static Matrix Npy(string name) => NpyFile.ReadMatrix(FormatFixtures.Path(name));

    [Theory]
    [InlineData("cells-dense.h5ad")]
    [InlineData("cells-csr.h5ad")]
    [InlineData("cells-csc.h5ad")]
    public void X_dense_csr_and_csc_read_as_the_counts(string name)
    {
        var loaded = DataFormats.Read(FormatFixtures.Path(name));
        var expected = Npy("cells-X.npy");
        Assert.Equal((60, 20), (loaded.Data.Rows, loaded.Data.Columns));
        Assert.Equal(expected.Data, loaded.Data.Data);
        Assert.Equal("cell000", loaded.RowNames![0]);
        Assert.Equal("cell059", loaded.RowNames![59]);
    }

    [Fact]
    public void Obsm_layers_and_categorical_labels()
    {
        string path = FormatFixtures.Path("cells-dense.h5ad");
        var pca = DataFormats.Read(path, new() { Obsm = "X_pca", LabelColumn = LabelColumn.ByName("cell_type") });
        Assert.Equal(Npy("cells-pca.npy").Data, pca.Data.Data);
        Assert.Equal(["B cell", "T cell", "monocyte"], pca.LabelNames!);
        Assert.Equal(NpyFile.ReadLabels(FormatFixtures.Path("cells-celltype-codes.npy")), pca.Labels!);
        var layer = DataFormats.Read(path, new() { Layer = "counts" });
        Assert.Equal(Npy("cells-X.npy").Data, layer.Data.Data);
        var batch = DataFormats.Read(path, new() { LabelColumn = LabelColumn.ByName("batch") });
        Assert.All(batch.Labels!, l => Assert.InRange(l, 0, 1));
        Assert.Null(batch.LabelNames);
        Assert.Equal(["cell_type", "batch"], AnnDataFile.Keys(path, "obs"));
    }

    [Fact]
    public void Missing_keys_list_the_keys_that_exist()
    {
        string path = FormatFixtures.Path("cells-dense.h5ad");
        var obsm = Assert.Throws<ArgumentException>(() => DataFormats.Read(path, new() { Obsm = "X_umap" }));
        Assert.Equal(nameof(DataReadOptions.Obsm), obsm.ParamName);
        Assert.Contains("obsm has no entry 'X_umap'; it holds X_pca", obsm.Message);
        var layer = Assert.Throws<ArgumentException>(() => DataFormats.Read(path, new() { Layer = "spliced" }));
        Assert.Contains("layers has no entry 'spliced'; it holds counts", layer.Message);
        var column = Assert.Throws<ArgumentException>(() => DataFormats.Read(path, new() { LabelColumn = LabelColumn.ByName("leiden") }));
        Assert.Contains("obs has no column 'leiden'; it holds cell_type, batch", column.Message);
        Assert.Equal(nameof(DataReadOptions.Key), Assert.Throws<ArgumentException>(() => DataFormats.Read(path, new() { Key = "x" })).ParamName);
    }

    [Fact]
    public void Out_of_range_sparse_indices_and_nan_name_the_place()
    {
        string path = FormatFixtures.Path("cells-bad.h5ad");
        var sparse = Assert.Throws<InvalidDataException>(() => DataFormats.Read(path));
        Assert.StartsWith($"{path}[X], row 0: the column index 23 of stored value 5 is outside the 20 columns", sparse.Message);
        var nan = Assert.Throws<InvalidDataException>(() => DataFormats.Read(path, new() { Obsm = "X_pca" }));
        Assert.StartsWith($"{path}[obsm['X_pca']], row 7, column 3:", nan.Message);
    }

    [Fact]
    public void Wrong_types_name_the_entry()
    {
        string path = FormatFixtures.Path("cells-bad.h5ad");
        var frame = Assert.Throws<InvalidDataException>(() => DataFormats.Read(path, new() { Obsm = "meta" }));
        Assert.StartsWith($"{path}[obsm['meta']]: is encoded as 'dataframe', not an array or a CSR/CSC sparse matrix.", frame.Message);
        var floats = Assert.Throws<InvalidDataException>(() => DataFormats.Read(path, new() { Obsm = "X_pca", LabelColumn = LabelColumn.ByName("size") }));
        Assert.Contains("[obs['size']]: holds FloatingPoint values; labels need a categorical, string or integer column.", floats.Message);
        string written = _dir.File("no-x.h5ad");
        AnnDataFile.Write(written, new Matrix(2, 2, [1, 2, 3, 4]));
        Assert.EndsWith("the file has no X; read an obsm entry (X_cne) or a layer (none).", Assert.Throws<InvalidDataException>(() => DataFormats.Read(written)).Message);
    }

    [Fact]
    public void Truncated_empty_and_foreign_files_are_one_clear_error()
    {
        byte[] good = File.ReadAllBytes(FormatFixtures.Path("cells-dense.h5ad"));
        foreach (var (name, bytes) in new[] { ("cut.h5ad", good[..(good.Length / 3)]), ("empty.h5ad", Array.Empty<byte>()), ("text.h5ad", "not hdf5"u8.ToArray()) })
        {
            string path = _dir.File(name);
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InvalidDataException>(() => DataFormats.Read(path, new() { Obsm = "X_pca" }));
            Assert.StartsWith(path, e.Message);
            Assert.DoesNotContain("\n", e.Message);
        }
    }

    [Fact]
    public void Written_file_holds_the_embedding_names_and_labels_and_reads_back()
    {
        var source = DataFormats.Read(FormatFixtures.Path("cells-dense.h5ad"), new() { Obsm = "X_pca", LabelColumn = LabelColumn.ByName("cell_type") });
        var embedding = new Matrix(60, 2, Enumerable.Range(0, 120).Select(i => i * 0.25f).ToArray());
        string path = _dir.File("out.h5ad");
        DataFormats.Write(path, embedding, new DataWriteOptions
        {
            Key = "X_map", RowNames = source.RowNames, Labels = source.Labels, LabelNames = source.LabelNames, LabelColumnName = "cell_type",
        });
        var back = DataFormats.Read(path, new() { Obsm = "X_map", LabelColumn = LabelColumn.ByName("cell_type") });
        Assert.Equal(embedding.Data, back.Data.Data);
        Assert.Equal(source.RowNames, back.RowNames);
        Assert.Equal(source.Labels, back.Labels);
        Assert.Equal(source.LabelNames, back.LabelNames);
        Assert.Equal(["X_map"], AnnDataFile.Keys(path, "obsm"));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }
}
