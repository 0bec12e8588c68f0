namespace ContrastiveNE.Bench;

/// <summary>
/// Locates the full data sets the benchmarks read: the folder given with <c>--data DIR</c>, else the one named by the
/// <c>CNE_DATA</c> environment variable, else <c>../shared/data</c> beside the repository root (the folder holding
/// <c>ContrastiveNE.sln</c>, found by walking up from the working directory and from the program). A file that the
/// repository ships in <c>tests/data</c> (the digits) is read from there when the folder lacks it.
/// </summary>
public static class BenchData
{
    /// <summary>Where the 70,000-row Fashion-MNIST files come from, for the message about a missing file.</summary>
    private const string FashionHint =
        "make it from the Fashion-MNIST IDX files (https://github.com/zalandoresearch/fashion-mnist, or Debian's package dataset-fashion-mnist) with scripts/fashion-mnist-npy.py";

    /// <summary>The folder the benchmarks read (which need not exist: <see cref="File"/> reports a missing file).</summary>
    public static string Directory(BenchArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!string.IsNullOrEmpty(args.DataDirectory)) return args.DataDirectory;
        string? env = Environment.GetEnvironmentVariable("CNE_DATA");
        if (!string.IsNullOrEmpty(env)) return env;
        string? root = RepositoryRoot();
        return Path.GetFullPath(root == null ? Path.Combine("..", "shared", "data") : Path.Combine(root, "..", "shared", "data"));
    }

    /// <summary>
    /// The path of <paramref name="name"/> in the data folder; a missing file is one <see cref="FileNotFoundException"/>
    /// whose message says where it was looked for and how to get it.
    /// </summary>
    public static string File(BenchArgs args, string name)
    {
        string folder = Directory(args);
        string path = Path.Combine(folder, name);
        if (System.IO.File.Exists(path)) return path;
        string? root = RepositoryRoot();
        string shipped = root == null ? "" : Path.Combine(root, "tests", "data", name);
        if (root != null && System.IO.File.Exists(shipped)) return shipped;
        throw new FileNotFoundException($"the benchmark needs '{path}', which is missing: {FashionHint}, then pass its folder with --data DIR or set CNE_DATA.", path);
    }

    private static string? RepositoryRoot()
    {
        foreach (string start in new[] { System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "ContrastiveNE.sln"))) return dir.FullName;
        return null;
    }
}
