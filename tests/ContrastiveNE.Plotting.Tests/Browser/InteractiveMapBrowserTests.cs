using System.Globalization;
using System.Text.Json;
using ContrastiveNE.Data;
using PuppeteerSharp;
using PuppeteerSharp.Input;
using Xunit.Abstractions;

namespace ContrastiveNE.Plotting.Tests.Browser;

/// <summary>The interactive map in a real browser (headless Chromium, WebGL on SwiftShader).</summary>
[Collection("browser")]
public class InteractiveMapBrowserTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const int Classes = 5, PerClass = 400, Lone = 777, ImageSide = 8;

    /// <summary>Five blobs on a circle; row 777 (class 1) alone at the centre; an 8 × 8 image and a "weight" per row.</summary>
    private static (Matrix Embedding, InteractiveMapOptions Options) Fixture()
    {
        var (embedding, labels) = EmbeddingFigureTests.Blobs(Classes, PerClass);
        embedding[Lone, 0] = 0;
        embedding[Lone, 1] = 0;
        int n = embedding.Rows;
        var pixels = new byte[n * ImageSide * ImageSide];
        for (int i = 0; i < n; i++)
            for (int t = 0; t < ImageSide * ImageSide; t++) pixels[i * ImageSide * ImageSide + t] = Pixel(i, t);
        var weight = Enumerable.Range(0, n).Select(i => i * 0.5f).ToArray();
        return (embedding, new InteractiveMapOptions
        {
            Title = "blobs",
            Labels = labels,
            Settings = [new("loss", "infonce"), new("s", "0")],
            Thumbnails = new MapThumbnails(pixels, ImageSide, ImageSide),
            HoverColumns = [new HoverColumn("weight", weight)],
        });
    }

    private static byte Pixel(int row, int t) => (byte)((row * 7 + t * 13) % 256);

    private Task<MapPage> OpenFixtureAsync(string name)
    {
        var (embedding, options) = Fixture();
        return MapPage.OpenAsync(browser, InteractiveMap.Render(embedding, options), name);
    }

    [Fact]
    public async Task Page_Loads_WithoutConsoleErrorOrRequest_AndShowsEveryClassColour()
    {
        await using var page = await OpenFixtureAsync("load.html");
        await page.WaitForThumbnailsAsync();

        using var shot = await page.ScreenshotAsync();
        var counts = PixelCounts.ByColour(shot, Palette.HexFor(Classes), await page.PanelBoxesAsync());

        Assert.Empty(page.Errors);
        Assert.Empty(page.Requests);
        output.WriteLine($"pixels per class colour: {string.Join(", ", counts)}");
        Assert.All(counts, count => Assert.True(count >= 200, $"a class shows only {count} pixels: {string.Join(", ", counts)}"));
        Assert.True(counts.Sum() < shot.Width * shot.Height / 2, "more than half the screen is coloured: not a scatter on white");
        string corner = await page.Page.EvaluateExpressionAsync<string>("document.getElementById('cne-corner').innerText");
        Assert.Contains("blobs", corner);
        Assert.Contains("loss infonce · s 0 · n 2,000", corner);
    }

    [Fact]
    public async Task Hover_KnownPoint_ShowsItsIndexLabelColumnAndThumbnail()
    {
        await using var page = await OpenFixtureAsync("hover.html");
        await page.WaitForThumbnailsAsync();
        var (x, y) = await page.ScreenOfAsync(Lone);
        using (var shot = await page.ScreenshotAsync())
        {
            var colours = Palette.HexFor(Classes).Select(SkiaSharp.SKColor.Parse).ToArray();
            Assert.Equal(1, PixelCounts.Classify(shot.GetPixel((int)Math.Round(x), (int)Math.Round(y)), colours));
        }

        await page.MoveMouseAsync(x + 1, y);
        await page.Page.WaitForSelectorAsync("#cne-tooltip:not([hidden])", new WaitForSelectorOptions { Timeout = 10_000 });
        string text = await page.Page.EvaluateExpressionAsync<string>("document.getElementById('cne-tooltip').innerText");
        var thumbnail = await page.Page.EvaluateExpressionAsync<int[]>(
            "(() => { const c = document.querySelector('#cne-tooltip canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; return [c.width, c.height, ...d.filter((_, i) => i % 4 === 0)]; })()");

        output.WriteLine(text.ReplaceLineEndings(" | "));
        Assert.Contains($"#{Lone}", text);
        Assert.Contains("class 1", text);
        Assert.Contains("weight: " + (Lone * 0.5).ToString(CultureInfo.InvariantCulture), text);
        Assert.Equal(ImageSide, thumbnail[0]);
        Assert.Equal(ImageSide, thumbnail[1]);
        Assert.Equal(Enumerable.Range(0, ImageSide * ImageSide).Select(t => (int)Pixel(Lone, t)), thumbnail[2..]);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task LegendClick_HidesThatClass_AndASecondClickBringsItBack()
    {
        await using var page = await OpenFixtureAsync("legend.html");
        var hex = Palette.HexFor(Classes);
        var masks = await page.PanelBoxesAsync();
        using var before = await page.ScreenshotAsync();
        var shown = PixelCounts.ByColour(before, hex, masks);

        await page.Page.ClickAsync(".cne-entry[data-cls='0']");
        using var hidden = await page.ScreenshotAsync();
        var without = PixelCounts.ByColour(hidden, hex, masks);
        await page.Page.ClickAsync(".cne-entry[data-cls='0']");
        using var again = await page.ScreenshotAsync();
        var back = PixelCounts.ByColour(again, hex, masks);

        output.WriteLine($"class pixels shown {string.Join(", ", shown)}; class 0 hidden {string.Join(", ", without)}; shown again {string.Join(", ", back)}");
        Assert.True(without[0] <= shown[0] / 50, $"class 0 still shows {without[0]} of {shown[0]} pixels");
        for (int c = 1; c < Classes; c++)
            Assert.True(without[c] >= shown[c] * 0.8, $"class {c} lost pixels: {shown[c]} → {without[c]}");
        Assert.True(back[0] >= shown[0] * 0.9, $"class 0 did not come back: {shown[0]} → {back[0]}");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task SavePng_MakesAPngOfTheCanvasSize()
    {
        await using var page = await OpenFixtureAsync("save.html");
        // The button hands a PNG blob to URL.createObjectURL and clicks a download link; catch the blob instead.
        await page.Page.EvaluateExpressionAsync(
            "{ window.savedBlob = new Promise(resolve => { URL.createObjectURL = blob => { resolve(blob); return 'about:blank#saved'; }; HTMLAnchorElement.prototype.click = () => {}; }); true; }");
        await page.Page.ClickAsync("#cne-save");
        var saved = await page.Page.EvaluateExpressionAsync<double[]>(
            "window.savedBlob.then(async b => { const image = await createImageBitmap(b); return [b.type === 'image/png' ? 1 : 0, b.size, image.width, image.height]; })");

        output.WriteLine($"saved PNG: {saved[1]:N0} bytes, {saved[2]} × {saved[3]}");
        Assert.Equal(1, saved[0]);
        Assert.Equal((900, 700), ((int)saved[2], (int)saved[3]));
        Assert.True(saved[1] > 5_000, $"a {saved[1]}-byte PNG is too small to hold the map");
        Assert.Empty(page.Errors);
        Assert.Empty(page.Requests);
    }

    [Fact]
    public async Task WheelZoom_ChangesTheView_AndFramesPerSecondAreMeasured()
    {
        await using var page = await OpenFixtureAsync("zoom.html");
        using var before = await page.ScreenshotAsync();
        await page.MoveMouseAsync(450, 350);
        await page.Page.Mouse.WheelAsync(0, -600);
        using var after = await page.ScreenshotAsync();
        double changed = PixelCounts.ChangedFraction(before, after, await page.PanelBoxesAsync());
        var zoom = await page.Page.EvaluateExpressionAsync<double>("window.cneMap.view.zoom");
        var fps = await MeasureAsync(page, 30);

        output.WriteLine($"zoom {zoom:F2}, {changed:P1} of the inked pixels changed; 2,000 points: {fps}");
        Assert.True(zoom > 1.5, $"the wheel did not zoom in (zoom {zoom})");
        Assert.True(changed > 0.5, $"only {changed:P1} of the inked pixels changed");
        Assert.True(fps.Fps > 1, $"{fps.Fps} frames per second");
        Assert.Empty(page.Errors);
    }

    [Theory]
    [InlineData(70_000, 30)]
    [InlineData(1_000_000, 45)]
    public async Task LargeMap_OpensWithinTheStatedTime_AndReportsFramesPerSecond(int n, double maxOpenSeconds)
    {
        var random = new Random(7);
        var embedding = new Matrix(n, 2);
        var codes = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % 10;
            double angle = 2 * Math.PI * c / 10, r = 3 * Math.Sqrt(random.NextDouble()), a = 2 * Math.PI * random.NextDouble();
            embedding[i, 0] = (float)(10 * Math.Cos(angle) + r * Math.Cos(a));
            embedding[i, 1] = (float)(10 * Math.Sin(angle) + r * Math.Sin(a));
            codes[i] = c;
        }
        var labels = new ClassLabels(codes, Enumerable.Range(0, 10).Select(c => $"class {c}").ToArray());
        byte[] html = InteractiveMap.Render(embedding, new InteractiveMapOptions { Title = $"{n} points", Labels = labels });

        await using var page = await MapPage.OpenAsync(browser, html, $"large-{n}.html", timeoutMs: 120_000);
        var fps = await MeasureAsync(page, n > 100_000 ? 8 : 20);
        var moving = await MeasureAsync(page, 30, moving: true);

        // Measured on the 2-core development machine under load 8–20, SwiftShader: 70,000 points open in 1.8–3.1 s,
        // 1,000,000 in 3.4–4.2 s (the limits, 30 s and 45 s, leave room for a slower CI machine); 1,000,000 points
        // draw at ~1 frame/s in full and ~8 frames/s while moving (a 100,000-point sample).
        output.WriteLine($"{n:N0} points: page {html.Length / 1e6:F1} MB, opened in {page.OpenSeconds:F2} s; every point: {fps}; while moving: {moving}");
        Assert.Empty(page.Errors);
        Assert.Empty(page.Requests);
        Assert.True(page.OpenSeconds < maxOpenSeconds, $"{n} points took {page.OpenSeconds:F1} s to open (limit {maxOpenSeconds} s)");
        Assert.True(fps.Fps > 0.2, $"{fps.Fps} frames per second");
        Assert.True(moving.Fps > 0.2 && moving.Points is >= 70_000 and <= 1_000_000, $"moving: {moving}");
    }

    private static async Task<FrameRate> MeasureAsync(MapPage page, int frames, bool moving = false)
    {
        var result = await page.Page.EvaluateFunctionAsync<JsonElement>("(count, moving) => window.cneMap.measureFps(count, moving)", frames, moving);
        return new FrameRate(result.GetProperty("fps").GetDouble(), result.GetProperty("drawMs").GetDouble(), frames, result.GetProperty("points").GetInt32());
    }

    private sealed record FrameRate(double Fps, double DrawMs, int Frames, int Points)
    {
        public override string ToString() => $"{Fps:F1} frames/s over {Frames} zoom frames of {Points:N0} points ({DrawMs:F1} ms to issue one)";
    }
}
