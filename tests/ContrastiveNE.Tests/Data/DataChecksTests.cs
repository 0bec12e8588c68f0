using ContrastiveNE.Data;

namespace ContrastiveNE.Tests.Data;

public sealed class DataChecksTests
{
    [Fact]
    public void Too_few_rows_names_the_data_and_the_counts()
    {
        var m = new Matrix(10, 3);
        DataChecks.EnsureMinRows(m, 10, "x.npy");
        var e = Assert.Throws<InvalidDataException>(() => DataChecks.EnsureMinRows(m, 16, "x.npy", "k = 15 neighbours"));
        Assert.Equal("x.npy: holds 10 rows, but at least 16 are needed (k = 15 neighbours).", e.Message);
    }

    [Fact]
    public void Non_finite_value_names_row_and_column()
    {
        var m = new Matrix(3, 4);
        DataChecks.EnsureFinite(m, "m");
        m[2, 1] = float.NaN;
        var e = Assert.Throws<InvalidDataException>(() => DataChecks.EnsureFinite(m, "m"));
        Assert.StartsWith("m, row 2, column 1:", e.Message);
    }
}
