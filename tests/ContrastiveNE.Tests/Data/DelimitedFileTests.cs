using ContrastiveNE.Data;
using ContrastiveNE.Randomness;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Data;

public sealed class DelimitedFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Save(string name, string text)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Comma_file_with_header_and_text_labels_by_name()
    {
        string path = Save("iris.csv", "a,b,species,c\n1,2,setosa,3\n4,5.5,virginica,6\n-7,8e1,setosa,9\n");
        var d = DelimitedFile.Read(path, LabelColumn.ByName("species"));
        Assert.Equal(',', d.Delimiter);
        Assert.Equal((3, 3), (d.Data.Rows, d.Data.Columns));
        Assert.Equal([1f, 2, 3, 4, 5.5f, 6, -7, 80, 9], d.Data.Data);
        Assert.Equal([0, 1, 0], d.Labels!);
        Assert.Equal(["setosa", "virginica"], d.LabelNames);
        Assert.Equal(["a", "b", "c"], d.ColumnNames);
    }

    [Theory]
    [InlineData("t.tsv", "1\t2\t3\n4\t5\t6\n", '\t')]
    [InlineData("s.csv", "1;2;3\r\n4;5;6\r\n", ';')]
    [InlineData("c.txt", "1, 2, 3\n\n# comment\n4, 5, 6", ',')]
    [InlineData("w.txt", "  1   2 3\n4 5\t 6\n", null)]
    public void Delimiter_is_detected_and_headerless_files_read(string name, string text, char? delimiter)
    {
        var d = DelimitedFile.Read(Save(name, text));
        Assert.Equal(delimiter, d.Delimiter);
        Assert.Null(d.ColumnNames);
        Assert.Null(d.Labels!);
        Assert.Equal([1f, 2, 3, 4, 5, 6], d.Data.Data);
        Assert.Equal((2, 3), (d.Data.Rows, d.Data.Columns));
    }

    [Fact]
    public void Integer_labels_by_index_keep_their_values()
    {
        var d = DelimitedFile.Read(Save("l.csv", "7,1.5,2\n3,2.5,3\n7,3.5,4\n"), LabelColumn.ByIndex(0));
        Assert.Equal([7, 3, 7], d.Labels!);
        Assert.Null(d.LabelNames);
        Assert.Equal([1.5f, 2, 2.5f, 3, 3.5f, 4], d.Data.Data);
        var last = DelimitedFile.Read(Save("m.csv", "1.5,2,b\n2.5,3,a\n"), LabelColumn.ByIndex(-1));
        Assert.Equal([0, 1], last.Labels!);
        Assert.Equal(["b", "a"], last.LabelNames);
    }

    [Fact]
    public void Quoted_cells_are_unquoted()
    {
        var d = DelimitedFile.Read(Save("q.csv", "\"x, y\",\"la\"\"bel\"\n1,\"a, b\"\n2,c\n"), LabelColumn.ByName("la\"bel"));
        Assert.Equal(["x, y"], d.ColumnNames);
        Assert.Equal(["a, b", "c"], d.LabelNames);
        Assert.Equal([1f, 2], d.Data.Data);
    }

    [Fact]
    public void Writer_round_trips_floats_exactly_with_and_without_header()
    {
        var rng = Xoshiro256.Create(3);
        var m = new Matrix(20, 3);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(rng.NextGaussian() * Math.Pow(10, rng.NextInt(12) - 6));
        m.Data[0] = float.MaxValue;
        m.Data[1] = float.Epsilon;
        string csv = _dir.File("w.csv");
        DelimitedFile.Write(csv, m, ["x", "y", "z"]);
        var back = DelimitedFile.Read(csv);
        Assert.Equal(["x", "y", "z"], back.ColumnNames);
        Assert.Equal(m.Data, back.Data.Data);
        string tsv = _dir.File("w.tsv");
        DelimitedFile.Write(tsv, m);
        Assert.Contains('\t', File.ReadAllText(tsv));
        var back2 = DelimitedFile.Read(tsv);
        Assert.Equal('\t', back2.Delimiter);
        Assert.Equal(m.Data, back2.Data.Data);
    }

    [Fact]
    public void Writer_checks_the_header_length()
    {
        var e = Assert.Throws<ArgumentException>(() => DelimitedFile.Write(_dir.File("x.csv"), new Matrix(1, 2), ["a"]));
        Assert.Equal("columnNames", e.ParamName);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    public static TheoryData<string, string, string, int?, int?> BadFiles() => new()
    {
        { "empty", "", "empty", null, null },
        { "blank", "\n  \n# only a comment\n", "empty", null, null },
        { "header only", "a,b\n", "no data rows", null, null },
        { "ragged", "1,2,3\n4,5,6\n7,8\n", "line 3 has 2 cells", 2, null },
        { "non-numeric", "a,b\n1,2\n3,x\n", "line 3: the cell 'x' is not a number", 1, 1 },
        { "empty cell", "1,2\n,4\n", "the cell '' is not a number", 1, 0 },
        { "nan", "1,2\n3,NaN\n", "NaN", 1, 1 },
        { "inf", "1,2\n-Infinity,4\n", "infinite", 1, 0 },
        { "overflow", "1,2\n1e39,4\n", "infinite in float32", 1, 0 },
        { "unterminated quote", "1,\"2\n", "unterminated", null, 1 },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_file_names_file_row_and_column(string what, string text, string expected, int? row, int? column)
    {
        string path = Save(what.Replace(' ', '-') + ".csv", text);
        var e = Assert.Throws<InvalidDataException>(() => DelimitedFile.Read(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Equal(row, (int?)e.Data[DataError.RowKey]);
        Assert.Equal(column, (int?)e.Data[DataError.ColumnKey]);
    }

    [Fact]
    public void Missing_label_column_is_reported()
    {
        string path = Save("h.csv", "a,b\n1,2\n");
        var byName = Assert.Throws<InvalidDataException>(() => DelimitedFile.Read(path, LabelColumn.ByName("label")));
        Assert.Contains("'label'", byName.Message);
        Assert.StartsWith(path, byName.Message);
        var byIndex = Assert.Throws<InvalidDataException>(() => DelimitedFile.Read(path, LabelColumn.ByIndex(2)));
        Assert.Contains("index 2", byIndex.Message);
        var only = Assert.Throws<InvalidDataException>(() => DelimitedFile.Read(Save("o.csv", "1\n2\n"), LabelColumn.ByIndex(0)));
        Assert.Contains("no data columns", only.Message);
    }

    [Fact]
    public void Text_labels_without_a_label_column_are_a_non_numeric_cell()
    {
        // The header is detected from the first row; the text label in a data row is then an error naming it.
        string path = Save("t.csv", "x,y,kind\n1,2,cat\n");
        var e = Assert.Throws<InvalidDataException>(() => DelimitedFile.Read(path));
        Assert.Contains("row 0, column 2", e.Message);
    }
}
