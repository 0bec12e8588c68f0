using ContrastiveNE.Data;

namespace ContrastiveNE.Formats;

/// <summary>Adds this package's formats (AnnData <c>.h5ad</c>, Parquet) to <see cref="DataFormats"/>.</summary>
public static class FormatsPackage
{
    /// <summary>Registers <c>.h5ad</c> and <c>.parquet</c> with <see cref="DataFormats"/>; calling it again does nothing.</summary>
    public static void Register()
    {
        DataFormats.Register(new AnnDataFormat());
        DataFormats.Register(new ParquetFormat());
    }
}

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

/// <summary>Apache Parquet through <see cref="ParquetFile"/>.</summary>
internal sealed class ParquetFormat : IDataFormat
{
    public string Name => "Parquet";
    public IReadOnlyList<string> Suffixes { get; } = [".parquet"];
    public bool CanRead => true;
    public bool CanWrite => true;
    public LoadedData Read(string path, DataReadOptions options) => ParquetFile.Read(path, options);
    public void Write(string path, Matrix matrix, DataWriteOptions options) => ParquetFile.Write(path, matrix, options);
}
