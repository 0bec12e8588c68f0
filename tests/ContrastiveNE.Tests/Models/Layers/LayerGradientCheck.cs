using ContrastiveNE.Models;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Models.Layers;

/// <summary>
/// Finite-difference check of a layer's backward pass in single precision: the scalar loss L = Σ wᵢ·yᵢ (fixed random
/// weights w over the outputs y of a training forward pass) is differentiated by central differences with respect
/// to input values and parameter values, and compared with what Backward reports.
/// </summary>
internal static class LayerGradientCheck
{
    /// <summary>Random values uniform in [−1, 1).</summary>
    public static float[] RandomValues(int length, ulong seed)
    {
        var random = Xoshiro256.Create(seed, 77);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = 2f * random.NextFloat() - 1f;
        return values;
    }

    /// <summary>
    /// Distinct values spaced 2/length apart, shuffled: max pooling then has no near-ties that a step of
    /// size below half the spacing could swap.
    /// </summary>
    public static float[] DistinctValues(int length, ulong seed)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = -1f + 2f * i / length;
        var random = Xoshiro256.Create(seed, 78);
        random.Shuffle(values.AsSpan());
        return values;
    }

    /// <summary>
    /// Asserts |analytic − numeric| ≤ tolerance·(1 + |numeric|) for up to <paramref name="probes"/> input values and
    /// as many values of every parameter, using central differences with <paramref name="step"/>.
    /// </summary>
    public static void Check(INetwork layer, float[] input, int rows, float step = 1e-2f, double tolerance = 1e-2, int probes = 40, ulong seed = 1)
    {
        float[] weights = RandomValues(rows * layer.OutputDimension, seed + 1000);
        var output = new float[rows * layer.OutputDimension];

        foreach (var p in layer.Parameters) Array.Clear(p.Gradient);
        layer.Forward(input, rows, output, training: true);
        var inputGradient = new float[input.Length];
        layer.Backward(weights, inputGradient);
        var parameterGradients = layer.Parameters.Select(p => (float[])p.Gradient.Clone()).ToArray();

        double Loss()
        {
            layer.Forward(input, rows, output, training: true);
            double sum = 0;
            for (int i = 0; i < output.Length; i++) sum += (double)weights[i] * output[i];
            return sum;
        }

        void Probe(float[] values, float[] analytic, string what)
        {
            var random = Xoshiro256.Create(seed, 5);
            int count = Math.Min(probes, values.Length);
            for (int n = 0; n < count; n++)
            {
                int i = values.Length <= probes ? n : random.NextInt(values.Length);
                float saved = values[i];
                values[i] = saved + step;
                double plus = Loss();
                values[i] = saved - step;
                double minus = Loss();
                values[i] = saved;
                double numeric = (plus - minus) / (2.0 * step);
                double error = Math.Abs(analytic[i] - numeric);
                Assert.True(error <= tolerance * (1 + Math.Abs(numeric)),
                    $"{layer.GetType().Name} {what}[{i}]: backward gives {analytic[i]}, finite differences {numeric}.");
            }
        }

        Probe(input, inputGradient, "input");
        for (int p = 0; p < layer.Parameters.Count; p++)
            Probe(layer.Parameters[p].Value, parameterGradients[p], layer.Parameters[p].Name);
    }
}
