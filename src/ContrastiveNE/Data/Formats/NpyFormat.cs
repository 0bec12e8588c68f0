namespace ContrastiveNE.Data.Formats;

/// <summary>NumPy <c>.npy</c>: any numeric dtype, 1-D to N-D (flattened per row, the image shape remembered).</summary>
internal sealed class NpyFormat : IDataFormat
{
    public string Name => "NumPy .npy";
    public IReadOnlyList<string> Suffixes { get; } = [".npy"];
    public bool CanRead => true;
    public bool CanWrite => true;

    public LoadedData Read(string path, DataReadOptions options)
    {
        options.EnsureOnly(Name, path);
        return NpyFile.Read(path);
    }

    public void Write(string path, Matrix matrix, DataWriteOptions options) => NpyFile.Write(path, matrix);
}
