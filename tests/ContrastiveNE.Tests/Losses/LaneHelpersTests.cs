using System.Runtime.Intrinsics;
using ContrastiveNE.Losses;
using ContrastiveNE.Randomness;

namespace ContrastiveNE.Tests.Losses;

/// <summary>The lane kernels' own logarithm, exponent split and row loads.</summary>
public class LaneHelpersTests
{
    private static float[] Lanes(Vector256<float> v) { var a = new float[8]; v.CopyTo(a); return a; }

    [Fact]
    public void LogMatchesTheDoubleLogarithmAcrossTheNormalRange()
    {
        var random = Xoshiro256.Create(3, 1);
        var inputs = new List<float> { 1f, MathF.BitDecrement(1f), MathF.BitIncrement(1f), 0.70710677f, 0.7071067f, 1.4142135f,
            1.4142137f, 2f, 0.5f, 1.17549435e-38f, float.MaxValue, 1e-10f, 7.0e-7f, 3.3f };
        for (int i = 0; i < 4000; i++) inputs.Add((float)Math.Exp(random.NextDouble() * 170 - 85));
        for (int i = 0; i < 400; i++) inputs.Add(1f + (float)(random.NextDouble() - 0.5) * 1e-3f);
        while (inputs.Count % 8 != 0) inputs.Add(1.25f);
        for (int start = 0; start < inputs.Count; start += 8)
        {
            var x = Vector256.Create(inputs.ToArray(), start);
            var actual = Lanes(LaneMath.Log(x));
            for (int l = 0; l < 8; l++)
            {
                double expected = Math.Log(inputs[start + l]);
                // A few float ulps of the result, and of the input near 1 (where ln x ≈ x − 1 is tiny).
                Assert.True(Math.Abs(actual[l] - expected) <= 3e-7 * Math.Abs(expected) + 1e-7 * Math.Min(1, Math.Abs(inputs[start + l] - 1)) + 1e-12,
                    $"ln {inputs[start + l]:R}: {actual[l]:R} vs {expected:R}");
            }
        }
    }

    [Fact]
    public void SplitIsExactAndLogAddsTheExponent()
    {
        var random = Xoshiro256.Create(4, 1);
        for (int round = 0; round < 200; round++)
        {
            var values = new float[8];
            for (int l = 0; l < 8; l++) values[l] = (float)Math.Exp(random.NextDouble() * 160 - 80);
            var exponent = Vector256.Create(3, -2, 0, 1, 100, -100, 7, 0);
            var split = Vector256<int>.Zero;
            var mantissa = Lanes(LaneMath.Split(Vector256.Create(values), ref split));
            var withExponent = Lanes(LaneMath.Log(Vector256.Create(values), exponent));
            for (int l = 0; l < 8; l++)
            {
                Assert.InRange(mantissa[l], 0.70710677f, 1.4142135f);
                Assert.Equal(values[l], MathF.ScaleB(mantissa[l], split[l]));
                double expected = Math.Log(values[l]) + exponent[l] * Math.Log(2);
                Assert.True(Math.Abs(withExponent[l] - expected) <= 3e-7 * Math.Abs(expected) + 1e-7, $"{values[l]:R}·2^{exponent[l]}: {withExponent[l]} vs {expected}");
            }
        }
    }

    [Fact]
    public void NonFiniteInputsStayNonFiniteAndTinyOnesFallBackToTheLibrary()
    {
        var log = Lanes(LaneMath.Log(Vector256.Create(float.NaN, float.PositiveInfinity, 1f, 2f, 1f, 1f, 1f, 1f)));
        Assert.True(float.IsNaN(log[0]));
        Assert.False(float.IsFinite(log[1]));
        Assert.Equal(0f, log[2]);
        var exponent = Vector256<int>.Zero;
        var split = Lanes(LaneMath.Split(Vector256.Create(float.NaN, float.PositiveInfinity, 4f, 1f, 1f, 1f, 1f, 1f), ref exponent));
        Assert.True(float.IsNaN(split[0]));
        Assert.True(float.IsNaN(split[1]));
        Assert.Equal(1f, split[2]);
        Assert.Equal(2, exponent[2]);
        var tiny = Lanes(LaneMath.Log(Vector256.Create(0f, 1e-40f, 2f, 1f, 1f, 1f, 1f, 1f)));
        Assert.Equal(float.NegativeInfinity, tiny[0]);
        Assert.Equal(Math.Log(1e-40f), tiny[1], 1e-4);
        Assert.Equal(MathF.Log(2f), tiny[2], 1e-6f);
    }

    [Fact]
    public unsafe void RowLoadsSplitXAndYInLaneOrder()
    {
        var table = new float[2 * 40];
        for (int i = 0; i < table.Length; i++) table[i] = i * 0.5f - 7;
        var rows = Vector256.Create(39, 0, 17, 17, 5, 38, 2, 11);
        fixed (float* f = table)
        {
            LaneRows.Gather(f, rows, out var x, out var y);
            LaneRows.Load(f, 23, out var cx, out var cy);
            for (int l = 0; l < 8; l++)
            {
                Assert.Equal(table[2 * rows[l]], x[l]);
                Assert.Equal(table[2 * rows[l] + 1], y[l]);
                Assert.Equal(table[2 * (23 + l)], cx[l]);
                Assert.Equal(table[2 * (23 + l) + 1], cy[l]);
            }
        }
    }
}
