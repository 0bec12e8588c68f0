using System.Globalization;
using System.Text;
using ContrastiveNE.Data;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Data;

/// <summary>The byte-level CSV parser: its fast number path, its parallel blocks and the errors they report.</summary>
public sealed class DelimitedParsingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Fast_number_path_gives_the_correctly_rounded_float()
    {
        var rng = new Random(20);
        string[] fixedCases = ["0", "-0", "+7", "255", "0.1", "0.0039", "16777215", "1677721.5", "-12.5", ".5", "5.", "1e3", "1.5E-7", "123456789", "0.30000001", "nan", "-inf", "3.4028236e38"];
        var cases = fixedCases.Concat(Enumerable.Range(0, 5000).Select(_ =>
            (rng.NextDouble() * Math.Pow(10, rng.Next(-6, 8)) * (rng.Next(2) == 0 ? -1 : 1)).ToString("G" + rng.Next(1, 10), CultureInfo.InvariantCulture)));
        foreach (string text in cases)
        {
            bool expectedOk = float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float expected);
            bool ok = DelimitedFile.TryParse(Encoding.UTF8.GetBytes(text), out float actual);
            Assert.Equal(expectedOk, ok);
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"{text}: {actual} vs {expected}");
        }
        Assert.False(DelimitedFile.TryParse("-"u8, out _));
        Assert.False(DelimitedFile.TryParse("1.2.3"u8, out _));
    }

    [Fact]
    public void Quoted_and_plain_lines_of_a_large_file_parse_alike_across_blocks()
    {
        // 3,000 rows span twelve parallel blocks; every seventh line is quoted (the string path), the rest take the byte path.
        var text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 3000; i++)
            text.Append(i % 7 == 0 ? $"\"{i}\", {i * 0.5} ,\"c{i % 3}\"\r\n" : $"{i},{i * 0.5},c{i % 3}\n");
        string path = _dir.File("big.csv");
        File.WriteAllText(path, text.ToString());
        var d = DelimitedFile.Read(path, LabelColumn.ByName("label"));
        Assert.Equal((3000, 2), (d.Data.Rows, d.Data.Columns));
        for (int i = 0; i < 3000; i++)
        {
            Assert.Equal(i, d.Data[i, 0]);
            Assert.Equal(i * 0.5f, d.Data[i, 1]);
            Assert.Equal($"c{i % 3}", d.LabelNames![d.Labels![i]]);
        }
    }

    [Fact]
    public void The_first_bad_row_in_file_order_is_reported_whichever_block_finds_it()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 2000; i++) text.Append(i == 1900 ? "1,x\n" : i == 700 ? "1,1e39\n" : i == 1200 ? "1\n" : "1,2\n");
        string path = _dir.File("bad.csv");
        File.WriteAllText(path, text.ToString());
        var e = Assert.Throws<InvalidDataException>(() => DelimitedFile.Read(path));
        Assert.Equal($"{path}, row 700, column 1: line 701: the cell '1e39' is infinite in float32; every value must be finite.", e.Message);
        File.WriteAllText(path, "1,2\n3,NaN\n");
        Assert.Contains("row 1, column 1: line 2: the cell 'NaN' is NaN", Assert.Throws<InvalidDataException>(() => DelimitedFile.Read(path)).Message);
        File.WriteAllText(path, "1,2\n3,4,5\n");
        Assert.Contains("line 2 has 3 cells, but the first line has 2", Assert.Throws<InvalidDataException>(() => DelimitedFile.Read(path)).Message);
    }

    [Fact]
    public void Byte_order_marks_are_skipped()
    {
        string path = _dir.File("bom.csv");
        File.WriteAllText(path, "x,y\n1,2\n", new UTF8Encoding(true));
        Assert.Equal([1f, 2], DelimitedFile.Read(path).Data.Data);
        File.WriteAllText(path, "x,y\n1,2\n", Encoding.Unicode);
        Assert.Equal([1f, 2], DelimitedFile.Read(path).Data.Data);
    }
}
