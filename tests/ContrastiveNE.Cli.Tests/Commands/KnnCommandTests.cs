using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Cli.Tests.Commands;

public class KnnCommandTests
{
    [Fact]
    public void Knn_ExactNpyToNpy_WritesTheExactNeighbourTable()
    {
        using var dir = new TempDir();
        string input = dir.File("small.npy");
        NpyFile.Write(input, NpyFile.ReadMatrix(TestData.DigitsImages).Slice(0, 400));
        string output = dir.File("knn.npy");

        var result = CliRunner.Run("knn", input, "-o", output, "--k", "10", "--knn", "exact", "--threads", "1");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("cne: knn done in", result.Error);
        Assert.Contains("cne: timings: read", result.Error);
        var table = NpyFile.ReadMatrix(output);
        Assert.Equal(400, table.Rows);
        Assert.Equal(10, table.Columns);
        var expected = NearestNeighbors.Exact(NpyFile.ReadMatrix(input), 10);
        for (int i = 0; i < 400; i++)
            for (int j = 0; j < 10; j++)
                Assert.Equal(expected.Indices[i * 10 + j], (int)table[i, j]);
    }

    [Fact]
    public void Knn_CsvWithLabelColumnToCsv_WritesOneLinePerPoint()
    {
        using var dir = new TempDir();
        string input = TestData.WriteDigitsCsv(dir, 300);
        string output = dir.File("knn.csv");

        var result = CliRunner.Run("knn", input, "-o", output, "--k", "5", "--knn", "exact", "--label-column", "digit", "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        var lines = File.ReadAllLines(output);
        Assert.Equal(300, lines.Length);
        // Every line is that point's exact neighbour list (the label column is not a feature).
        var expected = NearestNeighbors.Exact(NpyFile.ReadMatrix(TestData.DigitsImages).Slice(0, 300), 5);
        for (int i = 0; i < 300; i++)
            Assert.Equal(expected.Indices.AsSpan(i * 5, 5).ToArray(), lines[i].Split(',').Select(int.Parse).ToArray());
    }
}
