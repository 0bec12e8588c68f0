using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Text;
using ContrastiveNE.Data;
using ContrastiveNE.Neighbors;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Approximate kNN (random-projection trees + NN-descent, k = 15) on the first n Fashion-MNIST rows, with recall@15
/// against exact neighbours of a random sample of 1,000 points. Extra options: <c>--trees</c>, <c>--leaf</c>,
/// <c>--iterations</c>, <c>--delta</c>, <c>--rho</c>, <c>--sample</c>.
/// </summary>
public sealed class KnnApproxScenario : IScenario
{
    private const int K = 15;

    /// <inheritdoc/>
    public string Name => "knn-approx";

    /// <inheritdoc/>
    public string Description => "NN-descent kNN (k = 15) on Fashion-MNIST; recall@15 on a 1,000-point sample";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var all = NpyFile.ReadMatrix(BenchData.File(args, "fashion-mnist-images.npy"));
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = n == all.Rows ? all : all.Slice(0, n);
        result.N = n;
        var defaults = new NNDescent();
        var search = new NNDescent
        {
            Trees = args.GetInt("trees", defaults.Trees),
            LeafSize = args.GetInt("leaf", defaults.LeafSize),
            MaxIterations = args.GetInt("iterations", defaults.MaxIterations),
            Delta = args.GetDouble("delta", defaults.Delta),
            Rho = args.GetDouble("rho", defaults.Rho),
        };
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var knn = search.SearchWithStatistics(data, K, DistanceMetric.Euclidean, args.Seed, args.Threads, null, default, out var stats);
        // CPU time of the search: on a shared machine it varies far less than the wall clock.
        result.Set("knn_seconds", stats.TreeSeconds + stats.DescentSeconds);
        result.Set("knn_cpu_seconds", (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        result.AddPhase("trees", stats.TreeSeconds);
        result.AddPhase("descent", stats.DescentSeconds);
        result.Set("iterations", stats.Iterations);
        result.Set("distance_evaluations", stats.DistanceCount);

        int sampleSize = Math.Min(args.GetInt("sample", 1000), n);
        var rng = Xoshiro256.Create((ulong)(uint)args.Seed, 0xBE7C);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        rng.Shuffle(order.AsSpan());
        var sample = order.AsSpan(0, sampleSize).ToArray();
        var exact = result.Phase("reference", () => ExactNeighbors(data, sample, args.Threads));
        long hits = 0;
        for (int s = 0; s < sample.Length; s++)
        {
            var found = knn.NeighborsOf(sample[s]);
            foreach (int j in exact.AsSpan(s * K, K))
                if (found.IndexOf(j) >= 0) hits++;
        }
        result.Set("recall_at_15", (double)hits / ((long)sampleSize * K));
        if (args.Out is { } path) NpyFile.WriteInt32(path, n, K, knn.Indices);
    }

    /// <summary>
    /// Exact neighbours of the sample by brute force: a float screen (System.Numerics.Tensors, independent of the
    /// library's kernel) keeps the 4k nearest, which are then re-ranked by distances summed in double, ties by index.
    /// Queries go in blocks of 16 so each data row is read from memory once per block.
    /// </summary>
    private static int[] ExactNeighbors(Matrix data, int[] sample, int threads)
    {
        const int Block = 16, Screen = 4 * K;
        int n = data.Rows, dim = data.Columns;
        var neighbors = new int[sample.Length * K];
        int blocks = (sample.Length + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads <= 0 ? Environment.ProcessorCount : threads }, block =>
        {
            int first = block * Block, count = Math.Min(Block, sample.Length - first);
            var bestD = new float[count * Screen];
            var bestI = new int[count * Screen];
            bestD.AsSpan().Fill(float.PositiveInfinity);
            bestI.AsSpan().Fill(-1);
            for (int j = 0; j < n; j++)
            {
                var row = data.Row(j);
                for (int q = 0; q < count; q++)
                {
                    int query = sample[first + q];
                    if (j == query) continue;
                    float d = TensorPrimitives.Distance(data.Row(query), row);
                    var ds = bestD.AsSpan(q * Screen, Screen);
                    if (d >= ds[Screen - 1]) continue;
                    var ids = bestI.AsSpan(q * Screen, Screen);
                    int at = Screen - 1;
                    while (at > 0 && ds[at - 1] > d) { ds[at] = ds[at - 1]; ids[at] = ids[at - 1]; at--; }
                    ds[at] = d;
                    ids[at] = j;
                }
            }
            var exactD = new double[Screen];
            for (int q = 0; q < count; q++)
            {
                var ids = bestI.AsSpan(q * Screen, Screen).ToArray();
                var a = data.Row(sample[first + q]);
                for (int c = 0; c < Screen; c++)
                {
                    var b = data.Row(ids[c]);
                    double s = 0;
                    for (int t = 0; t < dim; t++) { double diff = (double)a[t] - b[t]; s += diff * diff; }
                    exactD[c] = s;
                }
                var keys = exactD.Select((d, c) => (d, ids[c])).OrderBy(x => x.d).ThenBy(x => x.Item2).Take(K).ToArray();
                for (int t = 0; t < K; t++) neighbors[(first + q) * K + t] = keys[t].Item2;
            }
        });
        return neighbors;
    }
}
