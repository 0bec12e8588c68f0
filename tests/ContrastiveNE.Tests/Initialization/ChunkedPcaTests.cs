using ContrastiveNE.Data;
using ContrastiveNE.Initialization;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Initialization;

/// <summary>PCA of data stored in row chunks equals PCA of the same data stored contiguously, bit for bit.</summary>
public class ChunkedPcaTests
{
    [Fact]
    public void FitTransformAndInitializationAreBitIdentical()
    {
        var (digits, _) = TestFiles.Digits();
        var chunked = Chunked.Copy(digits, 7);
        // 64 columns: the full decomposition; 10 of them on 64 + subspace iteration below via the threshold.
        var plain = Pca.Fit(digits, 5, threads: 2);
        var fromChunks = Pca.Fit(chunked, 5, threads: 2);
        Assert.Equal(plain.Mean, fromChunks.Mean);
        Assert.Equal(plain.Eigenvalues, fromChunks.Eigenvalues);
        Chunked.Equal(plain.Components, fromChunks.Components);
        Chunked.Equal(plain.Transform(digits, 2), plain.Transform(chunked, 2));
        Chunked.Equal(plain.TransformSingle(digits, 2), plain.TransformSingle(chunked, 2));
        var search = Pca.Fit(digits, 20, 2, fullDecompositionMaxColumns: 16);
        var searchChunked = Pca.Fit(chunked, 20, 2, fullDecompositionMaxColumns: 16);
        Assert.Equal(search.Eigenvalues, searchChunked.Eigenvalues);
        Chunked.Equal(search.Components, searchChunked.Components);
        Chunked.Equal(PcaInitializer.Initialize(digits, 2, 2), PcaInitializer.Initialize(chunked, 2, 2));
    }
}
