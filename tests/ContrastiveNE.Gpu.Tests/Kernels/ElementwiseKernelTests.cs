using ContrastiveNE.Gpu.Tests.Support;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Tests.Kernels;

public class ElementwiseKernelTests
{
    private static float[] RandomValues(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(7, 3, true)]
    [InlineData(300, 13, true)]
    public void BiasActivationAddsTheBiasPerColumnThenRelu(int rows, int columns, bool relu)
    {
        float[] x = RandomValues(rows * columns, 1), bias = RandomValues(columns, 2);
        var acc = CpuAccelerator.Instance.Accelerator;
        using var dx = acc.Allocate1D(x);
        using var db = acc.Allocate1D(bias);
        CpuAccelerator.Kernels.BiasActivation(dx.View, db.View, columns, relu);
        acc.Synchronize();
        var expected = x.Select((v, i) => { double s = v + bias[i % columns]; return relu ? Math.Max(0, s) : s; }).ToArray();
        CpuAccelerator.AssertClose(expected, dx.GetAsArray1D(), 1e-6, 1e-7, "out");
    }

    [Fact]
    public void ReluBackwardZeroesGradientWhereTheOutputIsZero()
    {
        float[] act = [0f, 0.5f, 0f, 2f, 1e-30f], grad = [1f, 2f, 3f, 4f, 5f];
        var acc = CpuAccelerator.Instance.Accelerator;
        using var dg = acc.Allocate1D(grad);
        using var da = acc.Allocate1D(act);
        CpuAccelerator.Kernels.ReluBackward(dg.View, da.View);
        acc.Synchronize();
        Assert.Equal([0f, 2f, 0f, 4f, 5f], dg.GetAsArray1D());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(255, 3)]
    [InlineData(600, 10)]
    public void BiasGradientSumsEachColumn(int rows, int columns)
    {
        float[] g = RandomValues(rows * columns, 3);
        var acc = CpuAccelerator.Instance.Accelerator;
        using var dg = acc.Allocate1D(g);
        using var dbias = acc.Allocate1D<float>(columns);
        dbias.MemSetToZero();
        CpuAccelerator.Kernels.BiasGradient(dg.View, dbias.View, rows, columns);
        acc.Synchronize();
        var expected = new double[columns];
        for (int i = 0; i < g.Length; i++) expected[i % columns] += g[i];
        CpuAccelerator.AssertClose(expected, dbias.GetAsArray1D(), 1e-5, 1e-5, "bias grad");
    }

    [Fact]
    public void GatherRowsCopiesTheListedRows()
    {
        float[] src = RandomValues(5 * 3, 4);
        int[] rows = [4, 0, 4, 2];
        var acc = CpuAccelerator.Instance.Accelerator;
        using var ds = acc.Allocate1D(src);
        using var dr = acc.Allocate1D(rows);
        using var dd = acc.Allocate1D<float>(rows.Length * 3);
        CpuAccelerator.Kernels.GatherRows(ds.View, dr.View, dd.View, 3);
        acc.Synchronize();
        Assert.Equal(rows.SelectMany(r => src.Skip(r * 3).Take(3)).ToArray(), dd.GetAsArray1D());
    }
}
