using ContrastiveNE.Gpu.Kernels;
using ContrastiveNE.Gpu.Tests.Support;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Tests.Kernels;

public class OptimizerKernelTests
{
    private static readonly float[] Start = [0.5f, -1f, 2f, 0f, 3f];
    private static readonly float[][] Grads = [[1f, -10f, 0.25f, 0f, 5f], [0f, 2f, -6f, 0f, 0.1f], [-3f, 0f, 0f, 7f, -0.5f]];

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(0.9f, 0.01f)]
    public void SgdMatchesScalarReference(float momentum, float weightDecay)
    {
        var acc = CpuAccelerator.Instance.Accelerator;
        using var value = acc.Allocate1D(Start);
        using var grad = acc.Allocate1D<float>(Start.Length);
        using var vel = acc.Allocate1D<float>(Start.Length);
        vel.MemSetToZero();
        double[] x = Start.Select(v => (double)v).ToArray(), buf = new double[x.Length];
        for (int step = 0; step < Grads.Length; step++)
        {
            float lr = 0.1f * (step + 1);
            grad.CopyFromCPU(Grads[step]);
            CpuAccelerator.Kernels.Sgd(new OptimizerParams { LearningRate = lr, Clip = 4f, Momentum = momentum, WeightDecay = weightDecay }, value.View, grad.View, vel.View);
            for (int i = 0; i < x.Length; i++)
            {
                double g = Math.Clamp(Grads[step][i], -4, 4) + weightDecay * x[i];
                if (momentum != 0) { buf[i] = momentum * buf[i] + g; g = buf[i]; }
                x[i] -= lr * g;
            }
        }
        acc.Synchronize();
        CpuAccelerator.AssertClose(x, value.GetAsArray1D(), 1e-5, 1e-6, "x");
        Assert.All(grad.GetAsArray1D(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void AdamMatchesScalarReferenceIncludingRowsWithZeroGradient()
    {
        var acc = CpuAccelerator.Instance.Accelerator;
        using var value = acc.Allocate1D(Start);
        using var grad = acc.Allocate1D<float>(Start.Length);
        using var m = acc.Allocate1D<float>(Start.Length);
        using var v = acc.Allocate1D<float>(Start.Length);
        m.MemSetToZero(); v.MemSetToZero();
        const double b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = 0.01;
        double[] x = Start.Select(t => (double)t).ToArray(), mm = new double[x.Length], vv = new double[x.Length];
        for (int step = 1; step <= Grads.Length; step++)
        {
            grad.CopyFromCPU(Grads[step - 1]);
            var p = new OptimizerParams
            {
                LearningRate = (float)lr, Clip = 4f, Beta1 = (float)b1, Beta2 = (float)b2, AdamEps = (float)eps,
                BiasCorrection1 = (float)(1 - Math.Pow(b1, step)), BiasCorrection2Sqrt = (float)Math.Sqrt(1 - Math.Pow(b2, step)),
            };
            CpuAccelerator.Kernels.Adam(p, value.View, grad.View, m.View, v.View);
            for (int i = 0; i < x.Length; i++)
            {
                double g = Math.Clamp(Grads[step - 1][i], -4, 4);
                mm[i] = b1 * mm[i] + (1 - b1) * g;
                vv[i] = b2 * vv[i] + (1 - b2) * g * g;
                x[i] -= lr / (1 - Math.Pow(b1, step)) * mm[i] / (Math.Sqrt(vv[i]) / Math.Sqrt(1 - Math.Pow(b2, step)) + eps);
            }
        }
        acc.Synchronize();
        CpuAccelerator.AssertClose(x, value.GetAsArray1D(), 1e-5, 1e-6, "x");
    }
}
