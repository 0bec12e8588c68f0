using System.Buffers.Binary;
using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Models.Layers;
using ContrastiveNE.Onnx.Schema;
using Google.Protobuf;

namespace ContrastiveNE.Onnx;

/// <summary>
/// Translates a network into an ONNX graph, layer by layer. A row of our networks is flat (an image is C × H × W values
/// in one row), while ONNX's image operators want N × C × H × W tensors, so the builder tracks the shape of the
/// current value (without its batch dimension) and inserts a Reshape before an image layer and a Flatten before a
/// linear layer only where the shape changes. Parameters become initialisers named after the layer's parameters.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph = new();
    private readonly HashSet<string> _names = [];
    private string _current;
    private int[] _shape; // the current value's shape without the batch dimension
    private readonly Dictionary<string, int> _counters = []; // per base name: the last suffix handed out

    /// <summary>Starts a graph whose input <paramref name="inputName"/> has rows of <paramref name="inputWidth"/>; no generated name will equal either graph name.</summary>
    public OnnxGraphBuilder(string inputName, int inputWidth, string outputName)
    {
        _current = inputName;
        _shape = [inputWidth];
        _names.Add(inputName);
        _names.Add(outputName);
    }

    /// <summary>Adds the nodes of <paramref name="network"/> (nested chains are walked); <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX translation; the message names it and where it sits.</exception>
    public void Add(INetwork network, string path)
    {
        switch (network)
        {
            case Sequential chain:
                for (int i = 0; i < chain.Layers.Count; i++) Add(chain.Layers[i], $"{path}.Layers[{i}]");
                break;
            case Linear linear:
                AddLinear(linear);
                break;
            case Relu:
                _current = Node("Relu", "relu", [_current]);
                break;
            case Conv2d conv:
                AddConv(conv);
                break;
            case BatchNorm norm:
                AddBatchNorm(norm);
                break;
            case MaxPool2d pool:
                EnsureImage(pool.InputShape);
                _current = Node("MaxPool", "maxpool", [_current],
                    Ints("kernel_shape", pool.KernelSize, pool.KernelSize), Ints("strides", pool.Stride, pool.Stride),
                    Ints("pads", pool.Padding, pool.Padding, pool.Padding, pool.Padding), Int("ceil_mode", 0));
                _shape = ShapeOf(pool.OutputShape);
                break;
            case AvgPool2d pool:
                EnsureImage(pool.InputShape);
                // Padding counts as zeros in the divisor, as our layer (and PyTorch's default) does.
                _current = Node("AveragePool", "avgpool", [_current],
                    Ints("kernel_shape", pool.KernelSize, pool.KernelSize), Ints("strides", pool.Stride, pool.Stride),
                    Ints("pads", pool.Padding, pool.Padding, pool.Padding, pool.Padding), Int("ceil_mode", 0), Int("count_include_pad", 1));
                _shape = ShapeOf(pool.OutputShape);
                break;
            case GlobalAvgPool2d pool:
                EnsureImage(pool.InputShape);
                _current = Node("GlobalAveragePool", "globalavgpool", [_current]);
                _shape = [pool.InputShape.Channels, 1, 1];
                break;
            case Flatten:
                EnsureFlat();
                break;
            default:
                throw new NotSupportedException(
                    $"Layer {path} ({network.GetType().Name}, {network.InputDimension} → {network.OutputDimension}) cannot be exported to ONNX; " +
                    $"the exporter translates {SupportedLayers}.");
        }
    }

    /// <summary>The layer types the exporter translates, for error messages and documentation.</summary>
    public const string SupportedLayers = "Sequential, Linear, Relu, Conv2d, BatchNorm (1-D and 2-D), MaxPool2d, AvgPool2d, GlobalAvgPool2d and Flatten";

    /// <summary>Ends the graph: the value is flattened to (batch, width) and named <paramref name="outputName"/>.</summary>
    public GraphProto Finish(string graphName, string inputName, int inputWidth, string outputName, int outputWidth, string batchDimension)
    {
        EnsureFlat();
        if (_graph.Node.Count == 0 || _current == inputName)
            _current = Node("Identity", "identity", [_current]);
        // The last node writes the graph output directly.
        var last = _graph.Node[^1];
        last.Output[0] = outputName;
        _graph.Name = graphName;
        _graph.Input.Add(Value(inputName, batchDimension, inputWidth));
        _graph.Output.Add(Value(outputName, batchDimension, outputWidth));
        return _graph;
    }

    private void AddLinear(Linear linear)
    {
        EnsureFlat();
        // y = x·Wᵀ + b with W stored [out, in] row-major, as Gemm with transB = 1 reads it.
        string weight = Initializer(linear.Weight.Name, linear.Weight.Value, linear.OutputDimension, linear.InputDimension);
        string bias = Initializer(linear.Bias.Name, linear.Bias.Value, linear.OutputDimension);
        _current = Node("Gemm", "gemm", [_current, weight, bias], Int("transB", 1));
        _shape = [linear.OutputDimension];
    }

    private void AddConv(Conv2d conv)
    {
        EnsureImage(conv.InputShape);
        var input = conv.InputShape;
        int outChannels = conv.OutputShape.Channels;
        var inputs = new List<string>
        {
            _current,
            Initializer(conv.Weight.Name, conv.Weight.Value, outChannels, input.Channels, conv.KernelHeight, conv.KernelWidth),
        };
        if (conv.Bias is { } bias) inputs.Add(Initializer(bias.Name, bias.Value, outChannels));
        _current = Node("Conv", "conv", [.. inputs],
            Ints("kernel_shape", conv.KernelHeight, conv.KernelWidth), Ints("strides", conv.Stride, conv.Stride),
            Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding), Ints("dilations", 1, 1), Int("group", 1));
        _shape = ShapeOf(conv.OutputShape);
    }

    private void AddBatchNorm(BatchNorm norm)
    {
        // Inference form: y = γ·(x − running mean)/√(running variance + ε) + β per channel (axis 1).
        int channels = norm.Channels, spatial = norm.SpatialSize;
        if (spatial == 1) EnsureFlat();
        else if (!(_shape.Length == 3 && _shape[0] == channels && _shape[1] * _shape[2] == spatial)) EnsureShape([channels, spatial]);
        string scale = Initializer(norm.Scale.Name, norm.Scale.Value, channels);
        string shift = Initializer(norm.Shift.Name, norm.Shift.Value, channels);
        string baseName = norm.Scale.Name.EndsWith(".weight", StringComparison.Ordinal) ? norm.Scale.Name[..^".weight".Length] : norm.Scale.Name;
        string mean = Initializer(baseName + ".running_mean", norm.RunningMean, channels);
        string variance = Initializer(baseName + ".running_var", norm.RunningVariance, channels);
        var epsilon = new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = norm.Epsilon };
        _current = Node("BatchNormalization", "batchnorm", [_current, scale, shift, mean, variance], epsilon);
    }

    private void EnsureFlat()
    {
        if (_shape.Length == 1) return;
        _current = Node("Flatten", "flatten", [_current], Int("axis", 1));
        _shape = [_shape.Aggregate(1, (a, b) => a * b)];
    }

    private void EnsureImage(ImageShape shape) => EnsureShape(ShapeOf(shape));

    private void EnsureShape(int[] shape)
    {
        if (_shape.AsSpan().SequenceEqual(shape)) return;
        // −1 lets the batch dimension stay whatever it is at run time.
        long[] target = [-1, .. shape.Select(d => (long)d)];
        string shapeName = Unique("shape");
        var tensor = new TensorProto { Name = shapeName, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(target.Length);
        var bytes = new byte[target.Length * sizeof(long)];
        for (int i = 0; i < target.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), target[i]);
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        _current = Node("Reshape", "reshape", [_current, shapeName]);
        _shape = shape;
    }

    private static int[] ShapeOf(ImageShape shape) => [shape.Channels, shape.Height, shape.Width];

    private string Node(string opType, string name, string[] inputs, params AttributeProto[] attributes)
    {
        string nodeName = Unique(name);
        var node = new NodeProto { OpType = opType, Name = nodeName };
        node.Input.Add(inputs);
        node.Output.Add(nodeName + "_out");
        _names.Add(nodeName + "_out");
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return nodeName + "_out";
    }

    /// <summary>Adds a float initialiser of the given shape (values little-endian in raw_data) and returns its name.</summary>
    private string Initializer(string name, float[] values, params int[] dims)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (values.Length != count)
            throw new InvalidOperationException($"Parameter '{name}' holds {values.Length} values, but its layer's shape needs {count}.");
        foreach (float v in values)
            if (!float.IsFinite(v))
                throw new InvalidOperationException($"Parameter '{name}' holds a value that is not finite ({v}); a network with NaN or infinite weights cannot be exported.");
        string unique = Unique(string.IsNullOrEmpty(name) ? "parameter" : name);
        var tensor = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Float };
        foreach (int d in dims) tensor.Dims.Add(d);
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return unique;
    }

    /// <summary><paramref name="name"/> itself if unused, else name_1, name_2, …: every value and node name is distinct.</summary>
    private string Unique(string name)
    {
        string candidate = name;
        _counters.TryGetValue(name, out int counter);
        while (!_names.Add(candidate)) candidate = $"{name}_{++counter}";
        _counters[name] = counter;
        return candidate;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static ValueInfoProto Value(string name, string batchDimension, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batchDimension });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
