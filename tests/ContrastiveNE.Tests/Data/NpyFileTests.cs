using ContrastiveNE.Data;
using ContrastiveNE.Randomness;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Data;

public sealed class NpyFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Save(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // Values every dtype can hold exactly (bool gets 0/1, unsigned types non-negative values).
    private static double[] ValuesFor(string descr) => descr[1] switch
    {
        'b' => [0, 1, 1, 0, 1, 0],
        'u' => [0, 1, 2, 100, 7, descr[2] == '1' ? 255 : 1000],
        'i' => [0, -1, 2, -100, 7, descr[2] == '1' ? -128 : -1000],
        _ => [0, -1.5, 2.25, -100, 7.125, 1e3],
    };

    [Theory]
    [InlineData("|b1")]
    [InlineData("|u1")]
    [InlineData("|i1")]
    [InlineData("<u2")]
    [InlineData("<i2")]
    [InlineData("<u4")]
    [InlineData("<i4")]
    [InlineData("<u8")]
    [InlineData("<i8")]
    [InlineData("<f2")]
    [InlineData("<f4")]
    [InlineData("<f8")]
    [InlineData(">i2")]
    [InlineData(">u4")]
    [InlineData(">i8")]
    [InlineData(">f4")]
    [InlineData(">f8")]
    public void Reads_every_dtype_as_float32(string descr)
    {
        double[] values = ValuesFor(descr);
        string path = Save("a.npy", NpyBuilder.Build(descr, "(2, 3)", NpyBuilder.Encode(descr, values)));
        var m = NpyFile.ReadMatrix(path);
        Assert.Equal(2, m.Rows);
        Assert.Equal(3, m.Columns);
        Assert.Equal(values.Select(v => (float)v).ToArray(), m.Data);

        // Re-writing and reading back gives the same float32 values.
        string again = _dir.File("b.npy");
        NpyFile.Write(again, m);
        Assert.Equal(m.Data, NpyFile.ReadMatrix(again).Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Reads_every_format_version(int version)
    {
        string path = Save("v.npy", NpyBuilder.Build("<f4", "(3, 2)", NpyBuilder.Encode("<f4", [1, 2, 3, 4, 5, 6]), version));
        Assert.Equal([1f, 2, 3, 4, 5, 6], NpyFile.ReadMatrix(path).Data);
    }

    [Fact]
    public void Fortran_order_is_transposed_into_row_major()
    {
        // Column-major storage of [[1, 2, 3], [4, 5, 6]].
        string path = Save("f.npy", NpyBuilder.Build("<i4", "(2, 3)", NpyBuilder.Encode("<i4", [1, 4, 2, 5, 3, 6]), fortran: true));
        var m = NpyFile.ReadMatrix(path);
        Assert.Equal([1f, 2, 3, 4, 5, 6], m.Data);
    }

    [Fact]
    public void One_dimensional_array_is_one_column()
    {
        string path = Save("c.npy", NpyBuilder.Build("<f8", "(4,)", NpyBuilder.Encode("<f8", [1, 2, 3, 4])));
        var m = NpyFile.ReadMatrix(path);
        Assert.Equal((4, 1), (m.Rows, m.Columns));
    }

    [Fact]
    public void Writer_round_trips_random_floats_bit_exactly()
    {
        var rng = Xoshiro256.Create(7);
        var m = new Matrix(37, 5);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(rng.NextGaussian() * 1e3);
        string path = _dir.File("r.npy");
        NpyFile.Write(path, m);
        var back = NpyFile.ReadMatrix(path);
        Assert.Equal((37, 5), (back.Rows, back.Columns));
        Assert.Equal(m.Data, back.Data);
        Assert.Equal(128 + 37 * 5 * 4, new FileInfo(path).Length);
    }

    [Fact]
    public void Labels_and_int_tables_round_trip()
    {
        string path = _dir.File("l.npy");
        NpyFile.WriteLabels(path, [3, 0, -2, 9]);
        Assert.Equal([3, 0, -2, 9], NpyFile.ReadLabels(path));
        string table = _dir.File("t.npy");
        NpyFile.WriteInt32(table, 2, 2, [1, 2, 3, 40]);
        var m = NpyFile.ReadMatrix(table);
        Assert.Equal((2, 2), (m.Rows, m.Columns));
        Assert.Equal([1f, 2, 3, 40], m.Data);
    }

    [Theory]
    [InlineData("|u1")]
    [InlineData("<i8")]
    [InlineData(">i4")]
    [InlineData("<f8")]
    public void Reads_labels_of_any_integral_dtype(string descr)
    {
        string path = Save("l.npy", NpyBuilder.Build(descr, "(5,)", NpyBuilder.Encode(descr, [4, 0, 1, 9, 2])));
        Assert.Equal([4, 0, 1, 9, 2], NpyFile.ReadLabels(path));
    }

    [Fact]
    public void Non_integral_label_names_its_row()
    {
        string path = Save("l.npy", NpyBuilder.Build("<f8", "(3,)", NpyBuilder.Encode("<f8", [1, 2.5, 3])));
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadLabels(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("row 1", e.Message);
    }

    [Fact]
    public void Two_dimensional_labels_are_rejected()
    {
        string path = Save("l.npy", NpyBuilder.Build("<i4", "(2, 2)", NpyBuilder.Encode("<i4", [1, 2, 3, 4])));
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadLabels(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("1-D", e.Message);
    }

    [Fact]
    public void Reads_from_a_stream_and_names_the_source()
    {
        byte[] good = NpyBuilder.Build("|u1", "(2, 2)", [1, 2, 3, 4]);
        Assert.Equal([1f, 2, 3, 4], NpyFile.ReadMatrix(new MemoryStream(good), "embedded").Data);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream(good[..^1]), "embedded:digits"));
        Assert.StartsWith("embedded:digits", e.Message);
    }

    public static TheoryData<string, byte[], string> BadFiles()
    {
        byte[] good = NpyBuilder.Build("<f4", "(2, 3)", NpyBuilder.Encode("<f4", [1, 2, 3, 4, 5, 6]));
        var bad = new TheoryData<string, byte[], string>
        {
            { "empty file", [], "magic" },
            { "wrong magic", [.. "PK"u8.ToArray(), .. good[2..]], "magic" },
            { "truncated preamble", good[..8], "truncated" },
            { "truncated header", good[..40], "truncated" },
            { "truncated data", good[..^3], "truncated" },
            { "version 4", [.. good[..6], 4, .. good[7..]], "version 4" },
            { "unsupported dtype complex", NpyBuilder.Build("<c8", "(2,)", new byte[16]), "unsupported dtype '<c8'" },
            { "unsupported dtype string", NpyBuilder.Build("<U3", "(2,)", new byte[24]), "unsupported dtype '<U3'" },
            { "fortran-ordered three dimensions", NpyBuilder.Build("|u1", "(2, 2, 2)", new byte[8], fortran: true), "Fortran-ordered array of 3 dimensions" },
            { "scalar", NpyBuilder.Build("|u1", "()", new byte[1]), "found a scalar" },
            { "empty array", NpyBuilder.Build("<f4", "(0, 5)", []), "empty" },
            { "malformed header", NpyBuilder.Build("", "", [], headerOverride: "not a dict"), "malformed" },
            { "missing shape", NpyBuilder.Build("", "", [], headerOverride: "{'descr': '<f4', 'fortran_order': False, }"), "'shape' is missing" },
            { "structured dtype", NpyBuilder.Build("", "", [], headerOverride: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"), "structured" },
        };
        return bad;
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_file_raises_an_error_naming_the_file(string what, byte[] bytes, string expected)
    {
        string path = Save(what.Replace(' ', '-') + ".npy", bytes);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Equal(path, e.Data[DataError.FileKey]);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_value_names_row_and_column(float bad)
    {
        double[] values = [1, 2, 3, 4, 5, 6];
        values[5] = bad; // row 1, column 2
        string path = Save("nan.npy", NpyBuilder.Build("<f8", "(2, 3)", NpyBuilder.Encode("<f8", values)));
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(path));
        Assert.StartsWith($"{path}, row 1, column 2:", e.Message);
        Assert.Equal(1, e.Data[DataError.RowKey]);
        Assert.Equal(2, e.Data[DataError.ColumnKey]);
    }

    [Fact]
    public void Missing_file_raises_file_not_found()
        => Assert.Throws<FileNotFoundException>(() => NpyFile.ReadMatrix(_dir.File("absent.npy")));

    [Fact]
    public void Shared_digits_files_load_with_the_right_shape()
    {
        var images = NpyFile.ReadMatrix(TestFiles.DigitsImages);
        var labels = NpyFile.ReadLabels(TestFiles.DigitsLabels);
        Assert.Equal((1797, 64), (images.Rows, images.Columns));
        Assert.Equal(1797, labels.Length);
        Assert.Equal(Enumerable.Range(0, 10), labels.Distinct().Order());
        Assert.Equal(0f, images.Data.Min());
        Assert.Equal(16f, images.Data.Max());
    }
}
