using ContrastiveNE.Data;

namespace ContrastiveNE.Examples.SimClr;

/// <summary>
/// Fashion-MNIST as the project's shared data folder holds it: 70,000 rows of 28 × 28 greyscale values 0 … 255
/// (train and test together, already shuffled) and their classes 0 … 9.
/// </summary>
public sealed class FashionMnist
{
    /// <summary>File name of the images.</summary>
    public const string ImagesFile = "fashion-mnist-images.npy";

    /// <summary>File name of the labels.</summary>
    public const string LabelsFile = "fashion-mnist-labels.npy";

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
    /// Loads the two files from <paramref name="directory"/>, or, when it is null, from the first of: the folder
    /// <c>CNE_SHARED</c>/data, and <c>shared/data</c> beside the repository root (found by walking up from the
    /// working directory and from the program).
    /// </summary>
    /// <exception cref="FileNotFoundException">The files are not there (the message says where they were looked for).</exception>
    /// <exception cref="InvalidDataException">The files do not hold 784-column images with one label per row.</exception>
    public static FashionMnist Load(string? directory = null)
    {
        string folder = directory ?? Locate();
        string imagesPath = Path.Combine(folder, ImagesFile), labelsPath = Path.Combine(folder, LabelsFile);
        foreach (string path in new[] { imagesPath, labelsPath })
            if (!File.Exists(path))
                throw new FileNotFoundException($"Fashion-MNIST file '{path}' is missing; pass the folder holding {ImagesFile} and {LabelsFile} with --data.", path);
        var images = DataFormats.Read(imagesPath).Data;
        if (images.Columns != Shape.Size)
            throw new InvalidDataException($"'{imagesPath}' has {images.Columns} columns; 28 × 28 images need {Shape.Size}.");
        var labels = DataFormats.ReadLabels(labelsPath);
        if (labels.Length != images.Rows)
            throw new InvalidDataException($"'{labelsPath}' holds {labels.Length} labels for {images.Rows} images in '{imagesPath}'.");
        var data = images.Data;
        for (int i = 0; i < data.Length; i++) data[i] *= 1f / 255f;
        return new FashionMnist(images, labels);
    }

    /// <summary>The folder searched when no directory is given (see <see cref="Load"/>).</summary>
    /// <exception cref="FileNotFoundException">No candidate folder holds the images.</exception>
    public static string Locate()
    {
        var tried = new List<string>();
        string? env = Environment.GetEnvironmentVariable("CNE_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            string folder = Path.Combine(env, "data");
            if (File.Exists(Path.Combine(folder, ImagesFile))) return folder;
            tried.Add(folder);
        }
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                // The repository root holds ContrastiveNE.sln and has ../shared beside it; a checkout may also hold shared/ itself.
                foreach (string candidate in new[] { Path.Combine(dir.FullName, "..", "shared", "data"), Path.Combine(dir.FullName, "shared", "data") })
                {
                    if (!File.Exists(Path.Combine(dir.FullName, "ContrastiveNE.sln")) && candidate.Contains(".."))
                        continue;
                    string full = Path.GetFullPath(candidate);
                    if (File.Exists(Path.Combine(full, ImagesFile))) return full;
                    if (!tried.Contains(full)) tried.Add(full);
                }
            }
        }
        throw new FileNotFoundException(
            $"Could not find {ImagesFile}; looked in {(tried.Count == 0 ? "no folder" : string.Join(", ", tried))}. Pass the folder with --data or set CNE_SHARED.",
            ImagesFile);
    }
}
