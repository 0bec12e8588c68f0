using PuppeteerSharp;

namespace ContrastiveNE.Plotting.Tests.Browser;

/// <summary>
/// One headless Chromium for all browser tests: Debian's /usr/bin/chromium (apt-get install chromium; .ci/run
/// installs it), or the executable named by CNE_CHROMIUM, driven over the DevTools protocol by PuppeteerSharp, which is
/// never asked to download a browser. WebGL runs on SwiftShader, Chromium's CPU renderer, so no GPU is needed.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>The running browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>A folder for the pages the tests write, deleted at the end.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("cne-map-tests-").FullName;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        string? path = Environment.GetEnvironmentVariable("CNE_CHROMIUM") is { Length: > 0 } given ? given : Candidates.FirstOrDefault(File.Exists);
        if (path is null || !File.Exists(path))
            throw new InvalidOperationException($"The browser tests need Chromium: apt-get install -y chromium (looked for {string.Join(", ", Candidates)}; or set CNE_CHROMIUM).");
        Browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--no-sandbox", "--use-gl=swiftshader", "--enable-unsafe-swiftshader", "--disable-dev-shm-usage", "--hide-scrollbars"],
            DefaultViewport = new ViewPortOptions { Width = 900, Height = 700 },
            Timeout = 60_000,
            ProtocolTimeout = 180_000,
        });
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>The browser tests share one browser and run one after another.</summary>
[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;
