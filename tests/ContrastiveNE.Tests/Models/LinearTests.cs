using ContrastiveNE.Models;
using static ContrastiveNE.Tests.Models.ReferenceNetwork;

namespace ContrastiveNE.Tests.Models;

// The type shares its name with the ContrastiveNE.LinearAlgebra namespace, which would win over a file-level using here.

public class LinearTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 0, 3, 2 }, { 1, 1, 1 }, { 1, 5, 3 }, { 3, 17, 1 }, { 17, 33, 7 }, { 70, 20, 100 }, { 1030, 9, 5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesScalarReference(int rows, int inDim, int outDim)
    {
        var layer = new Linear(inDim, outDim, seed: 3);
        var x = RandomValues(rows * inDim, 1);
        var y = new float[rows * outDim];
        layer.Forward(x, rows, y, training: false);
        var expected = LinearForward(ToDouble(x), rows, inDim, outDim, ToDouble(layer.Weight.Value), ToDouble(layer.Bias.Value));
        AssertClose(expected, y, 1e-5, "Y");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardAccumulatesScalarReference(int rows, int inDim, int outDim)
    {
        var layer = new Linear(inDim, outDim, seed: 4);
        var x = RandomValues(rows * inDim, 2);
        var dy = RandomValues(rows * outDim, 3);
        // Gradients accumulate: start from non-zero values and expect them added to.
        var w0 = RandomValues(inDim * outDim, 5);
        var b0 = RandomValues(outDim, 6);
        w0.CopyTo(layer.Weight.Gradient, 0);
        b0.CopyTo(layer.Bias.Gradient, 0);

        layer.Forward(x, rows, new float[rows * outDim], training: true);
        var dx = new float[rows * inDim];
        layer.Backward(dy, dx);

        var dW = ToDouble(w0);
        var db = ToDouble(b0);
        var dX = new double[rows * inDim];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outDim; o++)
            {
                double g = dy[r * outDim + o];
                db[o] += g;
                for (int i = 0; i < inDim; i++)
                {
                    dW[o * inDim + i] += g * x[r * inDim + i];
                    dX[r * inDim + i] += g * layer.Weight.Value[o * inDim + i];
                }
            }
        AssertClose(dW, layer.Weight.Gradient, 1e-5, "dW");
        AssertClose(db, layer.Bias.Gradient, 1e-5, "db");
        AssertClose(dX, dx, 1e-5, "dX");
    }

    [Fact]
    public void InitialisationIsPyTorchUniformAndSeeded()
    {
        var a = new Linear(400, 50, seed: 7, stream: 1);
        var b = new Linear(400, 50, seed: 7, stream: 1);
        var c = new Linear(400, 50, seed: 7, stream: 2);
        Assert.Equal(a.Weight.Value, b.Weight.Value);
        Assert.Equal(a.Bias.Value, b.Bias.Value);
        Assert.NotEqual(a.Weight.Value, c.Weight.Value);

        double bound = 1 / Math.Sqrt(400), sum = 0, sumSq = 0;
        foreach (float v in a.Weight.Value)
        {
            Assert.InRange(v, -bound, bound);
            sum += v;
            sumSq += v * v;
        }
        foreach (float v in a.Bias.Value) Assert.InRange(v, -bound, bound);
        int n = a.Weight.Length;
        // Uniform on ±bound: mean 0, variance bound²/3.
        Assert.InRange(sum / n, -0.05 * bound, 0.05 * bound);
        Assert.InRange(sumSq / n, 0.95 * bound * bound / 3, 1.05 * bound * bound / 3);
        Assert.Equal("linear.weight", a.Parameters[0].Name);
        Assert.Equal("linear.bias", a.Parameters[1].Name);
    }

    [Fact]
    public void WrongSizesNameTheArgument()
    {
        var layer = new Linear(4, 3);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => layer.Forward(new float[7], 2, new float[6], false)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => layer.Forward(new float[8], 2, new float[5], false)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => { _ = new Linear(4, 3, new float[11], new float[3]); }).ParamName);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => { _ = new Linear(4, 3, new float[12], new float[2]); }).ParamName);
        Assert.Throws<InvalidOperationException>(() => new Linear(4, 3).Backward(new float[3], default));
    }
}
