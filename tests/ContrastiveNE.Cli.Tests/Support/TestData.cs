using ContrastiveNE.Data;
using ContrastiveNE.Randomness;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Cli.Tests.Support;

/// <summary>Inputs for the CLI tests.</summary>
public static class TestData
{
    /// <summary>The 1797 × 64 digits images.</summary>
    public static string DigitsImages => TestFiles.DigitsImages;

    /// <summary>The 1797 digit labels.</summary>
    public static string DigitsLabels => TestFiles.DigitsLabels;

    /// <summary>The first <paramref name="rows"/> digits rows written as .csv (with a header and a label column named "digit").</summary>
    public static string WriteDigitsCsv(TempDir dir, int rows, string name = "digits.csv")
    {
        var images = NpyFile.ReadMatrix(DigitsImages);
        var labels = NpyFile.ReadLabels(DigitsLabels);
        string path = dir.File(name);
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(',', Enumerable.Range(0, images.Columns).Select(j => $"p{j}").Append("digit")));
        for (int i = 0; i < rows; i++)
            writer.WriteLine(string.Join(',', images.Row(i).ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(labels[i].ToString())));
        return path;
    }

    /// <summary>
    /// A synthetic 2-D embedding: <paramref name="classes"/> Gaussian blobs on a circle, <paramref name="perClass"/>
    /// points each; returns the embedding and its labels.
    /// </summary>
    public static (Matrix Embedding, int[] Labels) Blobs(int classes, int perClass, ulong seed = 1)
    {
        var random = Xoshiro256.Create(seed);
        var embedding = new Matrix(classes * perClass, 2);
        var labels = new int[classes * perClass];
        for (int c = 0; c < classes; c++)
        {
            double angle = 2 * Math.PI * c / classes;
            for (int t = 0; t < perClass; t++)
            {
                int i = c * perClass + t;
                embedding[i, 0] = (float)(10 * Math.Cos(angle) + random.NextGaussian());
                embedding[i, 1] = (float)(10 * Math.Sin(angle) + random.NextGaussian());
                labels[i] = c;
            }
        }
        return (embedding, labels);
    }

    /// <summary>
    /// A square CSR graph in scipy.sparse.save_npz's layout: an uncompressed zip of data (float32 ones), indices and
    /// indptr (int32), shape (int64) and format (the byte string 'csr').
    /// </summary>
    public static void WriteCsrNpz(string path, int n, int[] indptr, int[] indices)
    {
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        void Add(string name, string descr, string shape, byte[] payload)
        {
            string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
            int total = 10 + header.Length + 1;
            header += new string(' ', (64 - total % 64) % 64) + "\n";
            using var stream = zip.CreateEntry(name + ".npy", System.IO.Compression.CompressionLevel.NoCompression).Open();
            stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            stream.Write(BitConverter.GetBytes((ushort)header.Length));
            stream.Write(System.Text.Encoding.ASCII.GetBytes(header));
            stream.Write(payload);
        }
        static byte[] Bytes<T>(T[] values) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        Add("indices", "<i4", $"({indices.Length},)", Bytes(indices));
        Add("indptr", "<i4", $"({indptr.Length},)", Bytes(indptr));
        Add("format", "|S3", "()", System.Text.Encoding.ASCII.GetBytes("csr"));
        Add("shape", "<i8", "(2,)", Bytes(new long[] { n, n }));
        Add("data", "<f4", $"({indices.Length},)", Bytes(Enumerable.Repeat(1f, indices.Length).ToArray()));
    }
}
