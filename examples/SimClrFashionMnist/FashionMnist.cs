using System.IO.Compression;
using ContrastiveNE.Data;

namespace ContrastiveNE.Examples.SimClr;

/// <summary>
/// Fashion-MNIST as <c>.npy</c> files: 28 × 28 greyscale values 0 … 255 (uint8), one image per row, rows in a
/// random order, and their classes 0 … 9 — the full 70,000 rows (train and test together, see the repository's
/// README for how to make them) or the repository's 5,000-row subsample.
/// </summary>
public sealed class FashionMnist
{
    /// <summary>File name of the images.</summary>
    public const string ImagesFile = "fashion-mnist-images.npy";

    /// <summary>File name of the labels.</summary>
    public const string LabelsFile = "fashion-mnist-labels.npy";

    /// <summary>File name of the repository's 5,000-row subsample of the images (in <c>tests/data</c>, gzipped).</summary>
    public const string SubsampleImagesFile = "fashion-mnist-5k-images.npy.gz";

    /// <summary>File name of the subsample's labels.</summary>
    public const string SubsampleLabelsFile = "fashion-mnist-5k-labels.npy.gz";

    /// <summary>The layout of one image row.</summary>
    public static ImageShape Shape { get; } = new(1, 28, 28);

    private FashionMnist(Matrix images, int[] labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>The images, scaled to [0, 1], one per row.</summary>
    public Matrix Images { get; }

    /// <summary>The class of each row.</summary>
    public int[] Labels { get; }

    /// <summary>
    /// Loads <see cref="ImagesFile"/> and <see cref="LabelsFile"/> from <paramref name="directory"/>, or, when it is
    /// null, from the first place <see cref="Locate"/> finds.
    /// </summary>
    /// <exception cref="FileNotFoundException">The files are not there (the message says where they were looked for).</exception>
    /// <exception cref="InvalidDataException">The files do not hold 784-column images with one label per row.</exception>
    public static FashionMnist Load(string? directory = null)
    {
        if (directory == null)
        {
            var (images, labels) = Locate();
            return Load(images, labels);
        }
        string imagesPath = Path.Combine(directory, ImagesFile), labelsPath = Path.Combine(directory, LabelsFile);
        foreach (string path in new[] { imagesPath, labelsPath })
            if (!File.Exists(path))
                throw new FileNotFoundException($"Fashion-MNIST file '{path}' is missing; pass the folder holding {ImagesFile} and {LabelsFile} with --data.", path);
        return Load(imagesPath, labelsPath);
    }

    /// <summary>Loads images and labels from two <c>.npy</c> files, each of which may be gzipped (<c>.npy.gz</c>).</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">The files do not hold 784-column images with one label per row.</exception>
    public static FashionMnist Load(string imagesPath, string labelsPath)
    {
        var images = Read(imagesPath, NpyFile.ReadMatrix);
        if (images.Columns != Shape.Size)
            throw new InvalidDataException($"'{imagesPath}' has {images.Columns} columns; 28 × 28 images need {Shape.Size}.");
        var labels = Read(labelsPath, NpyFile.ReadLabels);
        if (labels.Length != images.Rows)
            throw new InvalidDataException($"'{labelsPath}' holds {labels.Length} labels for {images.Rows} images in '{imagesPath}'.");
        var data = images.Data;
        for (int i = 0; i < data.Length; i++) data[i] *= 1f / 255f;
        return new FashionMnist(images, labels);
    }

    /// <summary>
    /// The files used when no folder is given: <see cref="ImagesFile"/> and <see cref="LabelsFile"/> in the folder
    /// named by the <c>CNE_DATA</c> environment variable, else in <c>../shared/data</c> beside the repository root
    /// (the folder holding <c>ContrastiveNE.sln</c>, found by walking up from the working directory and from the
    /// program), else the repository's own 5,000-row subsample in <c>tests/data</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">None of these holds the images.</exception>
    public static (string Images, string Labels) Locate()
    {
        var tried = new List<string>();
        string? env = Environment.GetEnvironmentVariable("CNE_DATA");
        if (!string.IsNullOrEmpty(env))
        {
            if (File.Exists(Path.Combine(env, ImagesFile))) return (Path.Combine(env, ImagesFile), Path.Combine(env, LabelsFile));
            tried.Add(env);
        }
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "ContrastiveNE.sln"))) continue;
                string full = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                if (File.Exists(Path.Combine(full, ImagesFile))) return (Path.Combine(full, ImagesFile), Path.Combine(full, LabelsFile));
                if (!tried.Contains(full)) tried.Add(full);
                string subsample = Path.Combine(dir.FullName, "tests", "data");
                string images = Path.Combine(subsample, SubsampleImagesFile), labels = Path.Combine(subsample, SubsampleLabelsFile);
                if (File.Exists(images)) return (images, labels);
                if (!tried.Contains(subsample)) tried.Add(subsample);
                break;
            }
        }
        throw new FileNotFoundException(
            $"Could not find {ImagesFile}; looked in {(tried.Count == 0 ? "no folder" : string.Join(", ", tried))}. Pass the folder with --data or set CNE_DATA.",
            ImagesFile);
    }

    private static T Read<T>(string path, Func<Stream, string, T> read)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Fashion-MNIST file '{path}' is missing.", path);
        using var file = File.OpenRead(path);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return read(file, path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return read(gzip, path);
    }
}
