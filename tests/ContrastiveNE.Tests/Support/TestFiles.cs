using System.IO.Compression;
using ContrastiveNE.Data;

namespace ContrastiveNE.Tests.Support;

/// <summary>
/// The data the tests read, all inside the repository in <c>tests/data</c> (see its README): the 8 × 8 digits, a
/// 5,000-row Fashion-MNIST subsample and the golden batch losses. The folder is found by walking up from the test
/// binaries to the repository root (the directory holding <c>ContrastiveNE.sln</c>), so a fresh clone needs nothing
/// beside it.
/// </summary>
public static class TestFiles
{
    private static readonly Lazy<string> Root = new(Locate);

    /// <summary>The <c>tests/data</c> folder; throws with a clear message when it cannot be found.</summary>
    public static string Directory => Root.Value;

    /// <summary>The 1797 × 64 digits images (uint8 .npy).</summary>
    public static string DigitsImages => Path("digits-images.npy");

    /// <summary>The 1797 digit labels (uint8 .npy).</summary>
    public static string DigitsLabels => Path("digits-labels.npy");

    /// <summary>The golden single-batch loss cases (JSON).</summary>
    public static string GoldenBatchLosses => Path("golden", "batch-losses.json");

    /// <summary>The 5,000 Fashion-MNIST images, 500 per class (gzipped uint8 .npy).</summary>
    public static string FashionImages => Path("fashion-mnist-5k-images.npy.gz");

    /// <summary>The 5,000 Fashion-MNIST labels (gzipped uint8 .npy).</summary>
    public static string FashionLabels => Path("fashion-mnist-5k-labels.npy.gz");

    /// <summary>A path inside <c>tests/data</c>, e.g. <c>Path("golden", "batch-losses.json")</c>; the file must exist.</summary>
    public static string Path(params string[] parts)
    {
        string path = System.IO.Path.Combine([Directory, .. parts]);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The test data file '{path}' is missing; it belongs to the repository (tests/data).", path);
        return path;
    }

    /// <summary>The digits as read from the repository: pixel values 0 … 16 as floats, labels 0 … 9.</summary>
    public static (Matrix Images, int[] Labels) Digits() => (NpyFile.ReadMatrix(DigitsImages), NpyFile.ReadLabels(DigitsLabels));

    /// <summary>
    /// The first <paramref name="rows"/> rows (all 5,000 when null) of the Fashion-MNIST subsample: pixel values
    /// 0 … 255 as floats, classes 0 … 9. Every class has 500 rows and the classes are interleaved, so any prefix is
    /// a fair sample.
    /// </summary>
    public static (Matrix Images, int[] Labels) Fashion(int? rows = null)
    {
        var images = ReadGzipped(FashionImages, NpyFile.ReadMatrix);
        var labels = ReadGzipped(FashionLabels, NpyFile.ReadLabels);
        int n = rows ?? images.Rows;
        return (n == images.Rows ? images : images.Slice(0, n), labels[..n]);
    }

    private static T ReadGzipped<T>(string path, Func<Stream, string, T> read)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return read(gzip, path);
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ContrastiveNE.sln")))
            {
                string data = System.IO.Path.Combine(dir.FullName, "tests", "data");
                if (System.IO.Directory.Exists(data)) return data;
                throw new DirectoryNotFoundException($"The repository root {dir.FullName} has no tests/data folder; the test data belongs to the repository.");
            }
        }
        throw new DirectoryNotFoundException($"Could not find the repository root (the folder holding ContrastiveNE.sln) above '{AppContext.BaseDirectory}'.");
    }
}
