namespace ContrastiveNE.Data.Formats;

/// <summary>IDX files as MNIST and Fashion-MNIST are distributed (<c>*-idx3-ubyte</c>, <c>*-idx1-ubyte</c>, gzipped or not).</summary>
internal sealed class IdxFormat : IDataFormat
{
    public string Name => "IDX";
    public IReadOnlyList<string> Suffixes { get; } = ["-ubyte", "-ubyte.gz", ".idx", ".idx.gz"];
    public bool CanRead => true;
    public bool CanWrite => true;

    public LoadedData Read(string path, DataReadOptions options)
    {
        options.EnsureOnly(Name, path);
        return IdxFile.Read(path);
    }

    public void Write(string path, Matrix matrix, DataWriteOptions options) => IdxFile.Write(path, matrix);
}
