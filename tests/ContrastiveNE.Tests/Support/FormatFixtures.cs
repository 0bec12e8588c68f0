namespace ContrastiveNE.Tests.Support;

/// <summary>The committed format fixtures in tests/data/formats (made by tests/data/formats/make_fixtures.py).</summary>
public static class FormatFixtures
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "tests", "data", "formats");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/data/formats was not found above the test binaries.");
    });

    /// <summary>The full path of fixture <paramref name="name"/>.</summary>
    public static string Path(string name) => System.IO.Path.Combine(Root.Value, name);
}
