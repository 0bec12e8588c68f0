using ContrastiveNE.Data;
using ParquetSharp;

namespace ContrastiveNE.Formats.Tests;

/// <summary>
/// The Parquet reader against files written by ParquetSharp (Arrow C++), so a reader bug cannot hide behind a
/// matching writer bug; and our writer read back by ParquetSharp.
/// </summary>
public sealed class ParquetFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public ParquetFileTests() => FormatsPackage.Register();

    public void Dispose() => _dir.Dispose();

    private string WriteFixture(string name, int rows, bool withNull = false, float nanAt = -1, int rowGroups = 1)
    {
        string path = _dir.File(name);
        var columns = new Column[]
        {
            new Column<double>("a"), new Column<float?>("b"), new Column<string>("kind"), new Column<long>("c"), new Column<int>("klass"),
        };
        using (var writer = new ParquetFileWriter(path, columns))
        {
            int per = (rows + rowGroups - 1) / rowGroups;
            for (int start = 0; start < rows; start += per)
            {
                int n = Math.Min(per, rows - start);
                var idx = Enumerable.Range(start, n).ToArray();
                using var group = writer.AppendRowGroup();
                using (var w = group.NextColumn().LogicalWriter<double>()) w.WriteBatch(idx.Select(i => i * 1.5).ToArray());
                using (var w = group.NextColumn().LogicalWriter<float?>())
                    w.WriteBatch(idx.Select(i => withNull && i == 3 ? (float?)null : i == nanAt ? float.NaN : -i).ToArray());
                using (var w = group.NextColumn().LogicalWriter<string>()) w.WriteBatch(idx.Select(i => i % 2 == 0 ? "even" : "odd").ToArray());
                using (var w = group.NextColumn().LogicalWriter<long>()) w.WriteBatch(idx.Select(i => (long)i * i).ToArray());
                using (var w = group.NextColumn().LogicalWriter<int>()) w.WriteBatch(idx.Select(i => i % 3).ToArray());
            }
            writer.Close();
        }
        return path;
    }

    [Fact]
    public void Numeric_columns_become_the_matrix_across_row_groups()
    {
        string path = WriteFixture("t.parquet", 25, rowGroups: 3);
        var loaded = DataFormats.Read(path, new() { LabelColumn = LabelColumn.ByName("kind") });
        Assert.Equal(["a", "b", "c", "klass"], loaded.ColumnNames!);
        Assert.Equal((25, 4), (loaded.Data.Rows, loaded.Data.Columns));
        for (int i = 0; i < 25; i++)
        {
            Assert.Equal([i * 1.5f, -i, i * i, i % 3], loaded.Data.Row(i).ToArray());
            Assert.Equal(i % 2 == 0 ? "even" : "odd", loaded.LabelNames![loaded.Labels![i]]);
        }
        var ints = DataFormats.Read(path, new() { LabelColumn = LabelColumn.ByName("klass") });
        Assert.Equal(Enumerable.Range(0, 25).Select(i => i % 3), ints.Labels!);
        Assert.Null(ints.LabelNames);
    }

    [Fact]
    public void Nulls_nan_and_missing_columns_are_named()
    {
        string nulls = WriteFixture("n.parquet", 6, withNull: true);
        Assert.StartsWith($"{nulls}, row 3, column 1: the column 'b' is empty (null)", Assert.Throws<InvalidDataException>(() => DataFormats.Read(nulls)).Message);
        string nan = WriteFixture("nan.parquet", 6, nanAt: 4);
        Assert.StartsWith($"{nan}, row 4, column 1:", Assert.Throws<InvalidDataException>(() => DataFormats.Read(nan)).Message);
        var missing = Assert.Throws<ArgumentException>(() => DataFormats.Read(nan, new() { LabelColumn = LabelColumn.ByName("cell_type") }));
        Assert.Contains("no column 'cell_type'; it holds a, b, kind, c, klass", missing.Message);
        string plain = WriteFixture("plain.parquet", 6);
        var fraction = Assert.Throws<InvalidDataException>(() => DataFormats.Read(plain, new() { LabelColumn = LabelColumn.ByName("a") }));
        Assert.StartsWith($"{plain}, row 1: the label 1.5 in column 'a' is not an integer.", fraction.Message);
    }

    [Fact]
    public void Truncated_empty_and_foreign_files_are_one_clear_error()
    {
        byte[] good = File.ReadAllBytes(WriteFixture("g.parquet", 50));
        foreach (var (name, bytes) in new[] { ("cut.parquet", good[..(good.Length / 2)]), ("empty.parquet", Array.Empty<byte>()), ("text.parquet", "a,b\n1,2\n"u8.ToArray()) })
        {
            string path = _dir.File(name);
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InvalidDataException>(() => DataFormats.Read(path));
            Assert.StartsWith(path, e.Message);
        }
    }

    [Fact]
    public void Written_embedding_has_x_y_and_label_columns_that_arrow_reads()
    {
        string path = _dir.File("e.parquet");
        var m = new Matrix(3, 2, [1, 2, 3, 4, 5, 6]);
        DataFormats.Write(path, m, new DataWriteOptions { Labels = [1, 0, 1], LabelNames = ["B cell", "T cell"], LabelColumnName = "cell_type" });
        using var reader = new ParquetFileReader(path);
        var schema = reader.FileMetaData.Schema;
        Assert.Equal(["x", "y", "cell_type"], Enumerable.Range(0, schema.NumColumns).Select(i => schema.Column(i).Name));
        using var group = reader.RowGroup(0);
        Assert.Equal([1f, 3, 5], group.Column(0).LogicalReader<float>().ReadAll(3));
        Assert.Equal([2f, 4, 6], group.Column(1).LogicalReader<float>().ReadAll(3));
        Assert.Equal(["T cell", "B cell", "T cell"], group.Column(2).LogicalReader<string>().ReadAll(3));
        var back = DataFormats.Read(path, new() { LabelColumn = LabelColumn.ByName("cell_type") });
        Assert.Equal(m.Data, back.Data.Data);
    }
}
