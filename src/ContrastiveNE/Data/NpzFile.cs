using System.IO.Compression;

namespace ContrastiveNE.Data;

/// <summary>
/// Reads and writes NumPy <c>.npz</c> archives: a zip file of <c>.npy</c> arrays, stored (<c>numpy.savez</c>) or
/// deflated (<c>numpy.savez_compressed</c>). An array's key is its entry name without <c>.npy</c>.
/// </summary>
public static class NpzFile
{
    /// <summary>The key an embedding is written under when none is given: <c>embedding</c>.</summary>
    public const string DefaultKey = "embedding";

    /// <summary>The key labels are written under beside a matrix: <c>labels</c>.</summary>
    public const string LabelsKey = "labels";

    /// <summary>The keys of the arrays in the archive, in archive order.</summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    public static IReadOnlyList<string> Keys(string path)
    {
        using var archive = Open(path);
        return KeysOf(archive);
    }

    /// <summary>
    /// Reads one array as <see cref="NpyFile.Read(string)"/> does: the array <paramref name="key"/>, or the only
    /// array when <paramref name="key"/> is null.
    /// </summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <param name="key">The array's key; null when the archive holds one array.</param>
    /// <exception cref="ArgumentException">The key does not exist, or none was given for an archive of several arrays; the message lists the keys.</exception>
    public static LoadedData Read(string path, string? key = null)
        => WithEntry(path, key, (stream, name) => NpyFile.Read(stream, name));

    /// <summary>Reads one array as a matrix (see <see cref="Read"/>).</summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <param name="key">The array's key; null when the archive holds one array.</param>
    public static Matrix ReadMatrix(string path, string? key = null) => Read(path, key).Data;

    /// <summary>Reads integer class labels from one 1-D array of the archive.</summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <param name="key">The array's key; null when the archive holds one array.</param>
    public static int[] ReadLabels(string path, string? key = null)
        => WithEntry(path, key, (stream, name) => NpyFile.ReadLabels(stream, name));

    /// <summary>
    /// Writes the matrices (and optional labels under <see cref="LabelsKey"/>) as a compressed archive, atomically,
    /// as <c>numpy.savez_compressed</c> would.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="arrays">Each matrix by its key.</param>
    /// <param name="labels">Labels to store too, or null.</param>
    /// <param name="compressed">False stores the arrays uncompressed, as <c>numpy.savez</c> does.</param>
    public static void Write(string path, IReadOnlyDictionary<string, Matrix> arrays, int[]? labels = null, bool compressed = true)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (labels != null && arrays.ContainsKey(LabelsKey))
            throw new ArgumentException($"The key '{LabelsKey}' is taken by a matrix; labels cannot be stored beside it.", nameof(labels));
        var level = compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
        AtomicFile.Write(path, stream =>
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (key, matrix) in arrays)
            {
                ArgumentException.ThrowIfNullOrEmpty(key, nameof(arrays));
                using var entry = archive.CreateEntry(key + ".npy", level).Open();
                NpyFile.Write(entry, matrix);
            }
            if (labels != null)
            {
                using var entry = archive.CreateEntry(LabelsKey + ".npy", level).Open();
                NpyFile.WriteLabels(entry, labels);
            }
        });
    }

    private static T WithEntry<T>(string path, string? key, Func<Stream, string, T> read)
    {
        using var archive = Open(path);
        var keys = KeysOf(archive);
        if (keys.Count == 0) throw DataError.Create(path, "the archive holds no .npy arrays.");
        string chosen;
        if (key is null)
        {
            if (keys.Count > 1)
                throw new ArgumentException($"{path}: the archive holds {keys.Count} arrays ({string.Join(", ", keys)}); choose one with the key option.", nameof(DataReadOptions.Key));
            chosen = keys[0];
        }
        else if (keys.Contains(key)) chosen = key;
        else throw new ArgumentException($"{path}: the archive has no array '{key}'; it holds {string.Join(", ", keys)}.", nameof(DataReadOptions.Key));
        var entry = archive.GetEntry(chosen + ".npy")!;
        string name = $"{path}[{chosen}]";
        try
        {
            using var stream = entry.Open();
            return read(stream, name);
        }
        catch (InvalidDataException e) when (!e.Data.Contains(DataError.FileKey))
        {
            throw DataError.Create(name, $"the archive entry is damaged ({e.Message}).");
        }
    }

    private static List<string> KeysOf(ZipArchive archive)
        => [.. archive.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal)).Select(e => e.FullName[..^4])];

    private static ZipArchive Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            if (stream.Length == 0) throw DataError.Create(path, "the file is empty.");
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e) when (!e.Data.Contains(DataError.FileKey))
        {
            stream.Dispose();
            throw DataError.Create(path, $"not a valid .npz (zip) archive: {e.Message}");
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
