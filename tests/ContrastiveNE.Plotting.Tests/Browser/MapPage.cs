using System.Diagnostics;
using PuppeteerSharp;
using PuppeteerSharp.Input;
using SkiaSharp;

namespace ContrastiveNE.Plotting.Tests.Browser;

/// <summary>
/// A map page opened in the shared browser: every request other than the page's own file is recorded and aborted,
/// every console error and uncaught exception recorded, and the page is ready once its first frame is drawn.
/// </summary>
public sealed class MapPage : IAsyncDisposable
{
    private MapPage(IPage page, string url)
    {
        Page = page;
        Url = url;
    }

    /// <summary>The browser tab.</summary>
    public IPage Page { get; }

    /// <summary>The file:// address of the page.</summary>
    public string Url { get; }

    /// <summary>Requests the page made besides loading itself (must stay empty).</summary>
    public List<string> Requests { get; } = [];

    /// <summary>Console errors and uncaught exceptions (must stay empty).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Seconds from starting the navigation until the first frame was drawn.</summary>
    public double OpenSeconds { get; private set; }

    /// <summary>Writes <paramref name="html"/> to a file and opens it.</summary>
    public static async Task<MapPage> OpenAsync(BrowserFixture fixture, byte[] html, string name, int timeoutMs = 60_000)
    {
        string path = Path.Combine(fixture.Folder, name);
        await File.WriteAllBytesAsync(path, html);
        var tab = await fixture.Browser.NewPageAsync();
        var page = new MapPage(tab, new Uri(path).AbsoluteUri);
        tab.DefaultTimeout = timeoutMs;
        tab.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error) lock (page.Errors) page.Errors.Add(e.Message.Text);
        };
        tab.PageError += (_, e) => { lock (page.Errors) page.Errors.Add(e.Message); };
        await tab.SetRequestInterceptionAsync(true);
        tab.Request += async (_, e) =>
        {
            if (e.Request.Url == page.Url) { await e.Request.ContinueAsync(); return; }
            lock (page.Requests) page.Requests.Add(e.Request.Url);
            await e.Request.AbortAsync();
        };
        var clock = Stopwatch.StartNew();
        await tab.GoToAsync(page.Url, new NavigationOptions { Timeout = timeoutMs, WaitUntil = [WaitUntilNavigation.Load] });
        await tab.WaitForFunctionAsync("() => document.body.dataset.ready === '1'", new WaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 50 });
        page.OpenSeconds = clock.Elapsed.TotalSeconds;
        return page;
    }

    /// <summary>Waits until the thumbnails are inflated.</summary>
    public Task WaitForThumbnailsAsync() =>
        Page.WaitForFunctionAsync("() => document.body.dataset.thumbnails === '1'", new WaitForFunctionOptions { PollingInterval = 50 });

    /// <summary>Where row <paramref name="row"/> is drawn, in CSS pixels of the viewport.</summary>
    public async Task<(double X, double Y)> ScreenOfAsync(int row)
    {
        var p = await Page.EvaluateFunctionAsync<Point>("row => window.cneMap.toScreen(row)", row);
        return (p.X, p.Y);
    }

    /// <summary>Waits for the next two animation frames (so a pending redraw is on screen).</summary>
    public Task SettleAsync() =>
        Page.EvaluateExpressionAsync("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");

    /// <summary>A screenshot of the viewport, decoded.</summary>
    public async Task<SKBitmap> ScreenshotAsync()
    {
        await SettleAsync();
        var bytes = await Page.ScreenshotDataAsync(new ScreenshotOptions { Type = ScreenshotType.Png });
        return SKBitmap.Decode(bytes);
    }

    /// <summary>The bounding boxes (x, y, width, height, CSS pixels) of the title corner and the legend, to mask them out of pixel counts.</summary>
    public async Task<(double X, double Y, double W, double H)[]> PanelBoxesAsync()
    {
        var boxes = await Page.EvaluateExpressionAsync<double[][]>(
            "[...document.querySelectorAll('.cne-panel')].map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })");
        return boxes.Select(b => (b[0], b[1], b[2], b[3])).ToArray();
    }

    /// <summary>Moves the mouse to a viewport position.</summary>
    public Task MoveMouseAsync(double x, double y) => Page.Mouse.MoveAsync((decimal)x, (decimal)y, new MoveOptions { Steps = 1 });

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await Page.CloseAsync();

    private sealed record Point(double X, double Y);
}
