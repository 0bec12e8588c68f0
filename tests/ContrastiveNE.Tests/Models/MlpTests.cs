using ContrastiveNE.Models;
using static ContrastiveNE.Tests.Models.ReferenceNetwork;

namespace ContrastiveNE.Tests.Models;

// The type shares its name with the ContrastiveNE.LinearAlgebra namespace, which would win over a file-level using here.

public class MlpTests
{
    [Fact]
    public void CreateBuildsTheReferenceShape()
    {
        var net = Mlp.Create(784, null, 2, seed: 0);
        Assert.Equal(784, net.InputDimension);
        Assert.Equal(2, net.OutputDimension);
        Assert.Equal(7, net.Layers.Count);
        int[] widths = [784, 100, 100, 100, 2];
        for (int i = 0; i < 4; i++)
        {
            var linear = Assert.IsType<Linear>(net.Layers[2 * i]);
            Assert.Equal(widths[i], linear.InputDimension);
            Assert.Equal(widths[i + 1], linear.OutputDimension);
            Assert.Equal($"layer{i}.weight", linear.Weight.Name);
            if (i < 3) Assert.IsType<Relu>(net.Layers[2 * i + 1]);
        }
        Assert.Equal(8, net.Parameters.Count);
        Assert.Equal("hidden", Assert.Throws<ArgumentOutOfRangeException>(() => Mlp.Create(4, [3, 0], 2, 0)).ParamName);
    }

    [Fact]
    public void ForwardMatchesScalarReference()
    {
        var net = Mlp.Create(13, [11, 9], 3, seed: 5);
        const int rows = 37;
        var x = RandomValues(rows * 13, 21);
        var y = new float[rows * 3];
        net.Forward(x, rows, y, training: false);
        AssertClose(Forward(net, ToDouble(x), rows), y, 1e-5, "inference");
        var yTrain = new float[rows * 3];
        net.Forward(x, rows, yTrain, training: true);
        Assert.Equal(y, yTrain);
    }

    /// <summary>
    /// Loss L = Σ c ⊙ Y for fixed random c, so ∂L/∂Y = c. Every parameter and input gradient of the float network must
    /// match central differences of the double-precision reference (step 1e-6, exact up to O(h²) away from ReLU kinks).
    /// </summary>
    [Fact]
    public void GradientsPassFiniteDifferenceCheck()
    {
        var net = Mlp.Create(6, [8, 7], 3, seed: 9);
        const int rows = 5;
        var x = RandomValues(rows * 6, 31);
        var c = RandomValues(rows * 3, 32);
        net.Forward(x, rows, new float[rows * 3], training: true);
        var dx = new float[rows * 6];
        net.Backward(c, dx);

        double Loss(double[] input, double[][] parameters)
        {
            var y = Forward(net, input, rows, parameters);
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += c[i] * y[i];
            return sum;
        }

        var parameters = new double[net.Parameters.Count][];
        for (int p = 0; p < parameters.Length; p++) parameters[p] = ToDouble(net.Parameters[p].Value);
        var xd = ToDouble(x);
        const double h = 1e-6;
        for (int p = 0; p < parameters.Length; p++)
        {
            var numeric = new double[parameters[p].Length];
            for (int i = 0; i < numeric.Length; i++)
            {
                double keep = parameters[p][i];
                parameters[p][i] = keep + h;
                double up = Loss(xd, parameters);
                parameters[p][i] = keep - h;
                double down = Loss(xd, parameters);
                parameters[p][i] = keep;
                numeric[i] = (up - down) / (2 * h);
            }
            AssertClose(numeric, net.Parameters[p].Gradient, 1e-4, net.Parameters[p].Name);
        }
        var numericInput = new double[xd.Length];
        for (int i = 0; i < xd.Length; i++)
        {
            double keep = xd[i];
            xd[i] = keep + h;
            double up = Loss(xd, parameters);
            xd[i] = keep - h;
            double down = Loss(xd, parameters);
            xd[i] = keep;
            numericInput[i] = (up - down) / (2 * h);
        }
        AssertClose(numericInput, dx, 1e-4, "input");
    }

