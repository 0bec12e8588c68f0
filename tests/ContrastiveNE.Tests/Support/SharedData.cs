namespace ContrastiveNE.Tests.Support;

/// <summary>
/// Finds the project's <c>../shared</c> folder (data sets and golden values): the folder named by the
/// <c>CNE_SHARED</c> environment variable, else <c>shared</c> beside the repository root (the directory holding
/// <c>ContrastiveNE.sln</c>), found by walking up from the test binaries.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> Root = new(Locate);

    /// <summary>The shared folder; throws with a clear message when it cannot be found.</summary>
    public static string Directory => Root.Value;

    /// <summary>A path inside the shared folder, e.g. <c>Path("data", "digits-images.npy")</c>.</summary>
    public static string Path(params string[] parts)
    {
        string path = System.IO.Path.Combine([Directory, .. parts]);
        if (!File.Exists(path) && !System.IO.Directory.Exists(path))
            throw new FileNotFoundException($"The shared file '{path}' is missing. Tests expect ../shared (data and golden values) beside the repository root.", path);
        return path;
    }

    private static string Locate()
    {
        string? env = Environment.GetEnvironmentVariable("CNE_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            if (System.IO.Directory.Exists(env)) return env;
            throw new DirectoryNotFoundException($"CNE_SHARED names '{env}', which does not exist.");
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ContrastiveNE.sln")))
            {
                string shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared"));
                if (System.IO.Directory.Exists(shared)) return shared;
                throw new DirectoryNotFoundException($"The shared folder was expected at '{shared}' (../shared beside the repository root {dir.FullName}); it holds the data sets and golden values the tests need.");
            }
        }
        throw new DirectoryNotFoundException($"Could not find the repository root (ContrastiveNE.sln) above '{AppContext.BaseDirectory}', so ../shared cannot be located; set CNE_SHARED.");
    }
}
