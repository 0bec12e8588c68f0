using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Training;

namespace ContrastiveNE.Embedding;

/// <summary>
/// A fitted non-parametric map that can place new points (openTSNE's <c>TSNEEmbedding.transform</c>, umap-learn's
/// <c>UMAP.transform</c>): the training data (what the kNN search for new points needs), the training positions,
/// the fit's options and its learned Z and τ. <see cref="Transform"/> embeds new rows without moving the map; the map
/// saves to one versioned, checksummed file (<see cref="Save"/>, format in <c>docs/map-format.md</c>) and loads back
/// (<see cref="Load"/>). Get one from <see cref="CneEmbedding.ToMap"/>.
/// </summary>
public sealed class CneMap
{
    private readonly Lock _searchLock = new();
    private (Initialization.Pca? Pca, Matrix Rows)? _search;

    internal CneMap(Matrix trainingData, Matrix positions, CneOptions options, double z, double temperature)
    {
        if (trainingData.Rows != positions.Rows)
            throw new ArgumentException($"The training data has {trainingData.Rows} rows but the map {positions.Rows} points; they must match row for row.", nameof(trainingData));
        TrainingData = trainingData;
        Positions = positions;
        Options = options;
        Z = z;
        Temperature = temperature;
    }

    /// <summary>The n × D training rows, in the order of <see cref="Positions"/> (shared with the caller, not copied: do not modify).</summary>
    public Matrix TrainingData { get; }

    /// <summary>The n × d training positions (a copy taken when the map was made; <see cref="Transform"/> never changes them).</summary>
    public Matrix Positions { get; }

    /// <summary>The options of the fit: loss, similarity, k, kNN metric and the rest.</summary>
    public CneOptions Options { get; }

    /// <summary>The fit's learned NCE normalisation constant Z (1 for other losses).</summary>
    public double Z { get; }

    /// <summary>The fit's temperature τ (cosine similarity).</summary>
    public double Temperature { get; }

    /// <summary>Number of columns a new row must have (D).</summary>
    public int InputDimension => TrainingData.Columns;

    /// <summary>
    /// Places the rows of <paramref name="newData"/> into the map (docs/transform.md): the <see cref="CneOptions.K"/>
    /// nearest training rows of each new row (exact search, the fit's <see cref="CneOptions.KnnMetric"/>, on the fit's
    /// <see cref="CneOptions.KnnPcaComponents"/> principal components when the fit searched on them), a start at their
    /// inverse-distance-weighted mean position, then <see cref="CneTransformOptions.Epochs"/> epochs of the fit's loss
    /// for the new points alone against the fixed training positions. New points never influence each other or the
    /// map; the result is bit-identical at any thread count.
    /// </summary>
    /// <param name="newData">m × D rows, finite.</param>
    /// <param name="options">Placement settings (null: defaults).</param>
    /// <param name="cancellationToken">Checked between tiles of the search and every 64 points of the optimisation.</param>
    /// <returns>The m × d positions of the new rows.</returns>
    /// <exception cref="ArgumentException">The column count differs from the training data's, or a value is not finite.</exception>
    public Matrix Transform(Matrix newData, CneTransformOptions? options = null, CancellationToken cancellationToken = default)
    {
        options?.Validate();
        var neighbors = SearchNeighbors(newData, options?.Threads, cancellationToken);
        return Place(neighbors, options, cancellationToken);
    }

    /// <summary>The optimisation half of <see cref="Transform"/>, for neighbours already found (benchmarks time the halves apart).</summary>
    internal Matrix Place(KnnResult neighbors, CneTransformOptions? options, CancellationToken cancellationToken = default)
    {
        options ??= new CneTransformOptions();
        options.Validate();
        return NewPointTrainer.Place(Positions, neighbors, Options, Z, Temperature, options, cancellationToken);
    }

    /// <summary>The <see cref="CneOptions.K"/> nearest training rows of every new row, as <see cref="Transform"/> finds them.</summary>
    /// <param name="newData">m × D rows, finite.</param>
    /// <param name="threads">Worker threads (null: the fit's).</param>
    /// <param name="cancellationToken">Checked between tiles of the search.</param>
    public KnnResult SearchNeighbors(Matrix newData, int? threads = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newData);
        if (newData.Columns != InputDimension)
            throw new ArgumentException($"The new data has {newData.Columns} columns, but the map was fitted on {InputDimension} columns.", nameof(newData));
        newData.EnsureFinite(nameof(newData));
        int t = threads ?? Options.Threads;
        int k = Math.Min(Options.K, TrainingData.Rows);
        var (pca, rows) = SearchRows(t);
        var queries = pca is null ? newData : pca.TransformSingle(newData, t);
        return NearestNeighbors.Query(rows, queries, k, Options.KnnMetric, t, cancellationToken);
    }

    /// <summary>
    /// The rows the fit's kNN search ran on: the training data, or its projection on the fit's leading principal
    /// components (fitted again, deterministically, on first use and kept).
    /// </summary>
    private (Initialization.Pca? Pca, Matrix Rows) SearchRows(int threads)
    {
        lock (_searchLock)
        {
            if (_search is { } cached) return cached;
            int components = Options.KnnPcaComponents;
            if (components <= 0 || components >= TrainingData.Columns) _search = (null, TrainingData);
            else
            {
                var pca = Initialization.Pca.FitForSearch(TrainingData, components, threads);
                _search = (pca, pca.TransformSingle(TrainingData, threads));
            }
            return _search.Value;
        }
    }

    /// <summary>Saves the map to <paramref name="path"/> (atomically: a temporary file renamed over the target); format in docs/map-format.md.</summary>
    public void Save(string path) => MapFile.Save(path, TrainingData, Positions, CneOptionsSettings.ToSettings(Options)
        .Append(new(MapFile.ZKey, MapFile.FormatDouble(Z))).Append(new(MapFile.TemperatureKey, MapFile.FormatDouble(Temperature))));

    /// <summary>Loads a map saved by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="threads">Threads for <see cref="Transform"/> (null: the saved option).</param>
    /// <exception cref="InvalidDataException">The file is not a map file, is of another format version, truncated or corrupt; the message names the file.</exception>
    public static CneMap Load(string path, int? threads = null)
    {
        var (data, positions, settings) = MapFile.Load(path);
        var options = CneOptionsSettings.FromSettings(settings, path, "Map file");
        if (threads is { } t) options = options with { Threads = t };
        if (positions.Columns != options.Dimensions)
            throw new InvalidDataException($"Map file '{path}' is inconsistent: the positions have {positions.Columns} columns, but the options say {options.Dimensions} dimensions.");
        double z = MapFile.ReadDouble(settings, MapFile.ZKey, path), temperature = MapFile.ReadDouble(settings, MapFile.TemperatureKey, path);
        return new CneMap(data, positions, options, z, temperature);
    }

    /// <summary>Whether <paramref name="path"/> starts with the map format's magic bytes (a quick check, not a validation).</summary>
    public static bool IsMapFile(string path) => MapFile.HasMagic(path);
}
