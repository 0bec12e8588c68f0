using System.Diagnostics;
using System.Numerics.Tensors;
using ContrastiveNE.Data;
using ContrastiveNE.LinearAlgebra;
using ContrastiveNE.Models;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// What the fused network passes save, measured in one process so that a shared machine's load hits both sides alike:
/// one batch of the default network (the distinct rows of <c>--batch</c> random pairs, default 32,768, of the first
/// <c>--n</c> Fashion-MNIST rows) forwarded and back-propagated (a) the way the network does it — first layer reading
/// the data rows in place, bias and ReLU in the GEMM write-back, the ReLU mask in the input-gradient GEMM — and
/// (b) as separate passes: gather the rows, plain GEMMs, then bias, ReLU and mask passes over the activations.
/// The two alternate <c>--repeats</c> times (default 6); reports the median and minimum wall and CPU seconds of each
/// and checks that both give the same parameter gradients bit for bit.
/// </summary>
public sealed class ParamFusionScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "param-fusion";

    /// <inheritdoc/>
    public string Description => "one parametric batch: fused network passes vs gather + separate bias/ReLU/mask passes, interleaved";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var all = NpyFile.ReadMatrix(BenchData.File(args, "fashion-mnist-images.npy"));
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = n == all.Rows ? all : all.Slice(0, n);
        result.N = n;
        int b = args.GetInt("batch", 32768), repeats = args.GetInt("repeats", 6), threads = args.Threads;
        var network = Mlp.Create(data.Columns, null, 2, (ulong)args.Seed, threads);
        var random = Xoshiro256.Create((ulong)args.Seed, 7);
        var batch = new PairBatch { Size = b, Items = new int[2 * b] };
        for (int i = 0; i < 2 * b; i++) batch.Items[i] = random.NextInt(n);
        // The distinct rows in first-occurrence order, as the model forwards them.
        var seen = new HashSet<int>();
        var rows = batch.Items.Where(seen.Add).ToArray();
        int m = rows.Length;
        var top = new float[m * 2];
        for (int i = 0; i < top.Length; i++) top[i] = random.NextFloat() - 0.5f;
        var layers = network.Layers.OfType<Models.Linear>().ToArray();
        var output = new float[m * 2];
        var separate = new SeparatePasses(data, layers, m, threads);

        void Fused()
        {
            foreach (var p in network.Parameters) Array.Clear(p.Gradient);
            network.ForwardRetainedRows(data.Data, rows, m, output);
            network.Backward(top, default);
        }
        void Separate()
        {
            foreach (var p in network.Parameters) Array.Clear(p.Gradient);
            separate.Run(rows, top);
        }
        Fused();
        var fusedGradients = network.Parameters.Select(p => (float[])p.Gradient.Clone()).ToArray();
        Separate();
        bool identical = network.Parameters.Select((p, i) => p.Gradient.AsSpan().SequenceEqual(fusedGradients[i])).All(x => x);

        var times = new List<(double Wall, double Cpu)>[] { [], [] };
        for (int r = 0; r < repeats; r++)
        {
            times[0].Add(Time(Fused));
            times[1].Add(Time(Separate));
        }
        result.Set("distinct_rows", m);
        result.Set("gradients_identical", identical);
        foreach (var (name, list) in new[] { ("fused", times[0]), ("separate", times[1]) })
        {
            result.Set(name + "_wall_median", Median(list.Select(t => t.Wall)));
            result.Set(name + "_wall_min", list.Min(t => t.Wall));
            result.Set(name + "_cpu_median", Median(list.Select(t => t.Cpu)));
            result.Set(name + "_cpu_min", list.Min(t => t.Cpu));
        }
        result.Set("cpu_ratio_fused_to_separate", Median(times[0].Select(t => t.Cpu)) / Median(times[1].Select(t => t.Cpu)));
        result.Set("wall_ratio_fused_to_separate", Median(times[0].Select(t => t.Wall)) / Median(times[1].Select(t => t.Wall)));
    }

    private static (double Wall, double Cpu) Time(Action action)
    {
        double cpu = ParametricRun.CpuSeconds();
        var clock = Stopwatch.StartNew();
        action();
        return (clock.Elapsed.TotalSeconds, ParametricRun.CpuSeconds() - cpu);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }

    /// <summary>The network's batch as unfused passes: gather, GEMM, bias, ReLU; GEMMs, column sums and ReLU masks back.</summary>
    private sealed class SeparatePasses(Matrix data, Models.Linear[] layers, int rows, int threads)
    {
        private readonly float[] _gathered = new float[rows * data.Columns];
        private readonly float[][] _activations = [.. layers.Select(l => new float[rows * l.OutputDimension])];
        private readonly float[] _gradientA = new float[rows * 100], _gradientB = new float[rows * 100];
        private readonly float[] _partials = new float[(rows + 1023) / 1024 * 100];

        public void Run(int[] index, float[] top)
        {
            int width = data.Columns;
            Parallelism.ForRanges(rows, 256, threads, (start, end) =>
            {
                for (int j = start; j < end; j++) Array.Copy(data.Data, (long)index[j] * width, _gathered, (long)j * width, width);
            });
            float[] input = _gathered;
            for (int l = 0; l < layers.Length; l++)
            {
                var layer = layers[l];
                int inDim = layer.InputDimension, outDim = layer.OutputDimension;
                var y = _activations[l].AsSpan(0, rows * outDim);
                Gemm.Multiply(Transpose.No, Transpose.Yes, rows, outDim, inDim, 1f, input, inDim, layer.Weight.Value, inDim, 0f, y, outDim, threads);
                bool relu = l < layers.Length - 1;
                var bias = layer.Bias.Value;
                var activation = _activations[l];
                Parallelism.ForRanges(rows, 655, threads, (start, end) =>
                {
                    for (int r = start; r < end; r++)
                    {
                        var row = activation.AsSpan(r * outDim, outDim);
                        TensorPrimitives.Add(row, bias, row);
                        if (relu) TensorPrimitives.Max(row, 0f, row);
                    }
                });
                input = activation;
            }
            ReadOnlySpan<float> dY = top;
            for (int l = layers.Length - 1; l >= 0; l--)
            {
                var layer = layers[l];
                int inDim = layer.InputDimension, outDim = layer.OutputDimension;
                float[] x = l == 0 ? _gathered : _activations[l - 1];
                Gemm.Multiply(Transpose.Yes, Transpose.No, outDim, inDim, rows, 1f, dY, outDim, x, inDim, 1f, layer.Weight.Gradient, inDim, threads);
                LayerKernels.AddColumnSums(dY, rows, layer.Bias.Gradient, _partials, threads);
                if (l == 0) break;
                var dX = ((layers.Length - l) & 1) == 1 ? _gradientA : _gradientB;
                Gemm.Multiply(Transpose.No, Transpose.No, rows, inDim, outDim, 1f, dY, outDim, layer.Weight.Value, inDim, 0f, dX, inDim, threads);
                LayerKernels.ReluBackward(x.AsSpan(0, rows * inDim), dX.AsSpan(0, rows * inDim), dX.AsSpan(0, rows * inDim), threads);
                dY = dX.AsSpan(0, rows * inDim);
            }
        }
    }
}
