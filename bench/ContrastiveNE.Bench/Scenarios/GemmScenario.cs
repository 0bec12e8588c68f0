using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ContrastiveNE.Linear;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// SGEMM throughput on the default network's layer shapes at batch 65,536 (forward Y = X·Wᵀ, backward dX = dY·W and
/// dW = dYᵀ·X), next to the FMA peak measured in the same run, so <c>ratio</c> is meaningful on a shared machine.
/// </summary>
public sealed class GemmScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "gemm";

    /// <inheritdoc/>
    public string Description => "SGEMM GFLOP/s on the network's layer shapes (batch --n, default 65536) vs the measured FMA peak";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        int batch = args.N ?? 65536, threads = args.Threads;
        int repeats = args.GetInt("repeats", 3);
        result.N = batch;
        double peak = result.Phase("peak", () => MeasurePeak(threads));
        result.Set("peak_gflops", peak);
        {
            // Diagnostic: a cache-resident block on one thread, next to the one-thread peak, isolates the kernel
            // from memory traffic and threading.
            var rng = Xoshiro256.Create(1, 1);
            float[] a = Fill(ref rng, 128 * 196), b = Fill(ref rng, 196 * 128), c = new float[128 * 128];
            double kernel = Rate(50, 128, 128, 196, () => Gemm.Multiply(Transpose.No, Transpose.No, 128, 128, 196, 1f, a, 196, b, 128, 0f, c, 128, 1));
            result.Set("gflops_cache_resident_1thread", kernel);
            result.Set("peak_gflops_1thread", MeasurePeak(1));
        }
        double first = 0;
        foreach (var (inDim, outDim) in new[] { (784, 100), (100, 100), (100, 2) })
        {
            var rng = Xoshiro256.Create((ulong)args.Seed, (ulong)inDim);
            float[] x = Fill(ref rng, batch * inDim), w = Fill(ref rng, outDim * inDim), y = new float[batch * outDim];
            float[] dy = Fill(ref rng, batch * outDim), dx = new float[batch * inDim], dw = new float[outDim * inDim];
            string shape = $"{inDim}x{outDim}";
            double fwd = result.Phase("forward_" + shape, () => Rate(repeats, batch, outDim, inDim,
                () => Gemm.Multiply(Transpose.No, Transpose.Yes, batch, outDim, inDim, 1f, x, inDim, w, inDim, 0f, y, outDim, threads)));
            double bx = result.Phase("backward_input_" + shape, () => Rate(repeats, batch, inDim, outDim,
                () => Gemm.Multiply(Transpose.No, Transpose.No, batch, inDim, outDim, 1f, dy, outDim, w, inDim, 0f, dx, inDim, threads)));
            double bw = result.Phase("backward_weight_" + shape, () => Rate(repeats, outDim, inDim, batch,
                () => Gemm.Multiply(Transpose.Yes, Transpose.No, outDim, inDim, batch, 1f, dy, outDim, x, inDim, 0f, dw, inDim, threads)));
            result.Set("gflops_forward_" + shape, fwd);
            result.Set("gflops_backward_input_" + shape, bx);
            result.Set("gflops_backward_weight_" + shape, bw);
            if (inDim == 784) first = fwd;
        }
        result.Set("gflops", first);
        result.Set("ratio", first / peak);
    }

    /// <summary>Best-of-<paramref name="repeats"/> GFLOP/s of an m × n × k product (after one warm-up call).</summary>
    private static double Rate(int repeats, int m, int n, int k, Action multiply)
    {
        multiply();
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            multiply();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * m * n * k / best / 1e9;
    }

    /// <summary>
    /// The FMA peak: each thread runs a register-only loop of 16 independent Vector512 FMA chains (enough to cover
    /// the FMA latency on both pipes), best of three rounds.
    /// </summary>
    private static double MeasurePeak(int threads)
    {
        threads = Parallelism.Resolve(threads);
        const int iterations = 20_000_000;
        var sink = new float[threads];
        double best = 0;
        for (int round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            Parallelism.For(threads, threads, t => sink[t] = FmaLoop(iterations, t));
            double flops = 2.0 * 16 * 16 * iterations * threads;
            best = Math.Max(best, flops / sw.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float FmaLoop(int iterations, int seed)
    {
        var m = Vector512.Create(0.999999f);
        var s = Vector512.Create(1e-7f * (seed + 1));
        Vector512<float> a0 = s, a1 = s, a2 = s, a3 = s, a4 = s, a5 = s, a6 = s, a7 = s;
        Vector512<float> a8 = s, a9 = s, a10 = s, a11 = s, a12 = s, a13 = s, a14 = s, a15 = s;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, s); a1 = Vector512.FusedMultiplyAdd(a1, m, s);
            a2 = Vector512.FusedMultiplyAdd(a2, m, s); a3 = Vector512.FusedMultiplyAdd(a3, m, s);
            a4 = Vector512.FusedMultiplyAdd(a4, m, s); a5 = Vector512.FusedMultiplyAdd(a5, m, s);
            a6 = Vector512.FusedMultiplyAdd(a6, m, s); a7 = Vector512.FusedMultiplyAdd(a7, m, s);
            a8 = Vector512.FusedMultiplyAdd(a8, m, s); a9 = Vector512.FusedMultiplyAdd(a9, m, s);
            a10 = Vector512.FusedMultiplyAdd(a10, m, s); a11 = Vector512.FusedMultiplyAdd(a11, m, s);
            a12 = Vector512.FusedMultiplyAdd(a12, m, s); a13 = Vector512.FusedMultiplyAdd(a13, m, s);
            a14 = Vector512.FusedMultiplyAdd(a14, m, s); a15 = Vector512.FusedMultiplyAdd(a15, m, s);
        }
        var sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15));
        return Vector512.Sum(sum);
    }

    private static float[] Fill(ref Xoshiro256 rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = rng.NextFloat() - 0.5f;
        return x;
    }
}
