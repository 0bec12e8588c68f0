using ILGPU;

namespace ContrastiveNE.Gpu.Kernels;

/// <summary>The element-wise pieces of an MLP's forward and backward pass, and the row gather that feeds it.</summary>
internal static class ElementwiseKernels
{
    /// <summary>out[r, c] += bias[c], then ReLU when <paramref name="relu"/> ≠ 0 (one thread per entry).</summary>
    public static void BiasActivation(Index1D i, ArrayView<float> output, ArrayView<float> bias, int columns, int relu)
    {
        float x = output[i] + bias[i % columns];
        output[i] = relu != 0 && x < 0f ? 0f : x;
    }

    /// <summary>ReLU backward through its output: grad = 0 where the activation is 0 (ReLU(x) > 0 ⇔ x > 0).</summary>
    public static void ReluBackward(Index1D i, ArrayView<float> grad, ArrayView<float> activation)
    {
        if (activation[i] <= 0f) grad[i] = 0f;
    }

    /// <summary>
    /// Bias gradient: column sums of the rows × columns output gradient. Thread (c, chunk) sums <paramref name="chunk"/>
    /// rows of column c and adds the partial sum atomically, so wide batches use the whole device.
    /// </summary>
    public static void BiasGradient(Index2D idx, ArrayView<float> grad, ArrayView<float> biasGrad, int rows, int columns, int chunk)
    {
        int c = idx.X;
        int start = idx.Y * chunk;
        int end = start + chunk < rows ? start + chunk : rows;
        float s = 0f;
        for (int r = start; r < end; r++) s += grad[r * columns + c];
        Atomic.Add(ref biasGrad[c], s);
    }

    /// <summary>dst[r, :] = src[rows[r], :] for a width-<paramref name="width"/> table (one thread per entry).</summary>
    public static void GatherRows(Index1D i, ArrayView<float> source, ArrayView<int> rows, ArrayView<float> destination, int width)
    {
        int r = i / width;
        destination[i] = source[(long)rows[r] * width + (i - r * width)];
    }
}
