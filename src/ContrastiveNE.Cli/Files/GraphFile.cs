using System.Globalization;
using System.IO.Compression;
using System.Text;
using ContrastiveNE.Data;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Cli.Files;

/// <summary>
/// A user's neighbour graph for <c>cne embed --graph FILE</c>: a scipy sparse matrix saved with
/// <c>scipy.sparse.save_npz</c> (CSR: data, indices, indptr, shape, format; or COO: data, row, col, shape, format), or a
/// text edge list with one edge <c>i j [weight]</c> per line (whitespace- or comma-separated, 0-based, <c>#</c> starts a
/// comment). Only the pattern is used (weights are ignored, as the reference does). The graph is used as given unless
/// <c>symmetrize</c> asks for max(A, Aᵀ); errors name the file and, where it applies, the entry or line.
/// </summary>
internal static class GraphFile
{
    /// <summary>The extensions <c>--graph</c> reads.</summary>
    public static readonly string[] Extensions = [".npz", ".txt", ".tsv", ".csv", ".edges"];

    /// <summary>Reads the graph over <paramref name="nodes"/> nodes (one per data row) from <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is malformed, its shape is not nodes × nodes, or an index is out of range.</exception>
    public static NeighborGraph Read(string path, int nodes, bool symmetrize)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        var graph = Path.GetExtension(path).Equals(".npz", StringComparison.OrdinalIgnoreCase)
            ? ReadNpz(path, nodes, symmetrize)
            : ReadEdgeList(path, nodes, symmetrize);
        if (graph.EdgeCount == 0) throw DataError.Create(path, "the graph has no edges.");
        return graph;
    }

    private static NeighborGraph ReadNpz(string path, int nodes, bool symmetrize)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException)
        {
            throw DataError.Create(path, "not an .npz archive (expected a file written by scipy.sparse.save_npz).");
        }
        using (zip)
        {
            string format = Format(zip, path);
            var shape = Ints(zip, "shape", path);
            if (shape.Length != 2 || shape[0] != nodes || shape[1] != nodes)
                throw DataError.Create(path, $"the graph's shape is ({string.Join(", ", shape)}); it needs one row and one column per data row: ({nodes}, {nodes}).");
            try
            {
                return format switch
                {
                    "csr" => NeighborGraph.FromCsr(nodes, Ints(zip, "indptr", path), Ints(zip, "indices", path), symmetrize),
                    "coo" => NeighborGraph.FromEdges(nodes, Ints(zip, "row", path), Ints(zip, "col", path), symmetrize),
                    _ => throw DataError.Create(path, $"sparse format '{format}' is not supported; save the graph as CSR (graph.tocsr()) or COO."),
                };
            }
            catch (ArgumentException e)
            {
                throw DataError.Create(path, CneApp.CleanMessage(e));
            }
        }
    }

    /// <summary>scipy stores the format as a 0-d byte-string array ('|S3'): its last three bytes are the name.</summary>
    private static string Format(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry("format.npy") ?? throw DataError.Create(path, "the archive has no 'format' array (expected a file written by scipy.sparse.save_npz).");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        if (bytes.Length < 3) throw DataError.Create(path, "the 'format' array is empty.");
        return Encoding.ASCII.GetString(bytes, bytes.Length - 3, 3);
    }

    private static int[] Ints(ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name + ".npy") ?? throw DataError.Create(path, $"the archive has no '{name}' array.");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer); // the .npy reader needs to seek
        buffer.Position = 0;
        return NpyFile.ReadLabels(buffer, $"{path} ({name})");
    }

    private static NeighborGraph ReadEdgeList(string path, int nodes, bool symmetrize)
    {
        var heads = new List<int>();
        var tails = new List<int>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            int hash = raw.IndexOf('#');
            string line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0) continue;
            var parts = line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is < 2 or > 3)
                throw DataError.Create(path, $"line {lineNumber}: expected 'i j' or 'i j weight', got '{line}'.");
            int i = Node(parts[0], path, lineNumber, nodes);
            int j = Node(parts[1], path, lineNumber, nodes);
            if (parts.Length == 3 && !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                throw DataError.Create(path, $"line {lineNumber}: the weight '{parts[2]}' is not a number.");
            heads.Add(i);
            tails.Add(j);
        }
        return NeighborGraph.FromEdges(nodes, heads.ToArray(), tails.ToArray(), symmetrize);
    }

    private static int Node(string text, string path, int line, int nodes)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw DataError.Create(path, $"line {line}: the node '{text}' is not an integer.");
        if (v < 0 || v >= nodes)
            throw DataError.Create(path, $"line {line}: node {v} is outside [0, {nodes}); the data has {nodes} rows (nodes are 0-based row numbers).");
        return v;
    }
}
