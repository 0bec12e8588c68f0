using ContrastiveNE.Cli;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Onnx.Tests.Support;

namespace ContrastiveNE.Onnx.Tests;

/// <summary><c>cne export</c> end to end: embed with --save-model, export, run the ONNX file, compare with <c>cne transform</c>'s model.</summary>
public class ExportCommandTests
{
    private static (int Code, string Error) Cne(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CneApp.RunAsync(args, output, error, errorIsTerminal: false, CancellationToken.None).GetAwaiter().GetResult();
        return (code, error.ToString());
    }

    [Fact]
    public void EmbedSaveModelThenExport_OnnxRuntimeReproducesTheModelsTransform()
    {
        using var dir = new TempDirectory();
        var images = NpyFile.ReadMatrix(TestFiles.DigitsImages);
        NpyFile.Write(dir.File("train.npy"), images.Slice(0, 400));
        var fit = Cne("embed", dir.File("train.npy"), "--parametric", "--epochs", "5", "--save-model", dir.File("m.cnem"), "-o", dir.File("e.npy"), "--quiet");
        Assert.True(fit.Code == 0, fit.Error);

        var export = Cne("export", dir.File("m.cnem"), "-o", dir.File("m.onnx"), "--quiet");
        Assert.True(export.Code == 0, export.Error);
        Assert.Equal(["e.npy", "m.cnem", "m.onnx", "train.npy"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());

        var rows = images.Slice(1000, 300);
        var expected = CneModel.Load(dir.File("m.cnem")).Transform(rows);
        using var session = OnnxRunner.Session(File.ReadAllBytes(dir.File("m.onnx")));
        OnnxRunner.AssertClose(expected, OnnxRunner.Run(session, rows));
    }

    [Fact]
    public void Export_NotAModelFile_IsADataErrorAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var result = Cne("export", TestFiles.DigitsImages, "-o", dir.File("m.onnx"));
        Assert.Equal(ExitCodes.DataError, result.Code);
        Assert.Contains("is not a ContrastiveNE model file", result.Error);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Export_MissingModel_NamesTheFile()
    {
        using var dir = new TempDirectory();
        var result = Cne("export", dir.File("none.cnem"), "-o", dir.File("m.onnx"));
        Assert.Equal(ExitCodes.DataError, result.Code);
        Assert.Contains("none.cnem: file not found.", result.Error);
    }

    [Fact]
    public void Export_OutputWithoutOnnxExtension_IsAUsageError()
    {
        using var dir = new TempDirectory();
        var result = Cne("export", dir.File("m.cnem"), "-o", dir.File("m.npy"));
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Contains(".onnx", result.Error);
    }

    [Fact]
    public void Export_IntoAMissingFolder_IsADataErrorNamingIt()
    {
        using var dir = new TempDirectory();
        CneModelFile(dir.File("m.cnem"));
        var result = Cne("export", dir.File("m.cnem"), "-o", Path.Combine(dir.Path, "missing", "m.onnx"));
        Assert.Equal(ExitCodes.DataError, result.Code);
        Assert.Contains("missing", result.Error);
    }

    private static void CneModelFile(string path)
    {
        var data = NpyFile.ReadMatrix(TestFiles.DigitsImages).Slice(0, 200);
        new Cne(new CneOptions { Parametric = true, Epochs = 1, HiddenLayers = [8], Threads = 1 }).Fit(data).Model!.Save(path);
    }
}
