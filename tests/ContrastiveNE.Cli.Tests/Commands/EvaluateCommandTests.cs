using System.Text.Json;
using ContrastiveNE.Cli.Tests.Support;
using ContrastiveNE.Data;

namespace ContrastiveNE.Cli.Tests.Commands;

public class EvaluateCommandTests
{
    [Fact]
    public void Evaluate_DataAgainstItself_IsPerfect()
    {
        using var dir = new TempDir();
        var (points, labels) = TestData.Blobs(5, 60);
        NpyFile.Write(dir.File("x.npy"), points);
        NpyFile.WriteLabels(dir.File("y.npy"), labels);

        var result = CliRunner.Run("evaluate", dir.File("x.npy"), dir.File("x.npy"), "--labels", dir.File("y.npy"), "--quiet");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(1.0, json.RootElement.GetProperty("recall_at_15").GetDouble(), 9);
        Assert.Equal(1.0, json.RootElement.GetProperty("spearman").GetDouble(), 9);
        Assert.Equal(1.0, json.RootElement.GetProperty("knn_accuracy").GetDouble(), 9);
        Assert.Equal(300, json.RootElement.GetProperty("sampled_points").GetInt32());
    }

    [Fact]
    public void Evaluate_WithoutLabels_PrintsNullAccuracy_CsvEmbedding()
    {
        using var dir = new TempDir();
        var (points, _) = TestData.Blobs(3, 40);
        NpyFile.Write(dir.File("x.npy"), points);
        var swapped = new Matrix(points.Rows, 2);
        for (int i = 0; i < points.Rows; i++) { swapped[i, 0] = points[i, 1]; swapped[i, 1] = -points[i, 0]; }
        DelimitedFile.Write(dir.File("e.csv"), swapped);

        var result = CliRunner.Run("evaluate", dir.File("x.npy"), dir.File("e.csv"), "--sample", "50", "--seed", "3", "--quiet");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        // A rotation keeps every distance, so the figures stay perfect.
        Assert.Equal(1.0, json.RootElement.GetProperty("recall_at_15").GetDouble(), 6);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("knn_accuracy").ValueKind);
        Assert.Equal(50, json.RootElement.GetProperty("sampled_points").GetInt32());
    }

    [Fact]
    public void Evaluate_RowCountMismatch_IsADataErrorNamingBothFiles()
    {
        using var dir = new TempDir();
        var (points, _) = TestData.Blobs(3, 40);
        NpyFile.Write(dir.File("x.npy"), points);
        NpyFile.Write(dir.File("e.npy"), points.Slice(0, 100));

        var result = CliRunner.Run("evaluate", dir.File("x.npy"), dir.File("e.npy"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("e.npy: 100 rows, but", result.ErrorLine);
        Assert.Contains("x.npy has 120", result.ErrorLine);
    }
}
