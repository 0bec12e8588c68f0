namespace ContrastiveNE.Plotting;

/// <summary>
/// Marker size and opacity chosen from the number of points: a few thousand points get large opaque dots; at
/// 70,000 points dots shrink to ~2.2 px at ~45 % opacity, so dense clusters stay distinguishable and overlaps show as
/// density instead of a solid blob.
/// </summary>
internal readonly record struct PointStyle(float Size, float Alpha)
{
    /// <summary>The style for <paramref name="n"/> points on a panel of <paramref name="panelPixels"/> pixels square.</summary>
    public static PointStyle For(int n, int panelPixels)
    {
        n = Math.Max(n, 1);
        double scale = panelPixels / 800.0;
        // Dot area shrinks in proportion to 1/n: the ink per point stays roughly constant.
        float size = (float)Math.Clamp(Math.Sqrt(350_000.0 / n) * scale, 1.5, 7.0 * scale);
        float alpha = (float)Math.Clamp(0.35 + 0.6 * Math.Sqrt(2_000.0 / n), 0.35, 0.85);
        return new PointStyle(size, alpha);
    }
}
