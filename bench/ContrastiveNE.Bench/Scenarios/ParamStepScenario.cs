using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.LinearAlgebra;
using ContrastiveNE.Models;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Where the time of one parametric batch goes, independent of machine load: the de-duplicated forward and backward
/// pass of the default network over a batch of <c>--batch</c> random pairs (default 32,768) of the first <c>--n</c>
/// Fashion-MNIST rows (default 70,000), against the bare first-layer GEMMs of the same shape timed in the same run.
/// Reports seconds per batch for forward and backward, the distinct rows, the network's GFLOP/s and the GEMM's.
/// </summary>
public sealed class ParamStepScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "param-step";

    /// <inheritdoc/>
    public string Description => "one parametric batch: forward/backward time vs the bare first-layer GEMMs";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var all = NpyFile.ReadMatrix(BenchData.File(args, "fashion-mnist-images.npy"));
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = n == all.Rows ? all : all.Slice(0, n);
        result.N = n;
        int b = args.GetInt("batch", 32768), repeats = args.GetInt("repeats", 5);
        var network = Mlp.Create(data.Columns, null, 2, (ulong)args.Seed, args.Threads);
        var model = new NetworkModel(network, data, args.Threads);
        var random = Xoshiro256.Create((ulong)args.Seed, 7);
        var batch = new PairBatch { Size = b, Items = new int[2 * b] };
        for (int i = 0; i < 2 * b; i++) batch.Items[i] = random.NextInt(n);
        var features = new float[2 * b * 2];
        var gradient = new float[2 * b * 2];
        for (int i = 0; i < gradient.Length; i++) gradient[i] = random.NextFloat() - 0.5f;

        model.Forward(batch, features); // warm-up: buffers, JIT
        model.Backward(batch, gradient);
        double forward = 0, backward = 0, cpu = ParametricRun.CpuSeconds();
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            model.Forward(batch, features);
            forward += clock.Elapsed.TotalSeconds;
            clock.Restart();
            model.Backward(batch, gradient);
            backward += clock.Elapsed.TotalSeconds;
        }
        cpu = (ParametricRun.CpuSeconds() - cpu) / repeats;
        forward /= repeats;
        backward /= repeats;
        int rows = model.LastDistinctCount;
        // Multiply-adds per distinct row: each linear layer's forward (in·out) and weight gradient (in·out), and the
        // input gradient (in·out) for every layer but the first.
        int[] widths = [data.Columns, 100, 100, 100, 2];
        double flops = 0;
        for (int l = 0; l < 4; l++) flops += 2.0 * widths[l] * widths[l + 1] * (l == 0 ? 2 : 3);
        flops *= rows;

        // The two first-layer products, bare: Y = X·Wᵀ and dW = dYᵀ·X over the same rows.
        var x = new float[rows * data.Columns];
        Array.Copy(data.Data, x, Math.Min(x.Length, data.Data.Length));
        var w = new float[100 * data.Columns];
        var y = new float[rows * 100];
        Gemm.Multiply(Transpose.No, Transpose.Yes, rows, 100, data.Columns, 1f, x, data.Columns, w, data.Columns, 0f, y, 100, args.Threads);
        double gemmCpu = ParametricRun.CpuSeconds();
        var gemmClock = Stopwatch.StartNew();
        for (int r = 0; r < repeats; r++)
        {
            Gemm.Multiply(Transpose.No, Transpose.Yes, rows, 100, data.Columns, 1f, x, data.Columns, w, data.Columns, 0f, y, 100, args.Threads);
            Gemm.Multiply(Transpose.Yes, Transpose.No, 100, data.Columns, rows, 1f, y, 100, x, data.Columns, 1f, w, data.Columns, args.Threads);
        }
        double gemm = gemmClock.Elapsed.TotalSeconds / repeats;
        gemmCpu = (ParametricRun.CpuSeconds() - gemmCpu) / repeats;
        double firstLayerFlops = 4.0 * rows * data.Columns * 100;

        LayerBreakdown(network, data, rows, repeats, result);
        result.Set("distinct_rows", rows);
        result.Set("forward_seconds", forward);
        result.Set("backward_seconds", backward);
        result.Set("network_gflops", flops / (forward + backward) / 1e9);
        result.Set("first_layer_gemm_seconds", gemm);
        result.Set("gemm_gflops", firstLayerFlops / gemm / 1e9);
        result.Set("network_share_in_first_layer_gemm", gemm / (forward + backward));
        result.Set("cpu_seconds_per_batch", cpu);
        result.Set("network_cpu_gflops", flops / cpu / 1e9);
        result.Set("gemm_cpu_gflops", firstLayerFlops / gemmCpu / 1e9);
    }

    /// <summary>CPU seconds per batch of the gather and of every layer's forward and backward, driven one by one.</summary>
    private static void LayerBreakdown(Sequential network, Matrix data, int rows, int repeats, BenchResult result)
    {
        var input = new float[rows * data.Columns];
        void Gather() => Parallelism.ForRanges(rows, 256, network.Threads, (start, end) =>
        {
            for (int j = start; j < end; j++) Array.Copy(data.Data, (long)(j * 7919 % data.Rows) * data.Columns, input, (long)j * data.Columns, data.Columns);
        });
        Gather(); // first touch of the pages, untimed
        double cpu = ParametricRun.CpuSeconds();
        for (int r = 0; r < repeats; r++) Gather();
        result.Set("cpu_gather", (ParametricRun.CpuSeconds() - cpu) / repeats);
        var activations = new List<float[]> { input };
        foreach (var layer in network.Layers) activations.Add(new float[rows * layer.OutputDimension]);
        var gradients = new List<float[]>();
        foreach (var layer in network.Layers) gradients.Add(new float[rows * layer.InputDimension]);
        var top = new float[rows * network.OutputDimension];
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = (ILayer)network.Layers[l];
            cpu = ParametricRun.CpuSeconds();
            for (int r = 0; r < repeats; r++) layer.ForwardRetained(activations[l], rows, activations[l + 1]);
            result.Set($"cpu_forward_{l}_{layer.GetType().Name}", (ParametricRun.CpuSeconds() - cpu) / repeats);
        }
        for (int l = network.Layers.Count - 1; l >= 0; l--)
        {
            var layer = network.Layers[l];
            var upstream = l == network.Layers.Count - 1 ? top : gradients[l + 1];
            cpu = ParametricRun.CpuSeconds();
            for (int r = 0; r < repeats; r++) layer.Backward(upstream, l == 0 ? default : gradients[l]);
            result.Set($"cpu_backward_{l}_{layer.GetType().Name}", (ParametricRun.CpuSeconds() - cpu) / repeats);
        }
    }
}
