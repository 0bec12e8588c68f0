using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Models.Layers;

namespace ContrastiveNE.Onnx.Tests;

/// <summary>
/// The exported files pass the ONNX project's own checker (<c>onnx.checker.check_model</c> with full shape inference),
/// run through Debian's <c>python3-onnx</c>, which <c>.ci/run</c> installs. A machine without it fails this test with
/// a message saying what to install, rather than skipping it.
/// </summary>
public class OnnxCheckerTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void ExportedModels_PassTheOnnxChecker()
    {
        using var dir = new TempDirectory();
        var encoder = ConvEncoder.Create(new ImageShape(1, 12, 12), [4, 8], projectionDimension: 6, seed: 1, representationGrid: 2);
        var image = new ImageShape(2, 9, 7);
        var conv = new Conv2d(image, 3, 3, 2, stride: 2, padding: 1, bias: false);
        var avg = new AvgPool2d(conv.OutputShape, 2, stride: 1, padding: 1);
        var flatten = new Flatten(avg.OutputShape);
        var models = new Dictionary<string, INetwork>
        {
            ["mlp.onnx"] = Mlp.Create(784, null, 2, seed: 1),
            ["backbone.onnx"] = encoder.Backbone,
            ["encoder.onnx"] = encoder.Network,
            ["layers.onnx"] = new Sequential(new BatchNorm(image), conv, new MaxPool2d(conv.OutputShape, 3, 1, 1), avg, flatten,
                new BatchNorm(flatten.OutputDimension), new Linear(flatten.OutputDimension, 2)),
        };
        foreach (var (name, network) in models) network.ExportOnnx(dir.File(name));

        const string script = """
            import sys, onnx
            for path in sys.argv[1:]:
                model = onnx.load(path)
                onnx.checker.check_model(model, full_check=True)
                assert model.opset_import[0].version == 17 and model.ir_version == 8, path
            print("checked", len(sys.argv) - 1)
            """;
        var (code, output, error) = RunPython(script, [.. models.Keys.Select(dir.File)]);
        Assert.True(code == 0, $"the ONNX checker rejected a model (exit {code}):\n{output}\n{error}");
        Assert.Equal($"checked {models.Count}", output.Trim());
    }

    private static (int Code, string Output, string Error) RunPython(string script, string[] arguments)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3-onnx (apt-get install -y python3-onnx), as .ci/run does");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the ONNX checker did not finish within 120 s");
        string errorText = error.Result;
        Assert.False(errorText.Contains("No module named 'onnx'"), "Python's onnx module is missing: install Debian's python3-onnx (apt-get install -y python3-onnx), as .ci/run does");
        return (process.ExitCode, output.Result, errorText);
    }
}
