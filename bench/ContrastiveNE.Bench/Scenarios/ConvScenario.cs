using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.Linear;
using ContrastiveNE.Models;
using ContrastiveNE.Models.Layers;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Conv2d throughput on the largest layer of the Fashion-MNIST encoder (<see cref="ConvEncoder"/>: 32 → 64 channels,
/// 3 × 3, on 14 × 14) over a batch of --n images (default 512), forward and backward (weights and input), next to
/// the GEMM at the shapes the layer runs (C_out × chunk columns × K forward, and the two backward products) measured
/// in the same run. The target is <c>ratio_forward</c> and <c>ratio_backward</c> ≥ 0.5.
/// </summary>
public sealed class ConvScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "conv";

    /// <inheritdoc/>
    public string Description => "Conv2d forward/backward GFLOP/s on the encoder's largest layer vs GEMM GFLOP/s at the same shape";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        int rows = args.N ?? 512, threads = args.Threads, repeats = args.GetInt("repeats", 5);
        result.N = rows;
        var encoder = ConvEncoder.Create(new ImageShape(1, 28, 28), seed: (ulong)args.Seed);
        var layer = encoder.LargestConvolution;
        var conv = new Conv2d(layer.InputShape, layer.OutputShape.Channels, layer.KernelHeight, layer.KernelWidth,
            layer.Stride, layer.Padding, seed: (ulong)args.Seed, threads: threads);
        result.Set("layer", $"{conv.InputShape}->{conv.OutputShape} k{conv.KernelHeight}");

        var rng = Xoshiro256.Create((ulong)args.Seed, 1);
        float[] x = Fill(ref rng, rows * conv.InputDimension), dy = Fill(ref rng, rows * conv.OutputDimension);
        var y = new float[rows * conv.OutputDimension];
        var dx = new float[rows * conv.InputDimension];
        double flops = (double)conv.FlopsPerImage * rows;

        double forward = result.Phase("conv_forward", () => Best(repeats, () => conv.Forward(x, rows, y, training: true)));
        double backward = result.Phase("conv_backward", () => Best(repeats, () => conv.Backward(dy, dx)));

        // The GEMMs of the layer, over as many chunks as the batch has, with nothing else around them.
        int m = conv.OutputShape.Channels, k = conv.InputShape.Channels * conv.KernelHeight * conv.KernelWidth;
        int cols = conv.ChunkColumns, chunks = (int)Math.Ceiling((double)rows * conv.OutputShape.PlaneSize / cols);
        float[] w = Fill(ref rng, m * k), col = Fill(ref rng, k * cols), product = new float[m * cols], dw = new float[m * k];
        double gemmForward = result.Phase("gemm_forward", () => Best(repeats, () =>
        {
            for (int c = 0; c < chunks; c++)
                Gemm.Multiply(Transpose.No, Transpose.No, m, cols, k, 1f, w, k, col, cols, 0f, product, cols, threads);
        }));
        double gemmBackward = result.Phase("gemm_backward", () => Best(repeats, () =>
        {
            for (int c = 0; c < chunks; c++)
            {
                Gemm.Multiply(Transpose.No, Transpose.Yes, m, k, cols, 1f, product, cols, col, cols, 1f, dw, k, threads);
                Gemm.Multiply(Transpose.Yes, Transpose.No, k, cols, m, 1f, w, k, product, cols, 0f, col, cols, threads);
            }
        }));
        double gemmFlops = 2.0 * m * k * cols * chunks;

        result.Set("gemm_shape", $"{m}x{cols}x{k}");
        result.Set("conv_forward_gflops", flops / forward / 1e9);
        result.Set("conv_backward_gflops", 2 * flops / backward / 1e9);
        result.Set("gemm_forward_gflops", gemmFlops / gemmForward / 1e9);
        result.Set("gemm_backward_gflops", 2 * gemmFlops / gemmBackward / 1e9);
        result.Set("ratio_forward", gemmForward / forward * (flops / gemmFlops));
        result.Set("ratio_backward", gemmBackward / backward * (flops / gemmFlops));
    }

    /// <summary>Best of <paramref name="repeats"/> timed calls in seconds, after one warm-up call.</summary>
    private static double Best(int repeats, Action action)
    {
        action();
        double best = double.MaxValue;
        for (int r = 0; r < Math.Max(1, repeats); r++)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static float[] Fill(ref Xoshiro256 rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < a.Length; i++) a[i] = 2f * rng.NextFloat() - 1f;
        return a;
    }
}
