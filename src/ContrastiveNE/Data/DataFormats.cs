using ContrastiveNE.Data.Formats;

namespace ContrastiveNE.Data;

/// <summary>
/// The one place that decides a file's format by its name, for reading and for writing. The core formats (.npy,
/// .npz, IDX, .csv, .tsv, .txt) are always present; optional packages add theirs through <see cref="Register"/>
/// (ContrastiveNE.Formats adds AnnData .h5ad and Parquet).
/// </summary>
public static class DataFormats
{
    private static readonly object Gate = new();
    private static IDataFormat[] _formats = [new NpyFormat(), new NpzFormat(), new IdxFormat(), new DelimitedFormat()];

    /// <summary>Formats that optional packages provide, by suffix, to say where to find them.</summary>
    private static readonly (string Suffix, string Package)[] Optional = [(".h5ad", "ContrastiveNE.Formats"), (".parquet", "ContrastiveNE.Formats")];

    /// <summary>Every registered format, the core ones first.</summary>
    public static IReadOnlyList<IDataFormat> All => Volatile.Read(ref _formats);

    /// <summary>Every suffix a registered format can read, in registration order.</summary>
    public static IReadOnlyList<string> ReadableSuffixes => [.. All.Where(f => f.CanRead).SelectMany(f => f.Suffixes)];

    /// <summary>Every suffix a registered format can write, in registration order.</summary>
    public static IReadOnlyList<string> WritableSuffixes => [.. All.Where(f => f.CanWrite).SelectMany(f => f.Suffixes)];

    /// <summary>Adds a format (a later registration of the same type is ignored). Its suffixes take precedence over earlier ones.</summary>
    /// <param name="format">The format.</param>
    public static void Register(IDataFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        lock (Gate)
        {
            if (_formats.Any(f => f.GetType() == format.GetType())) return;
            Volatile.Write(ref _formats, [.. _formats, format]);
        }
    }

    /// <summary>The format whose longest suffix ends <paramref name="path"/> (case-insensitive), or null.</summary>
    /// <param name="path">A file name or path.</param>
    public static IDataFormat? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        IDataFormat? best = null;
        int bestLength = 0;
        foreach (var format in All)
            foreach (string suffix in format.Suffixes)
                if (suffix.Length >= bestLength && path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    best = format;
                    bestLength = suffix.Length;
                }
        return best;
    }

    /// <summary>The format that reads <paramref name="path"/>; an <see cref="ArgumentException"/> listing the readable suffixes otherwise.</summary>
    /// <param name="path">The file.</param>
    public static IDataFormat ForReading(string path)
    {
        var format = Find(path);
        if (format is { CanRead: true }) return format;
        throw new ArgumentException(Unsupported(path, "read", ReadableSuffixes), nameof(path));
    }

    /// <summary>The format that writes <paramref name="path"/>; an <see cref="ArgumentException"/> listing the writable suffixes otherwise.</summary>
    /// <param name="path">The file.</param>
    public static IDataFormat ForWriting(string path)
    {
        var format = Find(path);
        if (format is { CanWrite: true }) return format;
        throw new ArgumentException(Unsupported(path, "written", WritableSuffixes), nameof(path));
    }

    /// <summary>Reads <paramref name="path"/> in the format its name implies.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">What to read; null reads the whole matrix.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content is unusable; the message names the file (and row and column).</exception>
    public static LoadedData Read(string path, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = ForReading(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        return format.Read(path, options ?? DataReadOptions.None);
    }

    /// <summary>Writes <paramref name="matrix"/> atomically in the format <paramref name="path"/>'s name implies.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="matrix">The values.</param>
    /// <param name="options">What to store beside them; null stores the matrix alone.</param>
    public static void Write(string path, Matrix matrix, DataWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(matrix);
        ForWriting(path).Write(path, matrix, options ?? DataWriteOptions.None);
    }

    /// <summary>
    /// Reads integer class labels: a 1-D (or n × 1) array from <c>.npy</c>, <c>.npz</c> or an IDX labels file, or one
    /// column of delimited text (header allowed).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="key">The array of a <c>.npz</c> archive; null for its only array.</param>
    public static int[] ReadLabels(string path, string? key = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = ForReading(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        return format switch
        {
            NpyFormat => NpyFile.ReadLabels(path),
            NpzFormat => NpzFile.ReadLabels(path, key),
            IdxFormat => IdxFile.ReadLabels(path),
            DelimitedFormat => DelimitedFile.ReadLabels(path),
            _ => throw new ArgumentException($"{path}: labels are read from .npy, .npz, IDX or one-column text files; read this {format.Name} file with a label column instead.", nameof(path)),
        };
    }

    /// <summary>Whether <paramref name="path"/> names an array format whose labels <see cref="ReadLabels"/> reads as numbers (.npy, .npz, IDX).</summary>
    /// <param name="path">A file name or path.</param>
    public static bool IsLabelArray(string path) => Find(path) is NpyFormat or NpzFormat or IdxFormat;

    private static string Unsupported(string path, string verb, IReadOnlyList<string> suffixes)
    {
        foreach (var (suffix, package) in Optional)
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                return $"'{path}': {suffix} files are {verb} by the optional package {package}; reference it and call its Register method.";
        return $"'{path}': no format for this file name; files ending in {string.Join(", ", suffixes)} can be {verb}.";
    }
}
