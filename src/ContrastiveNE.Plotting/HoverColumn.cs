namespace ContrastiveNE.Plotting;

/// <summary>A numeric column of the data shown in the tooltip of an <see cref="InteractiveMap"/>: its name and one value per point.</summary>
/// <param name="Name">The column's name, as the tooltip shows it.</param>
/// <param name="Values">One value per point.</param>
public sealed record HoverColumn(string Name, IReadOnlyList<float> Values);
