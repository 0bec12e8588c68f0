using ContrastiveNE.Data;

namespace ContrastiveNE.Formats;

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
