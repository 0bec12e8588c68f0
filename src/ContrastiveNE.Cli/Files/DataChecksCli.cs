namespace ContrastiveNE.Cli.Files;

/// <summary>Checks of data against option values, worded for the command line (naming the option and the file).</summary>
internal static class DataChecksCli
{
    /// <summary>k neighbours need at least k + 1 rows (a point is not its own neighbour).</summary>
    public static void EnsureNeighbours(int k, int rows, string dataPath)
    {
        if (k >= rows)
            throw new InvalidDataException($"{dataPath}: --k {k} needs at least {k + 1} rows, the data has {rows}; choose k below the number of rows.");
    }
}
