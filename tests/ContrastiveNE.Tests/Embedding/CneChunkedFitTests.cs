using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Embedding;

/// <summary>
/// A whole fit on data stored in row chunks (as a table of more than 2³¹ values is) equals the fit on the same data
/// stored contiguously, bit for bit: the data is only read by the kNN search, PCA and the metrics.
/// </summary>
public class CneChunkedFitTests
{
    private static readonly Lazy<Matrix> Digits = new(() => NpyFile.ReadMatrix(TestFiles.DigitsImages));

    [Fact]
    public void NonParametricFitIsBitIdentical()
    {
        var data = Digits.Value;
        var options = new CneOptions { Epochs = 6, Threads = 2, Seed = 3 };
        var plain = new Cne(options).Fit(data);
        var chunked = new Cne(options).Fit(Chunked.Copy(data, 7));
        Chunked.Equal(plain.Embedding, chunked.Embedding);
        // New points are placed against the chunked training rows as against the contiguous ones.
        var fresh = data.Slice(50, 12);
        Chunked.Equal(plain.Transform(fresh), chunked.Transform(fresh));
    }

    [Fact]
    public void FftFitOnAPcaProjectionIsBitIdentical()
    {
        // The large-data route: kNN on 20 principal components, the t-SNE engine, its start from the same PCA.
        var data = Digits.Value;
        var options = new CneOptions { Epochs = 4, Threads = 2, Repulsion = RepulsionMode.Fft, KnnPcaComponents = 20, KnnMethod = KnnMethod.Approximate };
        var plain = new Cne(options).Fit(data);
        var chunked = new Cne(options).Fit(Chunked.Copy(data, 13));
        Chunked.Equal(plain.Embedding, chunked.Embedding);
    }

    [Fact]
    public void ParametricFitOnChunkedDataFailsAtTheStartWithTheRemedy()
    {
        var chunked = Chunked.Copy(Digits.Value, 7);
        var e = Assert.Throws<NotSupportedException>(() => new Cne(new CneOptions { Parametric = true, Epochs = 1, Threads = 2 }).Fit(chunked));
        Assert.Contains("parametric", e.Message);
        Assert.Contains("row chunks", e.Message);
        Assert.Contains("sample of the rows", e.Message);
    }
}
