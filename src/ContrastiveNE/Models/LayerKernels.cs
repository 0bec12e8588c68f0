using System.Runtime.Intrinsics;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Models;

/// <summary>
/// The element-wise and row-reduction kernels of the layers (ReLU and its derivative, column sums; the bias and the
/// fused rectifier of a linear layer run on the GEMM's finished tiles, see <c>GemmEpilogue</c>).
/// Work is split into fixed ranges of rows (or elements) independent of the thread count, and every reduction is
/// combined in a fixed order, so results are bit-identical at any thread count.
/// </summary>
internal static unsafe class LayerKernels
{
    /// <summary>Elements per parallel unit for element-wise work: large enough that scheduling costs nothing.</summary>
    private const int ElementGrain = 1 << 16;

    /// <summary>Rows per partial sum of <see cref="AddColumnSums"/>.</summary>
    internal const int SumGrain = 1024;

    /// <summary><paramref name="output"/>[i] = max(<paramref name="input"/>[i], 0).</summary>
    public static void Relu(ReadOnlySpan<float> input, Span<float> output, int threads)
    {
        if (input.Length == 0) return;
        fixed (float* pi = input)
        fixed (float* po = output)
        {
            nint x = (nint)pi, y = (nint)po;
            Parallelism.ForRanges(input.Length, ElementGrain, threads, (start, end) =>
                ReluRange((float*)x + start, (float*)y + start, end - start));
        }
    }

    /// <summary><paramref name="inputGradient"/>[i] = <paramref name="outputGradient"/>[i] where <paramref name="input"/>[i] &gt; 0, else 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int threads)
    {
        if (input.Length == 0) return;
        fixed (float* pi = input)
        fixed (float* pg = outputGradient)
        fixed (float* po = inputGradient)
        {
            nint x = (nint)pi, g = (nint)pg, o = (nint)po;
            Parallelism.ForRanges(input.Length, ElementGrain, threads, (start, end) =>
                ReluBackwardRange((float*)x + start, (float*)g + start, (float*)o + start, end - start));
        }
    }

    /// <summary>
    /// <paramref name="sums"/>[j] += Σ_r <paramref name="source"/>[r, j] over <paramref name="rows"/> rows of width
    /// <paramref name="sums"/>.Length. Each block of <see cref="SumGrain"/> rows is summed into its own slice of
    /// <paramref name="partials"/> (at least ⌈rows / SumGrain⌉ · width long), then the slices are added in block order.
    /// </summary>
    public static void AddColumnSums(ReadOnlySpan<float> source, int rows, Span<float> sums, Span<float> partials, int threads)
    {
        int width = sums.Length;
        if (width == 0 || rows == 0) return;
        int blocks = (rows + SumGrain - 1) / SumGrain;
        fixed (float* ps = source)
        fixed (float* pp = partials)
        {
            nint s = (nint)ps, p = (nint)pp;
            Parallelism.For(blocks, threads, block =>
            {
                var partial = new Span<float>((float*)p + (long)block * width, width);
                partial.Clear();
                int end = Math.Min(rows, (block + 1) * SumGrain);
                for (int r = block * SumGrain; r < end; r++)
                    AddTo(new ReadOnlySpan<float>((float*)s + (long)r * width, width), partial);
            });
        }
        for (int block = 0; block < blocks; block++) AddTo(partials.Slice(block * width, width), sums);
    }

    /// <summary><paramref name="destination"/>[i] += <paramref name="source"/>[i].</summary>
    public static void AddTo(ReadOnlySpan<float> source, Span<float> destination)
    {
        fixed (float* ps = source)
        fixed (float* pd = destination)
            AddRange(ps, pd, source.Length);
    }

    private static void AddRange(float* ps, float* pd, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.Store(Vector512.Load(pd + i) + Vector512.Load(ps + i), pd + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.Store(Vector256.Load(pd + i) + Vector256.Load(ps + i), pd + i);
        for (; i < n; i++) pd[i] += ps[i];
    }

    private static void ReluRange(float* x, float* y, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.Store(Vector512.Max(Vector512.Load(x + i), Vector512<float>.Zero), y + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.Store(Vector256.Max(Vector256.Load(x + i), Vector256<float>.Zero), y + i);
        for (; i < n; i++) y[i] = MathF.Max(x[i], 0); // NaN propagates, as in the vector paths
    }

    private static void ReluBackwardRange(float* x, float* g, float* o, int n)
    {
        // The derivative at exactly 0 is taken as 0, as PyTorch does.
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var positive = Vector512.GreaterThan(Vector512.Load(x + i), Vector512<float>.Zero);
                Vector512.Store(Vector512.BitwiseAnd(Vector512.Load(g + i), positive), o + i);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var positive = Vector256.GreaterThan(Vector256.Load(x + i), Vector256<float>.Zero);
                Vector256.Store(Vector256.BitwiseAnd(Vector256.Load(g + i), positive), o + i);
            }
        for (; i < n; i++) o[i] = x[i] > 0 ? g[i] : 0;
    }
}
