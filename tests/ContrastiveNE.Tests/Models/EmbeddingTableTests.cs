using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Models;

public class EmbeddingTableTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    public void ForwardGathersAndBackwardScatterAddsDuplicates(int d, int threads)
    {
        const int n = 1000, b = 20_000; // large enough for the parallel scatter
        var random = Xoshiro256.Create(5, 5);
        var positions = new Matrix(n, d);
        for (int i = 0; i < positions.Data.Length; i++) positions.Data[i] = (float)random.NextGaussian();
        var table = new EmbeddingTable(positions, threads);
        var batch = new PairBatch { Size = b, Items = new int[2 * b] };
        for (int r = 0; r < 2 * b; r++) batch.Items[r] = random.NextInt(n);
        var features = new float[2 * b * d];
        table.Forward(batch, features);
        for (int r = 0; r < 2 * b; r++)
            for (int t = 0; t < d; t++) Assert.Equal(positions[batch.Items[r], t], features[r * d + t]);
        var gradient = new float[2 * b * d];
        for (int i = 0; i < gradient.Length; i++) gradient[i] = random.NextFloat() - 0.5f;
        table.Backward(batch, gradient);
        var expected = new float[n * d]; // serial, in row order: the same float additions in the same order
        for (int r = 0; r < 2 * b; r++)
            for (int t = 0; t < d; t++) expected[batch.Items[r] * d + t] += gradient[r * d + t];
        Assert.Equal(expected, table.Parameters[0].Gradient);
    }
}
