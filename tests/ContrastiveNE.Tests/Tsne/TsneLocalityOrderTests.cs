using ContrastiveNE.Data;
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

    private static int[] Inverse(int[] order)
    {
        var position = new int[order.Length];
        for (int p = 0; p < order.Length; p++) position[order[p]] = p;
        return position;
    }

    [Fact]
    public void RelabelledAffinitiesAreTheSameEntriesUnderNewNames()
    {
        var (knn, _, order) = Problem(400, 3);
        var position = Inverse(order);
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
        var ordered = new TsneTrainer(orderedTable, AffinityMatrix.FromKnn(knn, 5.0, 1, Inverse(order)), 50, 3, 1, 2, order: order);
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
