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

/// <summary>The sixteen-lane helpers agree with the eight-lane ones, lane by lane.</summary>
public class WideLaneHelpersTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public unsafe void WideHelpersMatchTheEightLaneOnes()
    {
        if (!WideLanes.IsSupported)
        {
            // Nothing wide to compare on this CPU; the kernels must not pick the wide path either.
            output.WriteLine("No AVX-512 on this CPU: the sixteen-lane helpers cannot run; checked only that the kernels do not choose them.");
            Assert.False(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && Vector512.IsHardwareAccelerated);
            return;
        }
        var random = Xoshiro256.Create(6, 2);
        var table = new float[2 * 64];
        for (int i = 0; i < table.Length; i++) table[i] = (float)random.NextGaussian();
        var values = new float[16];
        var rowIndices = new int[16];
        for (int round = 0; round < 100; round++)
        {
            for (int l = 0; l < 16; l++)
            {
                values[l] = (float)Math.Exp(random.NextDouble() * 160 - 80);
                rowIndices[l] = random.NextInt(64);
            }
            var x = Vector512.Create(values);
            var exponent = Vector512.Create(3, -2, 0, 1, 100, -100, 7, 0, 5, 5, -5, 0, 1, 2, 3, 4);
            var wideSplitExponent = Vector512<int>.Zero;
            var wideLog = WideLanes.Log(x, exponent);
            var wideSplit = WideLanes.Split(x, ref wideSplitExponent);
            var narrowLog = Vector512.Create(LaneMath.Log(x.GetLower(), exponent.GetLower()), LaneMath.Log(x.GetUpper(), exponent.GetUpper()));
            var lowExponent = Vector256<int>.Zero;
            var highExponent = Vector256<int>.Zero;
            var narrowSplit = Vector512.Create(LaneMath.Split(x.GetLower(), ref lowExponent), LaneMath.Split(x.GetUpper(), ref highExponent));
            Assert.Equal(narrowLog, wideLog);
            Assert.Equal(narrowSplit, wideSplit);
            Assert.Equal(Vector512.Create(lowExponent, highExponent), wideSplitExponent);

            fixed (float* f = table)
            {
                var rows = Vector512.Create(rowIndices);
                WideLanes.Gather(f, rows, out var gx, out var gy);
                WideLanes.Load(f, 40, out var lx, out var ly);
                var pairs = new float[32];
                fixed (float* p = pairs) WideLanes.StorePairs(gx, gy, p);
                for (int l = 0; l < 16; l++)
                {
                    Assert.Equal(table[2 * rowIndices[l]], gx[l]);
                    Assert.Equal(table[2 * rowIndices[l] + 1], gy[l]);
                    Assert.Equal(table[2 * (40 + l)], lx[l]);
                    Assert.Equal(table[2 * (40 + l) + 1], ly[l]);
                    Assert.Equal(gx[l], pairs[2 * l]);
                    Assert.Equal(gy[l], pairs[2 * l + 1]);
                }
            }
        }
        // Draws stay in the batch and never pick the head itself.
        int batchRows = 1000;
        var lanes = new WideLanes(batchRows);
        var streams = Xoshiro256WideLanes.Create(ref random);
        var column = new int[16];
        for (int draw = 0; draw < 2000; draw++)
        {
            var heads = Vector512.Create(draw % 500) + Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            Vector512<int> j;
            fixed (int* c = column) j = lanes.Draw(streams.Next(), heads + Vector512<int>.One, c);
            for (int l = 0; l < 16; l++)
            {
                Assert.InRange(j[l], 0, batchRows - 1);
                Assert.NotEqual(heads[l], j[l]);
                Assert.Equal(j[l], column[l]);
            }
        }
    }
}
