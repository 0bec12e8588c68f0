using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ContrastiveNE.LinearAlgebra;
using ContrastiveNE.Randomness;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// SGEMM throughput on the default network's layer shapes at batch 65,536 (forward Y = X·Wᵀ, backward dX = dY·W and
/// dW = dYᵀ·X), next to the FMA peak measured in the same run, so <c>ratio</c> is meaningful. Every rate is also
/// given from process CPU time (<c>*_cputime</c>): on a machine shared with other jobs, wall-clock rates measure the
/// neighbours' load as much as the kernel.
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
        var peak = result.Phase("peak", () => MeasurePeak(threads));
        result.Set("peak_gflops", peak.Wall);
        result.Set("peak_gflops_cputime", peak.Cpu);
        {
            // Diagnostic: a cache-resident block on one thread, next to the one-thread peak, isolates the kernel
            // from memory traffic and threading.
            var rng = Xoshiro256.Create(1, 1);
            float[] a = Fill(ref rng, 128 * 196), b = Fill(ref rng, 196 * 128), c = new float[128 * 128];
            // 2,000 calls per timing: CPU-time clocks tick too coarsely for one 30 µs call.
            var kernel = Rate(3, 1, 2000L * 128, 128, 196, () =>
            {
                for (int r = 0; r < 2000; r++) Gemm.Multiply(Transpose.No, Transpose.No, 128, 128, 196, 1f, a, 196, b, 128, 0f, c, 128, 1);
            });
            var peak1 = MeasurePeak(1);
            result.Set("kernel_ratio_cache_resident_1thread", kernel.Cpu / peak1.Cpu);
        }
        (double Wall, double Cpu) first = default;
        foreach (var (inDim, outDim) in new[] { (784, 100), (100, 100), (100, 2) })
        {
            var rng = Xoshiro256.Create((ulong)args.Seed, (ulong)inDim);
            float[] x = Fill(ref rng, batch * inDim), w = Fill(ref rng, outDim * inDim), y = new float[batch * outDim];
            float[] dy = Fill(ref rng, batch * outDim), dx = new float[batch * inDim], dw = new float[outDim * inDim];
            string shape = $"{inDim}x{outDim}";
            // Forward Y = X·Wᵀ; backward dX = dY·W and dW = dYᵀ·X.
            var fwd = result.Phase("forward_" + shape, () => Rate(repeats, threads, batch, outDim, inDim,
                () => Gemm.Multiply(Transpose.No, Transpose.Yes, batch, outDim, inDim, 1f, x, inDim, w, inDim, 0f, y, outDim, threads)));
            var bx = result.Phase("backward_input_" + shape, () => Rate(repeats, threads, batch, inDim, outDim,
                () => Gemm.Multiply(Transpose.No, Transpose.No, batch, inDim, outDim, 1f, dy, outDim, w, inDim, 0f, dx, inDim, threads)));
            var bw = result.Phase("backward_weight_" + shape, () => Rate(repeats, threads, outDim, inDim, batch,
                () => Gemm.Multiply(Transpose.Yes, Transpose.No, outDim, inDim, batch, 1f, dy, outDim, x, inDim, 0f, dw, inDim, threads)));
            foreach (var (name, rate) in new[] { ("forward_", fwd), ("backward_input_", bx), ("backward_weight_", bw) })
            {
                result.Set("gflops_" + name + shape, rate.Wall);
                result.Set("gflops_cputime_" + name + shape, rate.Cpu);
            }
            if (inDim == 784) first = fwd;
        }
        result.Set("gflops", first.Wall);
        result.Set("ratio", first.Wall / peak.Wall);
        result.Set("gflops_cputime", first.Cpu);
        result.Set("ratio_cputime", first.Cpu / peak.Cpu);
    }

    /// <summary>
    /// Best-of-<paramref name="repeats"/> GFLOP/s of an m × n × k product (after one warm-up call), from wall time,
    /// and from process CPU time spread over <paramref name="threads"/> threads: on a machine shared with other jobs
    /// the second is what the wall rate would be with the cores to ourselves.
    /// </summary>
    private static (double Wall, double Cpu) Rate(int repeats, int threads, long m, long n, long k, Action multiply)
    {
        multiply();
        double wall = double.MaxValue, cpu = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < repeats; r++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            multiply();
            wall = Math.Min(wall, sw.Elapsed.TotalSeconds);
            process.Refresh();
            cpu = Math.Min(cpu, (process.TotalProcessorTime - cpu0).TotalSeconds / threads);
        }
        double flops = 2.0 * m * n * k / 1e9;
        return (flops / wall, flops / cpu);
    }

    /// <summary>
    /// The FMA peak: each thread runs a register-only loop of 16 independent Vector512 FMA chains (enough to cover
    /// the FMA latency on both pipes), best of three rounds.
    /// </summary>
    private static (double Wall, double Cpu) MeasurePeak(int threads)
    {
        threads = Parallelism.Resolve(threads);
        const int iterations = 20_000_000;
        var sink = new float[threads];
        return Rate(3, threads, 16L * 16 * threads, iterations, 1, () => Parallelism.For(threads, threads, t => sink[t] = FmaLoop(iterations, t)));
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
