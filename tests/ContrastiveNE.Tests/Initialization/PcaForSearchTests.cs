using ContrastiveNE.Data;
using ContrastiveNE.Initialization;

namespace ContrastiveNE.Tests.Initialization;

public class PcaForSearchTests
{
    /// <summary>Rows with a gently decaying spectrum over 120 columns (the slow case for subspace iteration).</summary>
    private static Matrix Data()
    {
        var random = new Random(3);
        var m = new Matrix(600, 120);
        for (int i = 0; i < m.Rows; i++)
            for (int c = 0; c < m.Columns; c++)
                m[i, c] = (float)((random.NextDouble() - 0.5) * 10 / Math.Sqrt(1 + c));
        return m;
    }

    [Fact]
    public void SingleTransformMatchesTheDoubleTransform()
    {
        var data = Data();
        var pca = Pca.Fit(data, 12, threads: 2);
        var exact = pca.Transform(data, 2);
        var single = pca.TransformSingle(data, 2);
        for (int i = 0; i < exact.Data.Length; i++)
            Assert.True(Math.Abs(exact.Data[i] - single.Data[i]) <= 1e-4 * (1 + Math.Abs(exact.Data[i])), $"entry {i}: {exact.Data[i]} vs {single.Data[i]}");
    }

    [Fact]
    public void LooseFitKeepsAlmostAllTheVarianceOfTheExactAxes()
    {
        var data = Data();
        double Variance(Matrix projection)
        {
            double sum = 0;
            foreach (float v in projection.Data) sum += (double)v * v;
            return sum;
        }
        double exact = Variance(Pca.Fit(data, 30, 2).Transform(data, 2));
        double loose = Variance(Pca.FitForSearch(data, 30, 2).TransformSingle(data, 2));
        Assert.InRange(loose / exact, 0.999, 1.0 + 1e-6);
    }
}
