using ContrastiveNE.Data;
using ContrastiveNE.Initialization;
using ContrastiveNE.Metrics;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Metrics;

/// <summary>The quality metrics read data stored in row chunks (the data side of a large fit) as they read contiguous data.</summary>
public class ChunkedQualityTests
{
    [Fact]
    public void EvaluateGivesTheSameReport()
    {
        var (digits, labels) = TestFiles.Digits();
        var embedding = PcaInitializer.Initialize(digits, 2, 2);
        var options = new QualityOptions { SampleSize = 500, Threads = 2 };
        var plain = EmbeddingQuality.Evaluate(digits, embedding, labels, options);
        var chunked = EmbeddingQuality.Evaluate(Chunked.Copy(digits, 7), Chunked.Copy(embedding, 11), labels, options);
        Assert.Equal(plain, chunked);
        Assert.Equal(
            BruteForceNeighbors.Search(digits, digits, [3, 900, 1796], 15, excludeSelf: true, threads: 2),
            BruteForceNeighbors.Search(Chunked.Copy(digits, 7), digits, [3, 900, 1796], 15, excludeSelf: true, threads: 2));
    }
}
