using ContrastiveNE.Models;

namespace ContrastiveNE.Tests.Models;

// The type shares its name with the ContrastiveNE.LinearAlgebra namespace, which would win over a file-level using here.

/// <summary>
/// A straightforward double-precision implementation of a chain of <see cref="Linear"/> and <see cref="Relu"/>
/// layers, reading the float parameters of a <see cref="Sequential"/>: the yardstick for forward, backward and
/// finite-difference checks.
/// </summary>
internal static class ReferenceNetwork
{
    /// <summary>Forward pass of <paramref name="rows"/> rows in double precision.</summary>
    public static double[] Forward(Sequential network, double[] input, int rows, double[][]? parameterOverride = null)
    {
        double[] x = input;
        int p = 0;
        foreach (var layer in network.Layers)
        {
            switch (layer)
            {
                case Linear linear:
                {
                    double[] w = parameterOverride?[p] ?? ToDouble(linear.Weight.Value);
                    double[] b = parameterOverride?[p + 1] ?? ToDouble(linear.Bias.Value);
                    p += 2;
                    x = LinearForward(x, rows, linear.InputDimension, linear.OutputDimension, w, b);
                    break;
                }
                case Relu:
                    x = Array.ConvertAll(x, v => Math.Max(v, 0));
                    break;
                default:
                    throw new InvalidOperationException("Unknown layer.");
            }
        }
        return x;
    }

    /// <summary>Y = X·Wᵀ + b with W out × in.</summary>
    public static double[] LinearForward(double[] x, int rows, int inDim, int outDim, double[] w, double[] b)
    {
        var y = new double[rows * outDim];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outDim; o++)
            {
                double sum = b[o];
                for (int i = 0; i < inDim; i++) sum += x[r * inDim + i] * w[o * inDim + i];
                y[r * outDim + o] = sum;
            }
        return y;
    }

    /// <summary>The float values as doubles.</summary>
    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    /// <summary>Uniform values in [−scale, scale).</summary>
    public static float[] RandomValues(int length, ulong seed, float scale = 1f)
    {
        var random = ContrastiveNE.Randomness.Xoshiro256.Create(seed, 99);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (2f * random.NextFloat() - 1f) * scale;
        return values;
    }

    /// <summary>Asserts |actual − expected| ≤ tolerance · (1 + |expected|) for every entry, naming the first bad index.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= tolerance * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (error {error}).");
        }
    }
}
