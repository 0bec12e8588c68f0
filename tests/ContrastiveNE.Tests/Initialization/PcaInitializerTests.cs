using ContrastiveNE.Data;
using ContrastiveNE.Initialization;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Tests.Initialization;

public sealed class PcaInitializerTests
{
    [Fact]
    public void First_column_has_unit_population_std_and_the_projection_is_kept()
    {
        var data = PcaTests.Planted(300, [5, 2, 0.5, 0.1], seed: 6);
        var init = PcaInitializer.Initialize(data, 2, threads: 1);
        Assert.Equal((300, 2), (init.Rows, init.Columns));
        var column0 = Enumerable.Range(0, 300).Select(i => (double)init[i, 0]).ToArray();
        double mean = column0.Average();
        Assert.Equal(0, mean, 1e-6);
        Assert.Equal(1.0, Math.Sqrt(column0.Sum(x => (x - mean) * (x - mean)) / 300), 1e-6);

        // The same as projecting by hand and dividing by that std.
        var pca = Pca.Fit(data, 2, threads: 1);
        var projection = pca.Transform(data, threads: 1);
        double m0 = Enumerable.Range(0, 300).Average(i => (double)projection[i, 0]);
        double std = Math.Sqrt(Enumerable.Range(0, 300).Sum(i => Math.Pow(projection[i, 0] - m0, 2)) / 300);
        for (int i = 0; i < 300; i++)
            for (int k = 0; k < 2; k++) Assert.Equal(projection[i, k] / std, init[i, k], 1e-5);
        // The second column keeps its ratio of spreads (about 2 / 5).
        double std1 = Math.Sqrt(Enumerable.Range(0, 300).Sum(i => Math.Pow(init[i, 1], 2)) / 300);
        Assert.InRange(std1, 0.3, 0.5);
    }

    [Fact]
    public void Digits_initialisation_is_thread_independent_and_sign_stable()
    {
        var digits = NpyFile.ReadMatrix(TestFiles.DigitsImages);
        var one = PcaInitializer.Initialize(digits, 2, threads: 1);
        var two = PcaInitializer.Initialize(digits, 2, threads: 2);
        Assert.Equal(one.Data, two.Data);
        // Scaling the data does not change the initialisation (only its first-column std is normalised away).
        var scaled = digits.Clone();
        for (int i = 0; i < scaled.Data.Length; i++) scaled.Data[i] = scaled.Data[i] * 4 - 7;
        var fromScaled = PcaInitializer.Initialize(scaled, 2, threads: 2);
        for (int i = 0; i < one.Data.Length; i++) Assert.Equal(one.Data[i], fromScaled.Data[i], 1e-4);
    }

    [Fact]
    public void Invalid_arguments_name_the_parameter()
    {
        var data = PcaTests.Planted(10, [1, 1, 1], seed: 7);
        Assert.Equal("dimensions", Assert.Throws<ArgumentOutOfRangeException>(() => PcaInitializer.Initialize(data, 0)).ParamName);
        Assert.Equal("dimensions", Assert.Throws<ArgumentOutOfRangeException>(() => PcaInitializer.Initialize(data, 4)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => PcaInitializer.Initialize(new Matrix(1, 3), 2)).ParamName);
        var constant = new Matrix(5, 3);
        constant.Data.AsSpan().Fill(2.5f);
        var e = Assert.Throws<ArgumentException>(() => PcaInitializer.Initialize(constant, 2));
        Assert.Equal("data", e.ParamName);
        Assert.Contains("no variance", e.Message);
    }
}
