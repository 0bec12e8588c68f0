using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Metrics;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Embedding;

public class FashionSubsampleTests
{
    [Fact]
    public void DefaultsSeparateTheFashionClassesOnASubsample()
    {
        // 4,000 rows (the file's rows are shuffled, so the first ones are a fair sample); batches scaled down with n
        // so that an epoch still holds several batches. The full-size figures live in the nonparam-* benchmarks.
        const int n = 4000;
        var data = NpyFile.ReadMatrix(SharedData.Path("data", "fashion-mnist-images.npy")).Slice(0, n);
        var labels = NpyFile.ReadLabels(SharedData.Path("data", "fashion-mnist-labels.npy"))[..n];
        var embedding = new Cne(new CneOptions { Epochs = 60, BatchSize = 8192, Threads = 2 }).FitTransform(data);
        var q = EmbeddingQuality.Evaluate(data, embedding, labels, new QualityOptions { SampleSize = n, Threads = 2 });
        // Measured (AVX-512, 2 threads): kNN accuracy 0.725, Spearman 0.723, recall@15 0.334.
        Assert.True(q.KnnAccuracy >= 0.70, $"kNN accuracy {q.KnnAccuracy}");
        Assert.True(q.Spearman >= 0.67, $"Spearman {q.Spearman}");
        Assert.True(q.RecallAtK >= 0.30, $"recall@15 {q.RecallAtK}");
    }
}
