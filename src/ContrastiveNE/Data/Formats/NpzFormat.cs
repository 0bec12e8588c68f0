namespace ContrastiveNE.Data.Formats;

/// <summary>NumPy <c>.npz</c> archives (stored or deflated); <see cref="DataReadOptions.Key"/> picks the array.</summary>
internal sealed class NpzFormat : IDataFormat
{
    public string Name => "NumPy .npz";
    public IReadOnlyList<string> Suffixes { get; } = [".npz"];
    public bool CanRead => true;
    public bool CanWrite => true;

    public LoadedData Read(string path, DataReadOptions options)
    {
        options.EnsureOnly(Name, path, nameof(DataReadOptions.Key));
        return NpzFile.Read(path, options.Key);
    }

    public void Write(string path, Matrix matrix, DataWriteOptions options)
    {
        var arrays = new Dictionary<string, Matrix> { [options.Key ?? NpzFile.DefaultKey] = matrix };
        NpzFile.Write(path, arrays, options.Labels);
    }
}
