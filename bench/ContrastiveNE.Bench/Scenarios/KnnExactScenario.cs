using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Text;
using ContrastiveNE.Data;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Exact kNN (k = 15) on the first n Fashion-MNIST rows, with recall@15 against a plain double-precision brute
/// force on a 1,000-point sample (1.0 up to exact ties).
/// </summary>
public sealed class KnnExactScenario : IScenario
{
    private const int K = 15;

    /// <inheritdoc/>
    public string Name => "knn-exact";

    /// <inheritdoc/>
    public string Description => "exact kNN (k=15) on the first --n Fashion-MNIST rows (default 70000); recall@15 on a 1000-point sample";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var all = result.Phase("load", () => NpyFile.ReadMatrix(BenchData.File(args, "fashion-mnist-images.npy")));
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = n == all.Rows ? all : all.Slice(0, n);
        result.N = n;
        var device = BenchDevice.Prepare(args, result);
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var knn = result.Phase("knn", () => BenchDevice.ExactKnn(args, device, data, K, args.Threads));
        process.Refresh();
        // On a shared machine the wall time measures the neighbours' load too; CPU time per thread is what the
        // search would take with the cores to itself.
        result.Set("knn_cpu_seconds_per_thread", (process.TotalProcessorTime - cpu0).TotalSeconds / ContrastiveNE.Threading.Parallelism.Resolve(args.Threads));
        int sampleSize = Math.Min(args.GetInt("sample", 1000), n);
        double recall = result.Phase("recall", () => Recall(data, knn, sampleSize, args.Seed));
        result.Set("k", K);
        result.Set("recall_at_15", recall);
        if (args.Out != null) result.Phase("write", () => NpyFile.WriteInt32(args.Out, knn.Count, K, knn.Indices));
    }

    /// <summary>Mean fraction of each sampled point's true 15 neighbours (double-precision brute force) found.</summary>
    private static double Recall(Matrix data, KnnResult knn, int sampleSize, int seed)
    {
        int n = data.Rows, dim = data.Columns;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var rng = Xoshiro256.Create((ulong)seed, 15);
        rng.Shuffle(order.AsSpan());
        var sample = order.AsSpan(0, sampleSize).ToArray();
        var hits = new double[sampleSize];
        Parallel.For(0, sampleSize, s =>
        {
            int q = sample[s];
            // The 15 smallest (distance, index) pairs, kept sorted by insertion.
            var bestDistance = new double[K];
            var bestIndex = new int[K];
            Array.Fill(bestDistance, double.PositiveInfinity);
            var x = data.Row(q);
            for (int j = 0; j < n; j++)
            {
                if (j == q) continue;
                double d = SquaredDistance(x, data.Row(j));
                if (d >= bestDistance[K - 1]) continue;
                int t = K - 1;
                for (; t > 0 && bestDistance[t - 1] > d; t--)
                {
                    bestDistance[t] = bestDistance[t - 1];
                    bestIndex[t] = bestIndex[t - 1];
                }
                bestDistance[t] = d;
                bestIndex[t] = j;
            }
            int found = 0;
            foreach (int j in knn.NeighborsOf(q)) if (Array.IndexOf(bestIndex, j) >= 0) found++;
            hits[s] = (double)found / K;
        });
        return hits.Average();
    }

    /// <summary>‖x − y‖² in double precision (each value widened before subtracting).</summary>
    private static double SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        var acc = Vector512<double>.Zero;
        for (; i + 16 <= x.Length; i += 16)
        {
            var (xl, xh) = Vector512.Widen(Vector512.Create(x.Slice(i, 16)));
            var (yl, yh) = Vector512.Widen(Vector512.Create(y.Slice(i, 16)));
            var dl = xl - yl;
            var dh = xh - yh;
            acc += dl * dl + dh * dh;
        }
        double sum = Vector512.Sum(acc);
        for (; i < x.Length; i++)
        {
            double d = (double)x[i] - y[i];
            sum += d * d;
        }
        return sum;
    }
}
