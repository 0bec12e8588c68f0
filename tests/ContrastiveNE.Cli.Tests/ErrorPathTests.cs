using ContrastiveNE.Cli.Tests.Support;

namespace ContrastiveNE.Cli.Tests;

/// <summary>Every error path: one line on stderr naming the option / file / row / column, and the right exit code.</summary>
public class ErrorPathTests
{
    [Fact]
    public void UnknownOption_IsAUsageError()
    {
        var result = CliRunner.Run("knn", TestData.DigitsImages, "-o", "x.npy", "--neighbours", "5");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--neighbours", result.ErrorLine);
        Assert.Contains("cne knn --help", result.ErrorLine);
    }

    [Fact]
    public void ParametricFitOfChunkedData_IsOneDataErrorWithTheRemedy()
    {
        // Data of more than 2³¹ values is stored in row chunks; chunks of 7 rows stand in for it here.
        using var dir = new TempDir();
        string output = dir.File("out.npy");
        CliResult result;
        using (ContrastiveNE.Data.Matrix.ForceChunks(7))
            result = CliRunner.Run("embed", TestData.DigitsImages, "-o", output, "--parametric", "--epochs", "1", "--threads", "2");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("row chunks", result.ErrorLine);
        Assert.Contains("sample of the rows", result.ErrorLine);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void UnknownCommand_IsAUsageError()
    {
        var result = CliRunner.Run("embedd", "x.npy");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("embedd", result.ErrorLine);
    }

    [Theory]
    [InlineData("--k", "many", "--k: expected an integer, got 'many'.")]
    [InlineData("--k", "0", "--k: expected an integer ≥ 1, got 0.")]
    [InlineData("--threads", "-2", "--threads: expected an integer ≥ 0, got -2.")]
    [InlineData("--knn", "fast", "--knn: expected one of auto, exact, approx; got 'fast'.")]
    [InlineData("--knn-metric", "manhattan", "--knn-metric: expected one of euclidean, cosine; got 'manhattan'.")]
    public void MalformedValue_IsAUsageErrorNamingTheOption(string option, string value, string message)
    {
        var result = CliRunner.Run("knn", TestData.DigitsImages, "-o", "x.npy", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.ErrorLine);
    }

    [Fact]
    public void MissingArgument_IsAUsageError()
    {
        var result = CliRunner.Run("knn", "-o", "x.npy");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("INPUT", result.ErrorLine);
    }

    [Fact]
    public void MissingRequiredOutput_IsAUsageError()
    {
        var result = CliRunner.Run("knn", TestData.DigitsImages);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--output", result.ErrorLine);
    }

    [Theory]
    [InlineData("out.txt")]
    [InlineData("out.parquet")]
    [InlineData("out")]
    public void BadOutputExtension_IsAUsageErrorNamingTheOption(string output)
    {
        var result = CliRunner.Run("knn", TestData.DigitsImages, "-o", output);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--output: '{output}' has an unsupported extension; expected a file ending in .npy or .csv", result.ErrorLine);
    }

    [Fact]
    public void BadInputExtension_IsAUsageErrorNamingTheArgument()
    {
        var result = CliRunner.Run("knn", "data.xlsx", "-o", "x.npy");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("INPUT: 'data.xlsx' has an unsupported extension", result.ErrorLine);
    }

    [Fact]
    public void MissingInputFile_IsADataErrorNamingTheFile()
    {
        using var dir = new TempDir();
        string missing = dir.File("nowhere.npy");
        var result = CliRunner.Run("knn", missing, "-o", dir.File("x.npy"));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"cne: error: {missing}: file not found.", result.ErrorLine);
        Assert.Empty(dir.FileNames());
    }

    [Fact]
    public void MissingLabelsFile_IsADataErrorNamingTheFile()
    {
        using var dir = new TempDir();
        var (embedding, _) = TestData.Blobs(2, 10);
        ContrastiveNE.Data.NpyFile.Write(dir.File("e.npy"), embedding);
        var result = CliRunner.Run("plot", dir.File("e.npy"), "--labels", dir.File("labels.npy"), "-o", dir.File("e.png"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("labels.npy: file not found.", result.ErrorLine);
    }

    [Fact]
    public void NonNumericCell_IsADataErrorNamingRowAndColumn()
    {
        using var dir = new TempDir();
        string input = dir.File("bad.csv");
        File.WriteAllLines(input, ["1,2,3", "4,5,6", "7,oops,9", "1,1,1"]);
        var result = CliRunner.Run("knn", input, "-o", dir.File("x.npy"), "--k", "2");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.csv, row 2, column 1", result.ErrorLine);
        Assert.Contains("'oops' is not a number", result.ErrorLine);
        Assert.False(File.Exists(dir.File("x.npy")));
    }

    [Fact]
    public void RaggedRow_IsADataErrorNamingTheRow()
    {
        using var dir = new TempDir();
        string input = dir.File("ragged.tsv");
        File.WriteAllLines(input, ["1\t2\t3", "4\t5", "7\t8\t9"]);
        var result = CliRunner.Run("knn", input, "-o", dir.File("x.csv"), "--k", "1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ragged.tsv, row 1", result.ErrorLine);
    }

    [Fact]
    public void CorruptNpy_IsADataErrorNamingTheFile()
    {
        using var dir = new TempDir();
        string input = dir.File("corrupt.npy");
        File.WriteAllBytes(input, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        var result = CliRunner.Run("knn", input, "-o", dir.File("x.npy"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("corrupt.npy", result.ErrorLine);
    }

    [Fact]
    public void KNotBelowRowCount_IsADataError()
    {
        using var dir = new TempDir();
        string input = dir.File("tiny.csv");
        File.WriteAllLines(input, ["1,2", "3,4", "5,7"]);
        var result = CliRunner.Run("knn", input, "-o", dir.File("x.npy"), "--k", "3");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("tiny.csv: --k 3 needs at least 4 rows, the data has 3", result.ErrorLine);
    }

    [Fact]
    public void Cancellation_StopsAndWritesNothing()
    {
        using var dir = new TempDir();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var result = CliRunner.Run(cancelled.Token, "knn", TestData.DigitsImages, "-o", dir.File("x.npy"));
        Assert.Equal(130, result.ExitCode);
        Assert.Equal("cne: error: cancelled; no output was written.", result.ErrorLine);
        Assert.Empty(dir.FileNames());
    }

    [Fact]
    public void UnknownDevice_IsAUsageErrorNamingTheOption()
    {
        var result = CliRunner.Run("embed", TestData.DigitsImages, "-o", "x.npy", "--device", "tpu");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--device: expected one of cpu, gpu, auto; got 'tpu'.", result.ErrorLine);
    }

    [Fact]
    public void GpuDeviceWithoutCuda_IsAClearErrorAndWritesNothing()
    {
        // On a machine with a CUDA device this run would train on the GPU; the tests run where there is none.
        if (ContrastiveNE.Training.DeviceBackends.Resolve(ContrastiveNE.Embedding.ComputeDevice.Auto) != null) return;
        using var dir = new TempDir();
        var result = CliRunner.Run("embed", TestData.DigitsImages, "-o", dir.File("x.npy"), "--device", "gpu", "--epochs", "2", "--quiet");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("GPU", result.ErrorLine);
        Assert.Empty(dir.FileNames());
    }
}
