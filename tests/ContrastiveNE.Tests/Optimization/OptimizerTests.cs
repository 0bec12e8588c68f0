using ContrastiveNE.Models;
using ContrastiveNE.Optimization;

namespace ContrastiveNE.Tests.Optimization;

public class OptimizerTests
{
    private static Parameter Make(float[] value, float[] gradient)
    {
        var p = new Parameter("p", value);
        gradient.CopyTo(p.Gradient, 0);
        return p;
    }

    [Fact]
    public void SgdClipsThenStepsAndZeroesTheGradient()
    {
        var p = Make([1f, 2f, 3f], [10f, -0.5f, -7f]);
        new ParameterOptimizer(OptimizerKind.Sgd, 0f, 0f, 1).Step(0, p, 0.1f, 4f, 1);
        Assert.Equal([1f - 0.4f, 2f + 0.05f, 3f + 0.4f], p.Value);
        Assert.All(p.Gradient, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void SgdWithoutClippingUsesTheRawGradient()
    {
        var p = Make([1f], [10f]);
        new ParameterOptimizer(OptimizerKind.Sgd, 0f, 0f, 1).Step(0, p, 0.1f, null, 1);
        Assert.Equal(0f, p.Value[0], 6);
    }

    [Fact]
    public void SgdMomentumAndWeightDecayFollowPyTorch()
    {
        // g' = g + wd·p; buf₁ = g'₁; buf₂ = μ·buf₁ + g'₂; p ← p − lr·buf.
        var p = Make([1f], [0.5f]);
        var opt = new ParameterOptimizer(OptimizerKind.Sgd, 0.9f, 0.1f, 1);
        opt.Step(0, p, 0.1f, 4f, 1);
        double p1 = 1 - 0.1 * (0.5 + 0.1 * 1);
        Assert.Equal(p1, p.Value[0], 6);
        p.Gradient[0] = 0.25f;
        opt.Step(0, p, 0.1f, 4f, 1);
        double buf2 = 0.9 * (0.5 + 0.1) + (0.25 + 0.1 * p1);
        Assert.Equal(p1 - 0.1 * buf2, p.Value[0], 6);
    }

    [Fact]
    public void AdamMatchesTheHandComputation()
    {
        var p = Make([1f, -2f], [0.5f, -3f]);
        var opt = new ParameterOptimizer(OptimizerKind.Adam, 0f, 0f, 1);
        double[] x = [1, -2], m = [0, 0], v = [0, 0];
        double[][] grads = [[0.5, -3], [0.1, 6]]; // the second is clipped to 4
        for (int t = 1; t <= 2; t++)
        {
            if (t == 2) { p.Gradient[0] = 0.1f; p.Gradient[1] = 6f; }
            opt.Step(0, p, 0.01f, 4f, 1);
            for (int i = 0; i < 2; i++)
            {
                double g = Math.Clamp(grads[t - 1][i], -4, 4);
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mh = m[i] / (1 - Math.Pow(0.9, t)), denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.999, t)) + 1e-8;
                x[i] -= 0.01 * mh / denom;
                Assert.Equal(x[i], p.Value[i], 5);
            }
        }
    }

    [Fact]
    public void AdamMovesRowsWithAZeroGradientThroughTheirMoments()
    {
        // docs/method.md §1.5: dense Adam — a row absent from the batch (zero gradient) still moves while its moments decay.
        var p = Make([0f, 0f], [1f, 0f]);
        var opt = new ParameterOptimizer(OptimizerKind.Adam, 0f, 0f, 1);
        opt.Step(0, p, 0.1f, null, 1);
        Assert.Equal(0f, p.Value[1]);
        float before = p.Value[0];
        opt.Step(0, p, 0.1f, null, 1); // zero gradient now
        Assert.NotEqual(before, p.Value[0]);
    }

    [Fact]
    public void LargeParametersGiveTheSameStepAtOneAndTwoThreads()
    {
        var a = Make(new float[300_000], Enumerable.Range(0, 300_000).Select(i => (float)Math.Sin(i)).ToArray());
        var b = Make(new float[300_000], (float[])a.Gradient.Clone());
        new ParameterOptimizer(OptimizerKind.Adam, 0f, 0.01f, 1).Step(0, a, 0.1f, 0.5f, 1);
        new ParameterOptimizer(OptimizerKind.Adam, 0f, 0.01f, 1).Step(0, b, 0.1f, 0.5f, 2);
        Assert.Equal(a.Value, b.Value);
    }
}
