using ContrastiveNE.Gpu.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu;

/// <summary>
/// Every kernel of the backend, compiled once for one accelerator, behind typed launchers. ILGPU compiles a kernel
/// on first load (milliseconds to a second each), so trainers share one instance per device.
/// </summary>
internal sealed class GpuKernels
{
    private readonly Action<Index1D, BatchLossParams, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _batchLoss;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int, int, uint, uint> _gatherBatch;
    private readonly Action<Index1D, OptimizerParams, ArrayView<float>, ArrayView<float>, ArrayView<float>> _sgd;
    private readonly Action<Index1D, OptimizerParams, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _adam;
    private readonly Action<KernelConfig, GemmParams, ArrayView<float>, ArrayView<float>, ArrayView<float>> _gemm;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, int> _biasActivation;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>> _reluBackward;
    private readonly Action<Index2D, ArrayView<float>, ArrayView<float>, int, int, int> _biasGradient;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int> _gatherRows;
    private readonly Action<KernelConfig, ArrayView<float>, int, int, int, int, ArrayView<float>> _distances;
    private readonly Action<Index1D, ArrayView<float>, int, int, int, int, ArrayView<int>, ArrayView<float>> _topK;

    /// <summary>Loads (compiles) every kernel for <paramref name="accelerator"/>.</summary>
    public GpuKernels(Accelerator accelerator)
    {
        Accelerator = accelerator;
        _batchLoss = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchLossParams, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(BatchLossKernel.Run);
        _gatherBatch = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int, int, uint, uint>(EdgeSampler.GatherBatch);
        _sgd = accelerator.LoadAutoGroupedStreamKernel<Index1D, OptimizerParams, ArrayView<float>, ArrayView<float>, ArrayView<float>>(OptimizerKernels.Sgd);
        _adam = accelerator.LoadAutoGroupedStreamKernel<Index1D, OptimizerParams, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(OptimizerKernels.Adam);
        _gemm = accelerator.LoadStreamKernel<GemmParams, ArrayView<float>, ArrayView<float>, ArrayView<float>>(GemmKernel.Run);
        _biasActivation = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int>(ElementwiseKernels.BiasActivation);
        _reluBackward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.ReluBackward);
        _biasGradient = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, int, int, int>(ElementwiseKernels.BiasGradient);
        _gatherRows = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>(ElementwiseKernels.GatherRows);
        _distances = accelerator.LoadStreamKernel<ArrayView<float>, int, int, int, int, ArrayView<float>>(KnnKernels.Distances);
        _topK = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, int, int, ArrayView<int>, ArrayView<float>>(KnnKernels.TopK);
    }

    /// <summary>The accelerator the kernels were compiled for.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>One batch's losses and gradients (see <see cref="BatchLossKernel"/>); one thread per head.</summary>
    public void BatchLoss(in BatchLossParams p, ArrayView<float> table, ArrayView<int> rows, ArrayView<int> columns,
        ArrayView<float> grad, ArrayView<float> loss, ArrayView<float> logZ)
        => _batchLoss(p.Batch, p, table, rows, columns, grad, loss, logZ);

    /// <summary>The 2b table rows of the batch at epoch position <paramref name="start"/> (see <see cref="EdgeSampler"/>).</summary>
    public void GatherBatch(ArrayView<int> heads, ArrayView<int> tails, ArrayView<int> rows, int start, int batch, int edges, uint k0, uint k1)
        => _gatherBatch(batch, heads, tails, rows, start, batch, edges, EdgeSampler.HalfBits(edges), k0, k1);

    /// <summary>Clip + SGD step over <paramref name="value"/>, zeroing <paramref name="grad"/>.</summary>
    public void Sgd(in OptimizerParams p, ArrayView<float> value, ArrayView<float> grad, ArrayView<float> velocity)
        => _sgd((int)value.Length, p, value, grad, velocity);

    /// <summary>Clip + Adam step over <paramref name="value"/>, zeroing <paramref name="grad"/>.</summary>
    public void Adam(in OptimizerParams p, ArrayView<float> value, ArrayView<float> grad, ArrayView<float> m, ArrayView<float> v)
        => _adam((int)value.Length, p, value, grad, m, v);

    /// <summary>C = α·op(A)·op(B) + β·C (row-major).</summary>
    public void Gemm(in GemmParams p, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        if (p.M == 0 || p.N == 0) return;
        _gemm(GemmKernel.Config(p.M, p.N), p, a, b, c);
    }

    /// <summary>Adds the bias to every row of the rows × columns <paramref name="output"/>, then ReLU when asked.</summary>
    public void BiasActivation(ArrayView<float> output, ArrayView<float> bias, int columns, bool relu)
        => _biasActivation((int)output.Length, output, bias, columns, relu ? 1 : 0);

    /// <summary>Zeroes <paramref name="grad"/> where <paramref name="activation"/> (a ReLU output) is 0.</summary>
    public void ReluBackward(ArrayView<float> grad, ArrayView<float> activation) => _reluBackward((int)grad.Length, grad, activation);

    /// <summary>Adds the column sums of the rows × columns <paramref name="grad"/> to <paramref name="biasGrad"/>.</summary>
    public void BiasGradient(ArrayView<float> grad, ArrayView<float> biasGrad, int rows, int columns)
    {
        const int chunk = 256;
        _biasGradient(new Index2D(columns, (rows + chunk - 1) / chunk), grad, biasGrad, rows, columns, chunk);
    }

    /// <summary>destination[r, :] = source[rows[r], :] for a table of width <paramref name="width"/>.</summary>
    public void GatherRows(ArrayView<float> source, ArrayView<int> rows, ArrayView<float> destination, int width)
        => _gatherRows((int)(rows.Length * width), source, rows, destination, width);

    /// <summary>Squared distances from queries [start, start + queries) to all n points, point-major.</summary>
    public void Distances(ArrayView<float> data, int n, int dim, int queryStart, int queries, ArrayView<float> dist)
        => _distances(KnnKernels.DistanceConfig(n, queries), data, n, dim, queryStart, queries, dist);

    /// <summary>Per-query top-k over a distance block from <see cref="Distances"/>.</summary>
    public void TopK(ArrayView<float> dist, int n, int queryStart, int queries, int k, ArrayView<int> outIndex, ArrayView<float> outDist)
        => _topK(queries, dist, n, queries, queryStart, k, outIndex, outDist);
}
