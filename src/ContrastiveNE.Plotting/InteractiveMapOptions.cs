namespace ContrastiveNE.Plotting;

/// <summary>What an <see cref="InteractiveMap"/> shows besides the points.</summary>
public sealed record InteractiveMapOptions
{
    /// <summary>The title in the top-left corner and the page's title. Default "embedding".</summary>
    public string Title { get; init; } = "embedding";

    /// <summary>Class of every point: colours (the PNG figure's palette), legend and tooltip. Default null: one colour, no legend.</summary>
    public ClassLabels? Labels { get; init; }

    /// <summary>
    /// The run's settings shown under the title, in order, as name and value (e.g. loss infonce, s 0, preset
    /// reference). The number of points is always shown last as n. Default none.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>An image per point for the tooltip (embedded gzip-compressed). Default null: no thumbnails.</summary>
    public MapThumbnails? Thumbnails { get; init; }

    /// <summary>Data columns shown in the tooltip. Default none.</summary>
    public IReadOnlyList<HoverColumn> HoverColumns { get; init; } = [];
}
