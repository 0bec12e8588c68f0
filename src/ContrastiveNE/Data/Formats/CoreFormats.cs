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

/// <summary>Delimited text: <c>.csv</c>, <c>.tsv</c> and <c>.txt</c> (delimiter detected; tab for .tsv output).</summary>
internal sealed class DelimitedFormat : IDataFormat
{
    public string Name => "delimited text";
    public IReadOnlyList<string> Suffixes { get; } = [".csv", ".tsv", ".txt"];
    public bool CanRead => true;
    public bool CanWrite => true;

    public LoadedData Read(string path, DataReadOptions options)
    {
        options.EnsureOnly(Name, path, nameof(DataReadOptions.LabelColumn));
        var content = DelimitedFile.Read(path, options.LabelColumn);
        return new LoadedData(content.Data, content.Labels, content.LabelNames, columnNames: content.ColumnNames);
    }

    public void Write(string path, Matrix matrix, DataWriteOptions options)
    {
        var names = Enumerable.Range(1, matrix.Columns).Select(j => $"x{j}").ToArray();
        DelimitedFile.Write(path, matrix, names);
    }
}
