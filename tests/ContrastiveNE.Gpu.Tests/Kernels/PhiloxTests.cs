using ContrastiveNE.Gpu.Kernels;
using ContrastiveNE.Gpu.Tests.Support;
using ILGPU;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Tests.Kernels;

public class PhiloxTests
{
    // Random123's known-answer vectors for Philox4x32-10 (counter, key → output).
    public static TheoryData<uint[], uint[], uint[]> KnownAnswers => new()
    {
        { [0u, 0u, 0u, 0u], [0u, 0u], [0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u] },
        { [0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu], [0xffffffffu, 0xffffffffu], [0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu] },
        { [0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u], [0xa4093822u, 0x299f31d0u], [0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u] },
    };

    [Theory]
    [MemberData(nameof(KnownAnswers))]
    public void HostMatchesKnownAnswers(uint[] counter, uint[] key, uint[] expected)
    {
        var b = Philox.Block(counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
        Assert.Equal(expected, new[] { b.X0, b.X1, b.X2, b.X3 });
    }

    private static void BlockKernel(Index1D i, ArrayView<uint> input, ArrayView<uint> output)
    {
        int o = i * 6;
        for (int lane = 0; lane < 4; lane++)
            output[i * 4 + lane] = Philox.Word(input[o], input[o + 1], input[o + 2], input[o + 3], input[o + 4], input[o + 5], lane);
    }

    [Fact]
    public void KernelMatchesKnownAnswers()
    {
        var cases = KnownAnswers.Select(row => (uint[][])[(uint[])row[0], (uint[])row[1], (uint[])row[2]]).ToArray();
        uint[] input = cases.SelectMany(c => c[0].Concat(c[1])).ToArray();
        var acc = CpuAccelerator.Instance.Accelerator;
        var kernel = acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<uint>, ArrayView<uint>>(BlockKernel);
        using var inBuf = acc.Allocate1D(input);
        using var outBuf = acc.Allocate1D<uint>(cases.Length * 4);
        kernel(cases.Length, inBuf.View, outBuf.View);
        uint[] output = outBuf.GetAsArray1D();
        Assert.Equal(cases.SelectMany(c => c[2]).ToArray(), output);
    }

    [Fact]
    public void BelowIsUniformOverTheRange()
    {
        // 60 000 draws in [0, 6): every bucket within 5 % of 10 000 (binomial σ ≈ 91, so 500 is > 5σ).
        var counts = new int[6];
        for (uint n = 0; n < 15000; n++)
        {
            var b = Philox.Block(n, 0, 0, 0, 1234, 5678);
            counts[Philox.Below(b.X0, 6)]++; counts[Philox.Below(b.X1, 6)]++;
            counts[Philox.Below(b.X2, 6)]++; counts[Philox.Below(b.X3, 6)]++;
        }
        foreach (int c in counts) Assert.InRange(c, 9500, 10500);
    }
}
