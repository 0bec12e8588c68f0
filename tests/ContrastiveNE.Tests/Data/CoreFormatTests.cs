using System.IO.Compression;
using ContrastiveNE.Data;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Data;

/// <summary>Round trips and bad input for IDX, .npz and the format registry.</summary>
public sealed class CoreFormatTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("m-idx3-ubyte")]
    [InlineData("m-idx3-ubyte.gz")]
    [InlineData("m.npz")]
    [InlineData("m.npy")]
    [InlineData("m.csv")]
    [InlineData("m.tsv")]
    public void Every_core_format_round_trips(string name)
    {
        var m = new Matrix(3, 2, [1, 2.5f, -3, 4e-3f, 5, 6]);
        string path = _dir.File(name);
        DataFormats.Write(path, m);
        var back = DataFormats.Read(path).Data;
        Assert.Equal(m.Data, back.Data);
        Assert.Equal((3, 2), (back.Rows, back.Columns));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Fact]
    public void Tsv_output_is_tab_separated()
    {
        string path = _dir.File("e.tsv");
        DataFormats.Write(path, new Matrix(1, 2, [1, 2]));
        Assert.Equal("x1\tx2\n1\t2\n", File.ReadAllText(path));
    }

    [Fact]
    public void Idx_bytes_round_trip_with_labels_and_images()
    {
        var m = new Matrix(2, 6, [0, 1, 2, 3, 4, 255, 9, 8, 7, 6, 5, 4]);
        string path = _dir.File("i-idx3-ubyte.gz");
        IdxFile.Write(path, m, new ImageShape(1, 2, 3));
        var back = IdxFile.Read(path);
        Assert.Equal(m.Data, back.Data.Data);
        Assert.Equal(new ImageShape(1, 2, 3), back.ImageShape);
        string labels = _dir.File("l-idx1-ubyte");
        IdxFile.WriteLabels(labels, [3, 1, 300]);
        Assert.Equal([3, 1, 300], IdxFile.ReadLabels(labels));
    }

    public static TheoryData<string, byte[], string> BadIdx => new()
    {
        { "empty", [], "empty" },
        { "not idx", [1, 2, 3, 4], "not an IDX file" },
        { "bad type", [0, 0, 0x07, 1, 0, 0, 0, 1, 5], "unsupported IDX type byte 0x07" },
        { "truncated header", [0, 0, 0x08, 2, 0, 0, 0, 2], "truncated inside the IDX header" },
        { "truncated data", [0, 0, 0x08, 1, 0, 0, 0, 4, 1, 2], "truncated: 4 values of 1 byte(s) need 4 data bytes, found 2" },
        { "extra bytes", [0, 0, 0x08, 1, 0, 0, 0, 1, 1, 2], "more bytes than" },
        { "zero dimension", [0, 0, 0x08, 1, 0, 0, 0, 0], "dimension 0 of the IDX header is 0" },
        { "nan float", [0, 0, 0x0D, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0x3F, 0x80, 0, 0, 0x7F, 0xC0, 0, 0], "row 0, column 1" },
    };

    [Theory]
    [MemberData(nameof(BadIdx))]
    public void Bad_idx_files_name_the_file_and_the_problem(string what, byte[] bytes, string expected)
    {
        string path = _dir.File(what.Replace(' ', '_') + "-idx3-ubyte");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => DataFormats.Read(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Damaged_gzip_idx_is_one_clear_error()
    {
        byte[] good = File.ReadAllBytes(FormatFixtures.Path("fmnist100-images-idx3-ubyte.gz"));
        string path = _dir.File("cut-idx3-ubyte.gz");
        File.WriteAllBytes(path, good[..(good.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => DataFormats.Read(path));
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void Npz_without_key_reads_its_only_array_and_lists_keys_otherwise()
    {
        string one = _dir.File("one.npz");
        NpzFile.Write(one, new Dictionary<string, Matrix> { ["a"] = new Matrix(1, 2, [1, 2]) }, compressed: false);
        Assert.Equal([1f, 2], DataFormats.Read(one).Data.Data);
        string fixture = FormatFixtures.Path("fmnist100.npz");
        var e = Assert.Throws<ArgumentException>(() => DataFormats.Read(fixture));
        Assert.Equal(nameof(DataReadOptions.Key), e.ParamName);
        Assert.Contains("images, labels", e.Message);
        var missing = Assert.Throws<ArgumentException>(() => DataFormats.Read(fixture, new() { Key = "pixels" }));
        Assert.Contains("no array 'pixels'; it holds images, labels", missing.Message);
    }

    [Fact]
    public void Npz_writes_the_embedding_and_labels_as_numpy_reads_them()
    {
        string path = _dir.File("e.npz");
        DataFormats.Write(path, new Matrix(2, 2, [1, 2, 3, 4]), new DataWriteOptions { Labels = [7, 8] });
        Assert.Equal(["embedding", "labels"], NpzFile.Keys(path));
        Assert.Equal([7, 8], NpzFile.ReadLabels(path, "labels"));
        using var zip = ZipFile.OpenRead(path);
        Assert.All(zip.Entries, entry => Assert.EndsWith(".npy", entry.FullName));
    }

    [Fact]
    public void Bad_npz_files_are_one_clear_error()
    {
        string empty = _dir.File("empty.npz");
        File.WriteAllBytes(empty, []);
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => DataFormats.Read(empty)).Message);
        string notZip = _dir.File("text.npz");
        File.WriteAllText(notZip, "hello, this is not a zip archive at all");
        Assert.StartsWith(notZip + ": not a valid .npz", Assert.Throws<InvalidDataException>(() => DataFormats.Read(notZip)).Message);
        byte[] good = File.ReadAllBytes(FormatFixtures.Path("fmnist100-compressed.npz"));
        string cut = _dir.File("cut.npz");
        File.WriteAllBytes(cut, good[..(good.Length - 200)]);
        Assert.StartsWith(cut, Assert.Throws<InvalidDataException>(() => DataFormats.Read(cut, new() { Key = "images" })).Message);
        string nan = _dir.File("nan.npz");
        NpzFile.Write(nan, new Dictionary<string, Matrix> { ["x"] = new Matrix(2, 2, [1, 2, 3, float.NaN]) });
        var e = Assert.Throws<InvalidDataException>(() => DataFormats.Read(nan));
        Assert.Contains("[x], row 1, column 1", e.Message);
    }

    [Fact]
    public void Options_a_format_does_not_use_are_rejected_by_name()
    {
        string npy = _dir.File("m.npy");
        NpyFile.Write(npy, new Matrix(1, 1, [1]));
        Assert.Equal(nameof(DataReadOptions.Obsm), Assert.Throws<ArgumentException>(() => DataFormats.Read(npy, new() { Obsm = "X_pca" })).ParamName);
        Assert.Equal(nameof(DataReadOptions.Key), Assert.Throws<ArgumentException>(() => DataFormats.Read(npy, new() { Key = "a" })).ParamName);
    }

    [Fact]
    public void Unknown_and_optional_suffixes_say_what_to_do()
    {
        Assert.Contains(".npy", Assert.Throws<ArgumentException>(() => DataFormats.ForReading("data.xlsx")).Message);
        Assert.Null(DataFormats.Find("data.xlsx"));
        Assert.Equal("IDX", DataFormats.Find("train-images-idx3-ubyte.gz")!.Name);
        Assert.Equal("IDX", DataFormats.Find("t10k-labels-idx1-ubyte")!.Name);
        Assert.Equal("NumPy .npz", DataFormats.Find("A.NPZ")!.Name);
        if (DataFormats.Find("x.h5ad") is null)
            Assert.Contains("ContrastiveNE.Formats", Assert.Throws<ArgumentException>(() => DataFormats.ForReading("x.h5ad")).Message);
    }

    [Fact]
    public void Missing_file_is_file_not_found_naming_it()
    {
        string path = _dir.File("absent.npz");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => DataFormats.Read(path)).Message);
    }
}
