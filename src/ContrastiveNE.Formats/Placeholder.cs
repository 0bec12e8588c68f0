namespace ContrastiveNE.Formats; internal static class Placeholder { }
