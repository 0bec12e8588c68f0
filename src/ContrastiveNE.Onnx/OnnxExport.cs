using System.Reflection;
using ContrastiveNE.Embedding;
using ContrastiveNE.Models;
using ContrastiveNE.Onnx.Schema;
using Google.Protobuf;

namespace ContrastiveNE.Onnx;

/// <summary>
/// Writes trained networks as ONNX models (operator set <see cref="Opset"/>, IR version <see cref="IrVersion"/>) that
/// ONNX Runtime and other ONNX engines run outside .NET. The graph takes one float tensor (batch, input width) named
/// <c>input</c>, with the batch dimension left open, and returns (batch, output width) named <c>embedding</c>; it
/// computes what <see cref="CneModel.Transform"/> (or the network's inference forward pass) computes, batch
/// normalisation in its inference form. Layers: <see cref="Sequential"/> chains of Linear, Relu, Conv2d, BatchNorm,
/// MaxPool2d, AvgPool2d, GlobalAvgPool2d and Flatten; any other layer is
/// refused with a <see cref="NotSupportedException"/> that names it. Format and examples: <c>docs/onnx.md</c>.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set version the graph imports (default domain).</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written (8: the IR of the ONNX release that introduced opset 17).</summary>
    public const int IrVersion = 8;

    /// <summary>Default name of the graph input.</summary>
    public const string DefaultInputName = "input";

    /// <summary>Default name of the graph output.</summary>
    public const string DefaultOutputName = "embedding";

    /// <summary>Default symbolic name of the batch dimension.</summary>
    public const string DefaultBatchDimension = "batch";

    /// <summary>
    /// Writes the network of a trained parametric embedding to <paramref name="path"/> as an ONNX model, atomically (a
    /// temporary file in the same folder renamed over the target, so a failure never leaves a partial file). The
    /// training options go into the model's metadata.
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <param name="path">The file to create or replace (conventionally <c>.onnx</c>).</param>
    /// <param name="options">Names, description and metadata; null: the defaults, with the training options as metadata.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a folder, or the file cannot be written.</exception>
    /// <exception cref="NotSupportedException">The network holds a layer that has no ONNX translation.</exception>
    public static void ExportOnnx(this CneModel model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        WriteAtomically(path, ToModel(model, options));
    }

    /// <summary>Writes the network of a trained parametric embedding to <paramref name="stream"/> as an ONNX model.</summary>
    /// <exception cref="NotSupportedException">The network holds a layer that has no ONNX translation.</exception>
    public static void ExportOnnx(this CneModel model, Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        ToModel(model, options).WriteTo(stream);
    }

    /// <summary>
    /// Writes any exportable network (a <see cref="Sequential"/> chain, a SimCLR <see cref="ConvEncoder"/>'s
    /// <see cref="ConvEncoder.Backbone"/> for the representation or its <see cref="ConvEncoder.Network"/> for the
    /// projection, a single layer) to <paramref name="path"/> as an ONNX model, atomically.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty or an option is invalid.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a folder, or the file cannot be written.</exception>
    /// <exception cref="NotSupportedException">The network holds a layer that has no ONNX translation.</exception>
    public static void ExportOnnx(this INetwork network, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        WriteAtomically(path, ToModel(network, options ?? new OnnxExportOptions()));
    }

    /// <summary>Writes an exportable network to <paramref name="stream"/> as an ONNX model.</summary>
    /// <exception cref="NotSupportedException">The network holds a layer that has no ONNX translation.</exception>
    public static void ExportOnnx(this INetwork network, Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        ToModel(network, options ?? new OnnxExportOptions()).WriteTo(stream);
    }

    /// <summary>The exported model's bytes (the content <see cref="ExportOnnx(INetwork, Stream, OnnxExportOptions?)"/> writes).</summary>
    /// <exception cref="NotSupportedException">The network holds a layer that has no ONNX translation.</exception>
    public static byte[] ToOnnxBytes(this INetwork network, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return ToModel(network, options ?? new OnnxExportOptions()).ToByteArray();
    }

    /// <summary>The exported model's bytes (the content <see cref="ExportOnnx(CneModel, Stream, OnnxExportOptions?)"/> writes).</summary>
    /// <exception cref="NotSupportedException">The network holds a layer that has no ONNX translation.</exception>
    public static byte[] ToOnnxBytes(this CneModel model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ToModel(model, options).ToByteArray();
    }

    private static ModelProto ToModel(CneModel model, OnnxExportOptions? options)
    {
        options ??= new OnnxExportOptions
        {
            Description = $"ContrastiveNE parametric embedding: {model.InputDimension} input columns → {model.OutputDimension}-d positions.",
            Metadata = OptionsMetadata(model.Options),
        };
        return ToModel(model.Network, options);
    }

    internal static ModelProto ToModel(INetwork network, OnnxExportOptions options)
    {
        options.Validate();
        var builder = new OnnxGraphBuilder(options.InputName, network.InputDimension, options.OutputName);
        builder.Add(network, "network");
        var graph = builder.Finish(options.GraphName, options.InputName, network.InputDimension, options.OutputName, network.OutputDimension, options.BatchDimension);
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ContrastiveNE",
            ProducerVersion = ProducerVersion,
            Graph = graph,
        };
        if (options.Description is { } description) model.DocString = description;
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in options.Metadata ?? [])
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>The training options as metadata entries (<c>cne.option.Name</c> → value), for provenance.</summary>
    private static List<KeyValuePair<string, string>> OptionsMetadata(CneOptions options)
    {
        var entries = new List<KeyValuePair<string, string>>();
        foreach (var property in typeof(CneOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanRead) continue;
            object? value = property.GetValue(options);
            string? text = value switch
            {
                string s => s,
                IEnumerable<int> list => string.Join(",", list),
                Enum e => e.ToString(),
                bool b => b ? "true" : "false",
                IFormattable number when value.GetType().IsPrimitive => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => null, // callbacks, nested objects: not provenance worth a string
            };
            if (text is null) continue;
            entries.Add(new($"cne.option.{property.Name}", text));
        }
        return entries;
    }

    private static string ProducerVersion =>
        typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "";

    /// <summary>Serialises first (so a translation error writes nothing), then writes a temporary file and renames it over <paramref name="path"/>.</summary>
    private static void WriteAtomically(string path, ModelProto model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new IOException($"Cannot write the ONNX model to '{path}': it is a folder.");
        string directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot write the ONNX model to '{path}': the folder '{directory}' does not exist.");
        byte[] bytes = model.ToByteArray();
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
