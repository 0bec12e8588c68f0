using ContrastiveNE.Data;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Data;

public sealed class DataFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Chooses_the_format_by_extension_both_ways()
    {
        var m = new Matrix(2, 3, [1, 2, 3, 4.5f, -5, 6e-7f]);
        foreach (string name in new[] { "m.npy", "m.csv", "m.tsv", "M.NPY" })
        {
            string path = _dir.File(name);
            DataFile.Write(path, m);
            var (data, labels) = DataFile.Read(path);
            Assert.Equal(m.Data, data.Data);
            Assert.Equal((2, 3), (data.Rows, data.Columns));
            Assert.Null(labels);
        }
        Assert.Equal(0x93, File.ReadAllBytes(_dir.File("m.npy"))[0]);
        Assert.Contains('\t', File.ReadAllText(_dir.File("m.tsv")));
    }

    [Fact]
    public void Label_column_applies_to_text_only()
    {
        string csv = _dir.File("d.csv");
        File.WriteAllText(csv, "x,y\n1,a\n2,b\n3,a\n");
        var (data, labels) = DataFile.Read(csv, LabelColumn.ByName("y"));
        Assert.Equal([1f, 2, 3], data.Data);
        Assert.Equal([0, 1, 0], labels!);
        string npy = _dir.File("d.npy");
        NpyFile.Write(npy, data);
        Assert.Equal("labelColumn", Assert.Throws<ArgumentException>(() => DataFile.Read(npy, LabelColumn.ByIndex(0))).ParamName);
    }

    [Theory]
    [InlineData("3\n1\n3\n", new[] { 3, 1, 3 })]
    [InlineData("label\n3\n1\n", new[] { 3, 1 })]
    [InlineData("kind\ncat\ndog\ncat\n", new[] { 0, 1, 0 })]
    [InlineData("cat\ndog\ncat\n", new[] { 0, 1, 0 })]
    public void Labels_read_from_one_column_text(string text, int[] expected)
    {
        string path = _dir.File("l.csv");
        File.WriteAllText(path, text);
        Assert.Equal(expected, DataFile.ReadLabels(path));
    }

    [Fact]
    public void Labels_file_with_two_columns_is_rejected()
    {
        string path = _dir.File("l.csv");
        File.WriteAllText(path, "1,2\n3,4\n");
        var e = Assert.Throws<InvalidDataException>(() => DataFile.ReadLabels(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("one column", e.Message);
    }

    [Fact]
    public void Labels_npy_round_trip()
    {
        string path = _dir.File("l.npy");
        NpyFile.WriteLabels(path, [2, 0, 1]);
        Assert.Equal([2, 0, 1], DataFile.ReadLabels(path));
    }
}
