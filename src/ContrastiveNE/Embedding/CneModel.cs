using ContrastiveNE.Data;
using ContrastiveNE.Models;

namespace ContrastiveNE.Embedding;

/// <summary>
/// A trained parametric embedding: the network that maps a data row to its position, with the options it was trained
/// with. It embeds new rows (<see cref="Transform"/>), saves to one file (<see cref="Save"/>, format in
/// <c>docs/model-format.md</c>) and loads back (<see cref="Load"/>) bit-identically.
/// </summary>
public sealed class CneModel
{
    private readonly NetworkModel _mapper;

    internal CneModel(Sequential network, CneOptions options)
    {
        Network = network;
        Options = options;
        _mapper = new NetworkModel(network, data: null, options.Threads);
    }

    /// <summary>The network (D → hidden… → d); its parameters are live while the owning embedding trains.</summary>
    public Sequential Network { get; }

    /// <summary>The options of the training run.</summary>
    public CneOptions Options { get; }

    /// <summary>Number of columns a data row must have.</summary>
    public int InputDimension => Network.InputDimension;

    /// <summary>Embedding dimension d.</summary>
    public int OutputDimension => Network.OutputDimension;

    /// <summary>Embeds the rows of <paramref name="newData"/> (batched, multithreaded; the same positions a training pass computes).</summary>
    /// <exception cref="ArgumentException">The column count differs from the training data's, or a value is not finite.</exception>
    public Matrix Transform(Matrix newData)
    {
        ArgumentNullException.ThrowIfNull(newData);
        if (newData.Columns != InputDimension)
            throw new ArgumentException($"The new data has {newData.Columns} columns, but the model was trained on {InputDimension} columns.", nameof(newData));
        newData.EnsureContiguous("a parametric model's transform", "Transform the rows in parts of fewer than 2³¹ values (Matrix.Slice).");
        newData.EnsureFinite(nameof(newData));
        return _mapper.Transform(newData);
    }

    /// <summary>Saves the options and the network to <paramref name="path"/> (atomically: a temporary file renamed over the target).</summary>
    public void Save(string path) => ModelFile.Save(path, Network, CneOptionsSettings.ToSettings(Options));

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="threads">Threads for <see cref="Transform"/> (null: the saved option).</param>
    /// <exception cref="InvalidDataException">The file is not a model file, from a newer format version, truncated or corrupt.</exception>
    public static CneModel Load(string path, int? threads = null)
    {
        var (network, settings) = ModelFile.Load(path);
        var options = CneOptionsSettings.FromSettings(settings, path);
        if (threads is { } t) options = options with { Threads = t };
        if (network.OutputDimension != options.Dimensions)
            throw new InvalidDataException($"Model file '{path}' is inconsistent: the network has {network.OutputDimension} outputs, but the options say {options.Dimensions} dimensions.");
        network.Threads = options.Threads;
        return new CneModel(network, options);
    }
}
