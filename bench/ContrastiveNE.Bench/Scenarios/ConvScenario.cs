using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.Examples.SimClr;
using ContrastiveNE.LinearAlgebra;
using ContrastiveNE.Models;
using ContrastiveNE.Models.Layers;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Conv2d throughput on the largest layer of the SimCLR example's encoder (<see cref="SimClrSettings.CreateEncoder"/>;
/// --channels and --depth as there, default 16, 32, 64 with two convolutions per block, whose first largest layer is
/// 16 → 16 channels, 3 × 3, on 28 × 28; --layer NAME, such as conv1.1, picks another of its convolutions) over a batch
/// of --n images (default 512), forward and backward (weights and input), next to the GEMM at the shapes the layer runs
/// (C_out × chunk columns × K forward, and the two backward products) measured in the same run. The issue's target is
/// <c>ratio_forward</c> and <c>ratio_backward</c> ≥ 0.5; <c>ratio_backward_vs_forward_gemm</c> holds the backward pass to
/// the GEMM's rate at the forward's shape instead.
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
        int rows = args.N ?? 512, threads = args.Threads, repeats = args.GetInt("repeats", 10);
        result.N = rows;
        var defaults = new SimClrSettings();
        var settings = new SimClrSettings
        {
            Channels = args.GetIntList("channels", defaults.Channels),
            ConvolutionsPerBlock = args.GetIntList("depth", defaults.ConvolutionsPerBlock),
            Seed = args.Seed,
        };
        settings.Validate();
        var encoder = settings.CreateEncoder();
        var layer = encoder.LargestConvolution;
        static string NameOf(Conv2d c) => c.Weight.Name[..^".weight".Length];
        if (args.Extra.TryGetValue("layer", out var name))
        {
            var convolutions = encoder.Backbone.Layers.OfType<Conv2d>().ToArray();
            layer = convolutions.FirstOrDefault(c => NameOf(c) == name)
                ?? throw new ArgumentException($"--layer: the encoder has no convolution '{name}' (it has {string.Join(", ", convolutions.Select(NameOf))}).");
        }
        var conv = new Conv2d(layer.InputShape, layer.OutputShape.Channels, layer.KernelHeight, layer.KernelWidth,
            layer.Stride, layer.Padding, seed: (ulong)args.Seed, threads: threads);
        result.Set("layer", $"{NameOf(layer)} {conv.InputShape}->{conv.OutputShape} k{conv.KernelHeight}");

        var rng = Xoshiro256.Create((ulong)args.Seed, 1);
        float[] x = Fill(ref rng, rows * conv.InputDimension), dy = Fill(ref rng, rows * conv.OutputDimension);
        var y = new float[rows * conv.OutputDimension];
        var dx = new float[rows * conv.InputDimension];
        double flops = (double)conv.FlopsPerImage * rows;

        // The GEMMs of the layer, over as many chunks as the batch has, with nothing else around them.
        int m = conv.OutputShape.Channels, k = conv.InputShape.Channels * conv.KernelHeight * conv.KernelWidth;
        int cols = conv.ChunkColumns, chunks = (int)Math.Ceiling((double)rows * conv.OutputShape.PlaneSize / cols);
        float[] w = Fill(ref rng, m * k), col = Fill(ref rng, k * cols), product = new float[m * cols], dw = new float[m * k];
        double gemmFlops = 2.0 * m * k * cols * chunks;
        var geometry = new WindowGeometry(conv.InputShape, conv.KernelHeight, conv.KernelWidth, conv.Stride, conv.Padding);
        int perChunk = cols / conv.OutputShape.PlaneSize;
        // A same-size layer with C_in = C_out (as every second stage of a block) runs the transposed convolution at the
        // forward's shape; with C_in ≠ C_out the product above is only an approximation of its shape.
        bool sameSize = conv.TransposedInputGradient && conv.InputShape.Channels == conv.OutputShape.Channels;

        Action[] actions =
        [
            () => conv.Forward(x, rows, y, training: true),
            () => conv.Backward(dy, dx),
            () =>
            {
                for (int c = 0; c < chunks; c++)
                    Gemm.Multiply(Transpose.No, Transpose.No, m, cols, k, 1f, w, k, col, cols, 0f, product, cols, threads);
            },
            () =>
            {
                // The layer's two backward products: dWᵀ = col · dYᵀ (K × C_out), and the input gradient — for a
                // same-size layer W′ (C_in × C_out·k²) · im2col(dY), else Wᵀ · dY folded back (C_in·k² × cols).
                for (int c = 0; c < chunks; c++)
                {
                    Gemm.Multiply(Transpose.No, Transpose.Yes, k, m, cols, 1f, col, cols, product, cols, 1f, dw, m, threads);
                    if (sameSize)
                        Gemm.Multiply(Transpose.No, Transpose.No, conv.InputShape.Channels, cols, k, 1f, w, k, col, cols, 0f, product, cols, threads);
                    else
                        Gemm.Multiply(Transpose.Yes, Transpose.No, k, cols, m, 1f, w, k, product, cols, 0f, col, cols, threads);
                }
            },
            // Diagnostic: im2col alone over the batch on one thread (the layer's main cost besides the GEMMs).
            () =>
            {
                for (int s = 0; s < rows; s++)
                    Im2Col.Expand(geometry, x.AsSpan(s * conv.InputDimension, conv.InputDimension), col, cols, s % perChunk * conv.OutputShape.PlaneSize);
            },
        ];
        // The machine may be shared: rounds interleave all five measurements, so each sees the same conditions,
        // and the best of each over the rounds is kept.
        var best = result.Phase("rounds", () => BestInterleaved(repeats, actions));
        double forward = best[0], backward = best[1], gemmForward = best[2], gemmBackward = best[3], im2col = best[4];
        result.Set("im2col_seconds_1thread", im2col);
        result.Set("conv_forward_seconds", forward);
        result.Set("gemm_forward_seconds", gemmForward);

        result.Set("gemm_shape", $"{m}x{cols}x{k}");
        result.Set("conv_forward_gflops", flops / forward / 1e9);
        result.Set("conv_backward_gflops", 2 * flops / backward / 1e9);
        result.Set("gemm_forward_gflops", gemmFlops / gemmForward / 1e9);
        result.Set("gemm_backward_gflops", 2 * gemmFlops / gemmBackward / 1e9);
        result.Set("ratio_forward", gemmForward / forward * (flops / gemmFlops));
        result.Set("ratio_backward", gemmBackward / backward * (flops / gemmFlops));
        // The stricter reading: the backward pass against the GEMM at its best shape for this layer (the forward's).
        result.Set("ratio_backward_vs_forward_gemm", gemmForward / backward * 2 * (flops / gemmFlops));
    }

    /// <summary>Best time in seconds of each action over <paramref name="repeats"/> interleaved rounds, after one warm-up round.</summary>
    private static double[] BestInterleaved(int repeats, Action[] actions)
    {
        foreach (var action in actions) action();
        var best = new double[actions.Length];
        Array.Fill(best, double.MaxValue);
        for (int r = 0; r < Math.Max(1, repeats); r++)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                var sw = Stopwatch.StartNew();
                actions[i]();
                best[i] = Math.Min(best[i], sw.Elapsed.TotalSeconds);
            }
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
