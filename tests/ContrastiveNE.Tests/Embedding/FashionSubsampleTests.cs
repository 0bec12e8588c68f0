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
        // The repository's 5,000-row subsample (500 per class); batches scaled down with n so that an epoch still
        // holds several batches. The full-size figures live in the nonparam-* benchmarks.
        var (data, labels) = TestFiles.Fashion();
        int n = data.Rows;
        var embedding = new Cne(new CneOptions { Epochs = 60, BatchSize = 8192, Threads = 2 }).FitTransform(data);
        var q = EmbeddingQuality.Evaluate(data, embedding, labels, new QualityOptions { SampleSize = n, Threads = 2 });
        Assert.True(q.KnnAccuracy >= 0.69, $"kNN accuracy {q.KnnAccuracy}"); // measured 0.718
        Assert.True(q.Spearman >= 0.68, $"Spearman {q.Spearman}");           // measured 0.716
        Assert.True(q.RecallAtK >= 0.28, $"recall@15 {q.RecallAtK}");        // measured 0.305
    }
}
