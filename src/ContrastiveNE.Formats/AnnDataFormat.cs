using ContrastiveNE.Data;

namespace ContrastiveNE.Formats;

/// <summary>AnnData <c>.h5ad</c> through <see cref="AnnDataFile"/>.</summary>
internal sealed class AnnDataFormat : IDataFormat
{
    public string Name => "AnnData .h5ad";
    public IReadOnlyList<string> Suffixes { get; } = [".h5ad"];
    public bool CanRead => true;
    public bool CanWrite => true;
    public LoadedData Read(string path, DataReadOptions options) => AnnDataFile.Read(path, options);
    public void Write(string path, Matrix matrix, DataWriteOptions options) => AnnDataFile.Write(path, matrix, options);
}
