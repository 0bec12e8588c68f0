using System.Text.Json;
using ContrastiveNE.Gpu.Kernels;
using ContrastiveNE.Gpu.Tests.Support;
using ContrastiveNE.Tests.Support;
using ILGPU.Runtime;

namespace ContrastiveNE.Gpu.Tests.Kernels;

public class BatchLossKernelTests
{
    private static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        using var stream = File.OpenRead(TestFiles.GoldenBatchLosses);
        var doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    });

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases.Value) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Case(string name) => Cases.Value.Single(c => c.GetProperty("name").GetString() == name);

    private static float Number(JsonElement e, string key, float fallback) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? (float)v.GetDouble() : fallback;

    /// <summary>The kernel's settings for a golden case, exactly as the trainer derives them from the options.</summary>
    internal static BatchLossParams Params(JsonElement c)
    {
        string mode = c.GetProperty("loss_mode").GetString()!;
        bool cosine = c.GetProperty("metric").GetString() == "cosine";
        int b = c.GetProperty("batch").GetInt32(), m = c.GetProperty("negatives").GetInt32();
        float temperature = Number(c, "temperature", 0.5f);
        bool mean = c.GetProperty("aggregation").GetString() == "mean";
        var lossMode = mode switch
        {
            "neg" => GpuLossMode.Neg, "nce" => GpuLossMode.Nce, "umap" => GpuLossMode.Umap,
            "infonce" => GpuLossMode.InfoNce, _ => GpuLossMode.InfoNceAlt,
        };
        return new BatchLossParams
        {
            Batch = b, Dim = c.GetProperty("dim").GetInt32(), Negatives = m, Mode = (int)lossMode, Cosine = cosine ? 1 : 0,
            Source = (int)GpuNegativeSource.Explicit, Spec = Number(c, "spec_param", 1f),
            Eps = Number(c, "eps", 1f), Tau = Math.Max(temperature, 0.02f), Kappa = temperature / Number(c, "base_temperature", 1f),
            ClampLow = Number(c, "clamp_low", float.NegativeInfinity), ClampHigh = Number(c, "clamp_high", float.PositiveInfinity),
            Scale = mean ? 1f / (b * (lossMode >= GpuLossMode.InfoNce ? 1 : m + 1)) : 1f,
        };
    }

    internal static (float Loss, float[] Grad, float LogZGrad) RunKernel(BatchLossParams p, float[] features, int[] columns, int[] rows, float logZValue = 0f)
    {
        var acc = CpuAccelerator.Instance.Accelerator;
        using var table = acc.Allocate1D(features);
        using var rowBuf = acc.Allocate1D(rows);
        using var colBuf = acc.Allocate1D(columns.Length == 0 ? [0] : columns);
        using var grad = acc.Allocate1D<float>(features.Length);
        using var loss = acc.Allocate1D<float>(1);
        using var logZ = acc.Allocate1D([logZValue, 0f]);
        grad.MemSetToZero(); loss.MemSetToZero();
        CpuAccelerator.Kernels.BatchLoss(p, table.View, rowBuf.View, colBuf.View, grad.View, loss.View, logZ.View);
        acc.Synchronize();
        return (loss.GetAsArray1D()[0], grad.GetAsArray1D(), logZ.GetAsArray1D()[1]);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesGoldenLossAndGradient(string name)
    {
        var c = Case(name);
        var p = Params(c);
        float[] features = c.GetProperty("features").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => (float)v.GetDouble()).ToArray();
        int[] columns = c.GetProperty("neighbor_indices").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetInt32()).ToArray();
        int[] identity = Enumerable.Range(0, 2 * p.Batch).ToArray();

        var (loss, grad, logZGrad) = RunKernel(p, features, columns, identity, Number(c, "log_Z", 0f));

        double expectedLoss = c.GetProperty("loss").GetDouble();
        Assert.True(Math.Abs(loss - expectedLoss) <= 1e-4 * Math.Abs(expectedLoss) + 1e-5, $"loss: expected {expectedLoss}, got {loss}");
        double[] expectedGrad = c.GetProperty("grad_features").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetDouble()).ToArray();
        double scale = expectedGrad.Max(Math.Abs);
        CpuAccelerator.AssertClose(expectedGrad, grad, 2e-4, 1e-5 * scale + 1e-7, "grad");
        if (c.GetProperty("grad_log_Z").ValueKind == JsonValueKind.Number)
        {
            double g = c.GetProperty("grad_log_Z").GetDouble();
            Assert.True(Math.Abs(logZGrad - g) <= 1e-4 * Math.Abs(g) + 1e-5, $"dlogZ: expected {g}, got {logZGrad}");
        }
    }

    [Theory]
    [InlineData("neg-euclidean-b5-d3-m8-full")]
    [InlineData("infonce-cosine-b5-d3-m8-full")]
    public void FullBatchSourceEqualsTheExplicitFullBatchColumns(string name)
    {
        var c = Case(name);
        var p = Params(c);
        float[] features = c.GetProperty("features").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => (float)v.GetDouble()).ToArray();
        int[] columns = c.GetProperty("neighbor_indices").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetInt32()).ToArray();
        int[] identity = Enumerable.Range(0, 2 * p.Batch).ToArray();
        var explicitRun = RunKernel(p, features, columns, identity);
        p.Source = (int)GpuNegativeSource.FullBatch;
        var implicitRun = RunKernel(p, features, [], identity);
        Assert.Equal(explicitRun.Loss, implicitRun.Loss, 1e-5 * Math.Abs(explicitRun.Loss));
        CpuAccelerator.AssertClose(explicitRun.Grad.Select(v => (double)v).ToArray(), implicitRun.Grad, 1e-5, 1e-7, "grad");
    }

    [Fact]
    public void SampledNegativesAreReproducibleAndChangeWithTheBatchCounter()
    {
        var c = Case("infonce-euclidean-b6-d2-m5");
        var p = Params(c);
        p.Source = (int)GpuNegativeSource.Sampled;
        p.KeyLo = 7; p.KeyHi = 11; p.BatchCounter = 3;
        float[] features = c.GetProperty("features").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => (float)v.GetDouble()).ToArray();
        int[] identity = Enumerable.Range(0, 2 * p.Batch).ToArray();
        var first = RunKernel(p, features, [], identity);
        var again = RunKernel(p, features, [], identity);
        p.BatchCounter = 4;
        var other = RunKernel(p, features, [], identity);
        // Float atomics add in a scheduling-dependent order, so equal negatives give equal sums only to rounding.
        Assert.Equal(first.Loss, again.Loss, 4);
        Assert.True(Math.Abs(first.Loss - other.Loss) > 1e-3, "a new batch counter must draw new negatives");
        Assert.True(float.IsFinite(first.Loss) && first.Loss > 0);
    }

    [Fact]
    public void GradientsOfRepeatedDataPointsAddUpInTheirTableRow()
    {
        // Batch rows 0 and 2 are both table row 0: the table gradient must be the sum of both batch rows' gradients.
        var c = Case("neg-euclidean-b6-d2-m5");
        var p = Params(c);
        float[] features = c.GetProperty("features").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => (float)v.GetDouble()).ToArray();
        int[] columns = c.GetProperty("neighbor_indices").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetInt32()).ToArray();
        features[4] = features[0]; features[5] = features[1];
        int[] identity = Enumerable.Range(0, 2 * p.Batch).ToArray();
        var separate = RunKernel(p, features, columns, identity);
        int[] merged = (int[])identity.Clone();
        merged[2] = 0;
        var shared = RunKernel(p, features, columns, merged);
        Assert.Equal(separate.Loss, shared.Loss, 4);
        Assert.Equal(separate.Grad[0] + separate.Grad[4], shared.Grad[0], 4);
        Assert.Equal(separate.Grad[1] + separate.Grad[5], shared.Grad[1], 4);
        Assert.Equal(0f, shared.Grad[4]);
    }

    [Fact]
    public void SampledColumnsAreThePartnerThenUniformOverTheOtherRows()
    {
        var p = new BatchLossParams { Batch = 4, Negatives = 6000, Source = (int)GpuNegativeSource.Sampled, KeyLo = 1, KeyHi = 2, BatchCounter = 9 };
        for (int i = 0; i < p.Batch; i++)
        {
            Assert.Equal(i + p.Batch, BatchLossKernel.Column(p, default, i, 0));
            var counts = new int[2 * p.Batch];
            for (int k = 1; k <= p.Negatives; k++) counts[BatchLossKernel.Column(p, default, i, k)]++;
            Assert.Equal(0, counts[i]);
            // 6000 draws over 7 rows: expected 857 each, σ ≈ 27; allow 6σ.
            for (int r = 0; r < counts.Length; r++) if (r != i) Assert.InRange(counts[r], 857 - 160, 857 + 160);
        }
    }
}
