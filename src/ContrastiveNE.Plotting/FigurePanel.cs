using ContrastiveNE.Data;

namespace ContrastiveNE.Plotting;

/// <summary>One panel of a figure: an n × 2 (or wider; the first two columns are drawn) embedding and its title.</summary>
/// <param name="Title">The text above the panel.</param>
/// <param name="Embedding">The points, one per row.</param>
public sealed record FigurePanel(string Title, Matrix Embedding);