    [Fact]
    public void SameSeedGivesIdenticalResultsAtOneAndTwoThreads()
    {
        // Large enough that every kernel splits into several work units.
        const int rows = 3000, inDim = 40;
        var x = RandomValues(rows * inDim, 41);
        var dy = RandomValues(rows * 2, 42);
        (float[] Y, float[][] Gradients, float[] Dx) Run(int threads)
        {
            var net = Mlp.Create(inDim, [30, 30], 2, seed: 13, threads);
            var y = new float[rows * 2];
            net.Forward(x, rows, y, training: true);
            var dx = new float[rows * inDim];
            net.Backward(dy, dx);
            return (y, [.. net.Parameters.Select(p => p.Gradient)], dx);
        }
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dx, two.Dx);
        for (int p = 0; p < one.Gradients.Length; p++) Assert.Equal(one.Gradients[p], two.Gradients[p]);
    }

    [Fact]
    public void FusedLinearAndRectifierEqualTheLayersOneByOne()
    {
        // Sequential runs a linear layer and the rectifier after it in one pass; driving the same layers one at a
        // time must give bit-identical outputs and gradients. The trailing rectifier is not fused.
        const int rows = 700;
        Sequential Build() => new(new Linear(9, 12, 3, 0), new Relu(12), new Linear(12, 5, 3, 1), new Relu(5), new Linear(5, 4, 3, 2), new Relu(4));
        var x = RandomValues(rows * 9, 61);
        var dy = RandomValues(rows * 4, 62);

        var fused = Build();
        fused.Threads = 2;
        var y = new float[rows * 4];
        fused.Forward(x, rows, y, training: true);
        var dx = new float[rows * 9];
        fused.Backward(dy, dx);
        var yInference = new float[rows * 4];
        fused.Forward(x, rows, yInference, training: false);

        var single = Build();
        var activations = new List<float[]> { x };
        foreach (var layer in single.Layers)
        {
            var next = new float[rows * layer.OutputDimension];
            layer.Forward(activations[^1], rows, next, training: true);
            activations.Add(next);
        }
        var gradient = dy;
        for (int l = single.Layers.Count - 1; l >= 0; l--)
        {
            var next = new float[rows * single.Layers[l].InputDimension];
            single.Layers[l].Backward(gradient, next);
            gradient = next;
        }
        Assert.Equal(activations[^1], y);
        Assert.Equal(y, yInference);
        Assert.Equal(gradient, dx);
        for (int p = 0; p < fused.Parameters.Count; p++) Assert.Equal(single.Parameters[p].Gradient, fused.Parameters[p].Gradient);
    }

    [Fact]
    public void BlockwisePassesMatchTheLayerwisePasses()
    {
        // Without an input gradient to return, a linear/rectifier chain runs forward and backward one block of rows at
        // a time through all layers. Per row the forward pass does the same arithmetic, so outputs are bit-identical;
        // the parameter gradients are sums over the blocks' shares (another summation order), so they agree to rounding,
        // and against the double-precision reference too.
        const int rows = 1000, inDim = 23;
        var x = RandomValues(rows * inDim, 71);
        var dy = RandomValues(rows * 3, 72);
        (float[] Y, float[][] Gradients) Run(int blockRows, int threads)
        {
            var net = Mlp.Create(inDim, [17, 19], 3, seed: 73, threads);
            net.BlockRows = blockRows;
            var y = new float[rows * 3];
            net.Forward(x, rows, y, training: true);
            net.Backward(dy, default);
            // Gradients accumulate: a second backward pass adds the same values again.
            net.Backward(dy, default);
            return (y, [.. net.Parameters.Select(p => p.Gradient)]);
        }
        var layerwise = Run(int.MaxValue, 2);
        var blockwise = Run(96, 2);
        Assert.Equal(layerwise.Y, blockwise.Y);
        var reference = Mlp.Create(inDim, [17, 19], 3, seed: 73);
        for (int p = 0; p < layerwise.Gradients.Length; p++)
        {
            AssertClose(ToDouble(layerwise.Gradients[p]), blockwise.Gradients[p], 1e-5, reference.Parameters[p].Name);
            Assert.Contains(blockwise.Gradients[p], g => g != 0);
        }
        // The blocks' bounds depend on the row count only: any thread count gives the same bits.
        var oneThread = Run(96, 1);
        Assert.Equal(blockwise.Y, oneThread.Y);
        for (int p = 0; p < layerwise.Gradients.Length; p++) Assert.Equal(blockwise.Gradients[p], oneThread.Gradients[p]);

        // And the blockwise gradients of one pass pass the check against the double-precision network's products.
        var net = Mlp.Create(inDim, [17, 19], 3, seed: 73, threads: 2);
        net.BlockRows = 96;
        net.Forward(x, rows, new float[rows * 3], training: true);
        net.Backward(dy, default);
        var layers = ReferenceLayerGradients(net, ToDouble(x), ToDouble(dy), rows);
        for (int p = 0; p < layers.Length; p++) AssertClose(layers[p], net.Parameters[p].Gradient, 1e-4, net.Parameters[p].Name);
    }

    /// <summary>Weight and bias gradients of a linear/rectifier chain in double precision, by back-propagating <paramref name="dy"/>.</summary>
    private static double[][] ReferenceLayerGradients(Sequential net, double[] x, double[] dy, int rows)
    {
        var inputs = new List<double[]>();
        var current = x;
        var linears = net.Layers.OfType<Linear>().ToList();
        for (int l = 0; l < linears.Count; l++)
        {
            inputs.Add(current);
            var lin = linears[l];
            current = LinearForward(current, rows, lin.InputDimension, lin.OutputDimension, ToDouble(lin.Weight.Value), ToDouble(lin.Bias.Value));
            if (l < linears.Count - 1) current = [.. current.Select(v => Math.Max(v, 0))];
        }
        var gradients = new double[2 * linears.Count][];
        var g = dy;
        for (int l = linears.Count - 1; l >= 0; l--)
        {
            var lin = linears[l];
            int inDim = lin.InputDimension, outDim = lin.OutputDimension;
            var dw = new double[outDim * inDim];
            var db = new double[outDim];
            var dx = new double[rows * inDim];
            var w = lin.Weight.Value;
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < outDim; o++)
                {
                    double go = g[r * outDim + o];
                    db[o] += go;
                    for (int i = 0; i < inDim; i++)
                    {
                        dw[o * inDim + i] += go * inputs[l][r * inDim + i];
                        dx[r * inDim + i] += go * w[o * inDim + i];
                    }
                }
            for (int i = 0; i < dx.Length; i++) if (!(inputs[l][i] > 0)) dx[i] = 0;
            gradients[2 * l] = dw;
            gradients[2 * l + 1] = db;
            g = dx;
        }
        return gradients;
    }

    [Fact]
    public void WarmNetworkAllocatesNoBuffers()
    {
        const int rows = 2000, inDim = 50;
        var net = Mlp.Create(inDim, [20, 20], 2, seed: 1, threads: 1);
        var x = RandomValues(rows * inDim, 51);
        var y = new float[rows * 2];
        var dy = RandomValues(rows * 2, 52);
        net.Forward(x, rows, y, training: true);
        net.Backward(dy, default);
        long before = GC.GetAllocatedBytesForCurrentThread();
        net.Forward(x, rows, y, training: true);
        net.Backward(dy, default);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // One batch of activations is 2000 × 20 floats = 160 kB; only small closures may be allocated.
        Assert.True(allocated < 16_000, $"A warm batch allocated {allocated} bytes.");

        net.BlockRows = 300; // blockwise, on this thread (one thread)
        net.Forward(x, rows, y, training: true);
        net.Backward(dy, default);
        before = GC.GetAllocatedBytesForCurrentThread();
        net.Forward(x, rows, y, training: true);
        net.Backward(dy, default);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Each block's products allocate their small closures (~20 kB in all here); a block's gradient buffer alone
        // would be 300 × 50 floats = 60 kB.
        Assert.True(allocated < 40_000, $"A warm blockwise batch allocated {allocated} bytes.");
    }
}
