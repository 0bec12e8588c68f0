namespace ContrastiveNE.Data;

/// <summary>
/// A file format that <see cref="DataFormats"/> chooses by the file name: how it is recognised, and how a matrix is
/// read from and written to it. Implementations throw <see cref="InvalidDataException"/> (through
/// <see cref="DataError"/>) for unusable content and <see cref="ArgumentException"/> for options that do not apply.
/// </summary>
public interface IDataFormat
{
    /// <summary>A short name for messages, e.g. "NumPy .npy".</summary>
    string Name { get; }

    /// <summary>The file-name endings this format claims, lower case, e.g. <c>.npy</c> or <c>-idx3-ubyte.gz</c>.</summary>
    IReadOnlyList<string> Suffixes { get; }

    /// <summary>Whether <see cref="Read"/> is implemented.</summary>
    bool CanRead { get; }

    /// <summary>Whether <see cref="Write"/> is implemented.</summary>
    bool CanWrite { get; }

    /// <summary>Reads the matrix (and whatever labels and names the options ask for).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">What to read.</param>
    LoadedData Read(string path, DataReadOptions options);

    /// <summary>Writes <paramref name="matrix"/> atomically (nothing is left behind when it fails).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="matrix">The values.</param>
    /// <param name="options">What to store beside them.</param>
    void Write(string path, Matrix matrix, DataWriteOptions options);
}
