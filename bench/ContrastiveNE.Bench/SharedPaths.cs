namespace ContrastiveNE.Bench;

/// <summary>Locates <c>../shared</c> beside the repository root (or <c>CNE_SHARED</c>).</summary>
public static class SharedPaths
{
    /// <summary>A path inside the shared folder; throws a clear error when the folder or file is missing.</summary>
    public static string Get(params string[] parts)
    {
        string root = Root();
        string path = Path.Combine([root, .. parts]);
        if (!File.Exists(path)) throw new FileNotFoundException($"The benchmark needs '{path}' (../shared beside the repository root).", path);
        return path;
    }

    private static string Root()
    {
        string? env = Environment.GetEnvironmentVariable("CNE_SHARED");
        if (!string.IsNullOrEmpty(env)) return env;
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ContrastiveNE.sln")))
                {
                    string shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                    if (Directory.Exists(shared)) return shared;
                }
                if (Directory.Exists(Path.Combine(dir.FullName, "shared", "data"))) return Path.Combine(dir.FullName, "shared");
            }
        }
        throw new DirectoryNotFoundException("Could not find ../shared beside the repository root; set CNE_SHARED to the folder holding data/ and golden/.");
    }
}
