using ContrastiveNE.Data;
using ContrastiveNE.Examples.SimClr;
using ContrastiveNE.Metrics;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Examples.Tests;

public class HeldOutKnnTests
{
    [Fact]
    public void Accuracy_AgreesWithTheDoublePrecisionMetric()
    {
        // Five noisy clusters in 40 dimensions, wide enough that the GEMM path is used and the vote is not trivial.
        var random = Xoshiro256.Create(11);
        (Matrix, int[]) Points(int n)
        {
            var m = new Matrix(n, 40);
            var labels = new int[n];
            for (int i = 0; i < n; i++)
            {
                labels[i] = random.NextInt(5);
                for (int j = 0; j < 40; j++) m[i, j] = (j % 5 == labels[i] ? 1f : 0f) + 5f * (random.NextFloat() - 0.5f);
            }
            return (m, labels);
        }
        var (train, trainLabels) = Points(700);
        var (test, testLabels) = Points(300);
        double reference = KnnClassification.TestAccuracy(train, trainLabels, test, testLabels, 10, 1);
        double fast = HeldOutKnn.Accuracy(train, trainLabels, test, testLabels, 10, 2);
        Assert.InRange(reference, 0.4, 0.99);
        Assert.Equal(reference, fast, 2);
    }

    [Fact]
    public void BadArguments_NameTheParameter()
    {
        var train = new Matrix(5, 3);
        var test = new Matrix(2, 3);
        Assert.Equal("test", Assert.Throws<ArgumentException>(() => HeldOutKnn.Accuracy(train, new int[5], new Matrix(2, 4), new int[2])).ParamName);
        Assert.Equal("trainLabels", Assert.Throws<ArgumentException>(() => HeldOutKnn.Accuracy(train, new int[4], test, new int[2])).ParamName);
        Assert.Equal("k", Assert.ThrowsAny<ArgumentException>(() => HeldOutKnn.Accuracy(train, new int[5], test, new int[2], k: 6)).ParamName);
    }
}
