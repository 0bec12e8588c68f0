namespace ContrastiveNE.Data.Formats;

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
