using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Models;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Randomness;
using ContrastiveNE.Training;
using ContrastiveNE.Tsne;

namespace ContrastiveNE.Tests.Tsne;

/// <summary>
/// Above 100,000 rows the t-SNE engine trains on points relabelled into the kNN search's locality order (docs/scaling.md).
/// The relabelling must not change the method: the same affinities under new names, the same positions up to the order
/// of float sums, reported in the caller's row order after every epoch.
/// </summary>
public class TsneLocalityOrderTests
{
    private static (KnnResult Knn, Matrix Start, int[] Order) Problem(int n, ulong seed)
    {
        var data = new Matrix(n, 5);
        var random = Xoshiro256.Create(seed, 2);
        for (int i = 0; i < data.Data.Length; i++) data.Data[i] = (float)(random.NextGaussian() + 3 * (i / 5 % 4));
        var knn = NearestNeighbors.Exact(data, 12);
        var start = new Matrix(n, 2);
        for (int i = 0; i < n; i++) { start[i, 0] = data[i, 0] * 1e-2f; start[i, 1] = data[i, 1] * 1e-2f; }
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)(random.NextUInt64() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return (knn, start, order);
    }

    [Fact]
    public void RelabelledAffinitiesAreTheSameEntriesUnderNewNames()
    {
        var (knn, _, order) = Problem(400, 3);
        var position = Cne.Inverse(order);
        var plain = AffinityMatrix.FromKnn(knn, 5.0);
        var relabelled = AffinityMatrix.FromKnn(knn, 5.0, 1, position);
        Assert.Equal(plain.EntryCount, relabelled.EntryCount);
        for (int i = 0; i < plain.NodeCount; i++)
        {
            int r = position[i];
            Assert.Equal(plain.RowOffsets[i + 1] - plain.RowOffsets[i], relabelled.RowOffsets[r + 1] - relabelled.RowOffsets[r]);
            for (int t = plain.RowOffsets[i]; t < plain.RowOffsets[i + 1]; t++)
            {
                int at = Array.BinarySearch(relabelled.Columns, relabelled.RowOffsets[r], relabelled.RowOffsets[r + 1] - relabelled.RowOffsets[r],
                    position[plain.Columns[t]]);
                Assert.True(at >= 0, $"entry ({i}, {plain.Columns[t]}) is missing after relabelling");
                // The total is summed in another order: equal to float rounding.
                Assert.Equal(plain.Weights[t], relabelled.Weights[at], plain.Weights[t] * 1e-6f);
            }
        }
    }

    [Fact]
    public void TrainingInTheOrderGivesTheSamePositionsInTheTablesRowOrder()
    {
        var (knn, start, order) = Problem(600, 5);
        var plainTable = new EmbeddingTable(start.Clone(), 2);
        var orderedTable = new EmbeddingTable(start.Clone(), 2);
        var plain = new TsneTrainer(plainTable, AffinityMatrix.FromKnn(knn, 5.0), 50, 3, 1, 2);
        var ordered = new TsneTrainer(orderedTable, AffinityMatrix.FromKnn(knn, 5.0, 1, Cne.Inverse(order)), 50, 3, 1, 2, order: order);
        var schedule = SpectrumSchedule.Constant(4.0);
        for (int epoch = 0; epoch < 6; epoch++)
        {
            plain.Optimize(1, schedule);
            ordered.Optimize(1, schedule);
            // After every epoch the ordered trainer's table holds the positions in the table's own row order.
            double scale = 0, difference = 0;
            for (int v = 0; v < plainTable.Positions.Data.Length; v++)
            {
                scale = Math.Max(scale, Math.Abs(plainTable.Positions.Data[v]));
                difference = Math.Max(difference, Math.Abs(plainTable.Positions.Data[v] - orderedTable.Positions.Data[v]));
            }
            // Measured: differences of order 1e-7 of the extent (float sums in another order).
            Assert.True(difference <= 1e-4 * scale, $"epoch {epoch}: the ordered run differs by {difference} (extent {scale})");
        }
        Assert.Equal(plain.Z, ordered.Z, plain.Z * 1e-4);
    }

    [Fact]
    public void AnOrderOfTheWrongLengthIsRejected()
    {
        var (knn, start, _) = Problem(100, 7);
        var error = Assert.Throws<ArgumentException>(() =>
            new TsneTrainer(new EmbeddingTable(start, 1), AffinityMatrix.FromKnn(knn, 5.0), 50, 3, 1, 1, order: new int[99]));
        Assert.Equal("order", error.ParamName);
    }
}

/// <summary>
/// The whole large-data route: a fit of more than 100,000 rows with the defaults runs the t-SNE engine in NN-descent's
/// locality order, and the embedding it returns is in the caller's row order.
/// </summary>
public class LargeTsneFitTests
{
    [Fact]
    public void AFitAboveTheLargeDataSizeReturnsThePointsInTheCallersOrder()
    {
        // Two blobs far apart in 3-D, interleaved by row parity: a result in the wrong row order would mix them.
        const int n = 100_400;
        var data = new Matrix(n, 3);
        var random = Xoshiro256.Create(11, 4);
        for (int i = 0; i < n; i++)
        {
            float centre = i % 2 == 0 ? -20f : 20f;
            for (int c = 0; c < 3; c++) data[i, c] = centre + (float)random.NextGaussian();
        }
        var options = new CneOptions { Epochs = 3, Threads = 2 };
        Assert.Equal(RepulsionMode.Fft, options.ForRows(n).Repulsion);
        using var fit = new Cne(options).Fit(data);
        var y = fit.Embedding;
        Assert.Equal(n, y.Rows);
        Assert.True(Assert.IsType<TsneTrainer>(fit.Trainer).Relabelled, "the fit did not train in the search's locality order");
        // The blobs' centres in the map, and each point on its own blob's side of the midpoint between them.
        double even = 0, odd = 0;
        for (int i = 0; i < n; i++) if (i % 2 == 0) even += y[i, 0]; else odd += y[i, 0];
        even /= n / 2;
        odd /= n / 2;
        Assert.True(Math.Abs(even - odd) > 0, "the blobs were not separated");
        double middle = (even + odd) / 2, sign = Math.Sign(even - odd);
        int wrong = 0;
        for (int i = 0; i < n; i++)
        {
            Assert.True(float.IsFinite(y[i, 0]) && float.IsFinite(y[i, 1]), $"row {i} is not finite");
            if (Math.Sign(y[i, 0] - middle) != (i % 2 == 0 ? sign : -sign)) wrong++;
        }
        Assert.Equal(0, wrong);
    }
}
