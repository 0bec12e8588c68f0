using ContrastiveNE.Models;
using ContrastiveNE.Onnx.Schema;
using ContrastiveNE.Onnx.Tests.Support;

namespace ContrastiveNE.Onnx.Tests;

/// <summary>What the exporter writes (opset, IR, names, open batch dimension) and how it refuses what it cannot write.</summary>
public class ExportErrorTests
{
    [Fact]
    public void Model_DeclaresOpsetIrVersionAndNamedInputsWithAnOpenBatchDimension()
    {
        var model = ModelProto.Parser.ParseFrom(Mlp.Create(10, [4], 2, seed: 1).ToOnnxBytes());
        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal("", opset.Domain);
        Assert.Equal(17, opset.Version);
        Assert.Equal("ContrastiveNE", model.ProducerName);
        var input = Assert.Single(model.Graph.Input);
        var output = Assert.Single(model.Graph.Output);
        Assert.Equal("input", input.Name);
        Assert.Equal("embedding", output.Name);
        Assert.Equal("batch", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(10, input.Type.TensorType.Shape.Dim[1].DimValue);
        Assert.Equal("batch", output.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(2, output.Type.TensorType.Shape.Dim[1].DimValue);
        Assert.Equal(["Gemm", "Relu", "Gemm"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal(["layer0.weight", "layer0.bias", "layer1.weight", "layer1.bias"], model.Graph.Initializer.Select(t => t.Name));
    }

    [Fact]
    public void CustomNames_AreUsedAndOnnxRuntimeRunsThem()
    {
        var network = Mlp.Create(6, [5], 2, seed: 2);
        var options = new OnnxExportOptions { InputName = "x", OutputName = "z", BatchDimension = "n" };
        using var session = OnnxRunner.Session(network.ToOnnxBytes(options));
        var data = OnnxRunner.Random(20, 6, seed: 1);
        var expected = new ContrastiveNE.Data.Matrix(20, 2);
        network.Forward(data.Data, 20, expected.Data, training: false);
        OnnxRunner.AssertClose(expected, OnnxRunner.Run(session, data, "x", "z"));
    }

    [Fact]
    public void SameInputAndOutputName_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Mlp.Create(3, [], 2, seed: 0).ToOnnxBytes(new OnnxExportOptions { InputName = "a", OutputName = "a" }));
        Assert.Contains("'a'", e.Message);
    }

    [Fact]
    public void UnsupportedLayer_IsRefusedNamingItsTypeAndPosition()
    {
        var network = new Sequential(new Linear(4, 3, seed: 1), new Sequential(new Relu(3), new Doubler(3)));
        var e = Assert.Throws<NotSupportedException>(() => network.ToOnnxBytes());
        Assert.Contains("Layer network.Layers[1].Layers[1] (Doubler, 3 → 3) cannot be exported to ONNX", e.Message);
        Assert.Contains("Conv2d", e.Message); // lists what is supported
    }

    [Fact]
    public void UnsupportedLayer_LeavesAnExistingFileUntouchedAndNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.onnx");
        File.WriteAllText(path, "previous");
        var network = new Sequential(new Linear(4, 3, seed: 1), new Doubler(3));
        Assert.Throws<NotSupportedException>(() => network.ExportOnnx(path));
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(["model.onnx"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void MissingFolder_IsADirectoryNotFoundErrorNamingThePath()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "no-such-folder", "model.onnx");
        var e = Assert.Throws<DirectoryNotFoundException>(() => Mlp.Create(3, [], 2, seed: 0).ExportOnnx(path));
        Assert.Contains(path, e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "no-such-folder")));
    }

    [Fact]
    public void PathThatIsAFolder_IsAnIOErrorNamingIt()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<IOException>(() => Mlp.Create(3, [], 2, seed: 0).ExportOnnx(dir.Path));
        Assert.Contains("is a folder", e.Message);
    }

    [Fact]
    public void EmptyPath_IsAnArgumentError() =>
        Assert.Throws<ArgumentException>(() => Mlp.Create(3, [], 2, seed: 0).ExportOnnx(" "));

    [Fact]
    public void NonFiniteWeight_IsRefusedNamingTheParameter()
    {
        var network = Mlp.Create(3, [2], 2, seed: 0);
        ((Linear)network.Layers[2]).Weight.Value[1] = float.NaN;
        var e = Assert.Throws<InvalidOperationException>(() => network.ToOnnxBytes());
        Assert.Contains("'layer1.weight'", e.Message);
    }

    [Fact]
    public void ExportToPath_WritesTheSameBytesAsTheStream()
    {
        using var dir = new TempDirectory();
        var network = Mlp.Create(8, [4], 2, seed: 3);
        network.ExportOnnx(dir.File("m.onnx"));
        using var stream = new MemoryStream();
        network.ExportOnnx(stream);
        Assert.Equal(stream.ToArray(), File.ReadAllBytes(dir.File("m.onnx")));
        Assert.Equal(["m.onnx"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    /// <summary>A layer the exporter does not know: doubles its input.</summary>
    private sealed class Doubler(int width) : INetwork
    {
        public int InputDimension => width;
        public int OutputDimension => width;
        public IReadOnlyList<Parameter> Parameters => [];
        public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output, bool training)
        {
            for (int i = 0; i < rows * width; i++) output[i] = 2 * input[i];
        }
        public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient) { }
    }
}
