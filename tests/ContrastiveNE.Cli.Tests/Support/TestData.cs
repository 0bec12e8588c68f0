using ContrastiveNE.Data;
using ContrastiveNE.Randomness;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Cli.Tests.Support;

/// <summary>Inputs for the CLI tests.</summary>
public static class TestData
{
    /// <summary>The 1797 × 64 digits images.</summary>
    public static string DigitsImages => TestFiles.DigitsImages;

    /// <summary>The 1797 digit labels.</summary>
    public static string DigitsLabels => TestFiles.DigitsLabels;

    /// <summary>The first <paramref name="rows"/> digits rows written as .csv (with a header and a label column named "digit").</summary>
    public static string WriteDigitsCsv(TempDir dir, int rows, string name = "digits.csv")
    {
        var images = NpyFile.ReadMatrix(DigitsImages);
        var labels = NpyFile.ReadLabels(DigitsLabels);
        string path = dir.File(name);
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(',', Enumerable.Range(0, images.Columns).Select(j => $"p{j}").Append("digit")));
        for (int i = 0; i < rows; i++)
            writer.WriteLine(string.Join(',', images.Row(i).ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(labels[i].ToString())));
        return path;
    }

    /// <summary>
    /// A synthetic 2-D embedding: <paramref name="classes"/> Gaussian blobs on a circle, <paramref name="perClass"/>
    /// points each; returns the embedding and its labels.
    /// </summary>
    public static (Matrix Embedding, int[] Labels) Blobs(int classes, int perClass, ulong seed = 1)
    {
        var random = Xoshiro256.Create(seed);
        var embedding = new Matrix(classes * perClass, 2);
        var labels = new int[classes * perClass];
        for (int c = 0; c < classes; c++)
        {
            double angle = 2 * Math.PI * c / classes;
            for (int t = 0; t < perClass; t++)
            {
                int i = c * perClass + t;
                embedding[i, 0] = (float)(10 * Math.Cos(angle) + random.NextGaussian());
                embedding[i, 1] = (float)(10 * Math.Sin(angle) + random.NextGaussian());
                labels[i] = c;
            }
        }
        return (embedding, labels);
    }
}
