using ContrastiveNE.Data;
using ContrastiveNE.Examples.SimClr;
using ContrastiveNE.Losses;
using ContrastiveNE.Tests.Support;

namespace ContrastiveNE.Examples.Tests;

public class SimClrExampleTests(Xunit.Abstractions.ITestOutputHelper testOutput)
{
    [Fact]
    public void Example_OnASubsample_WritesAFiniteMap_AndLearnsAnUncollapsedRepresentation()
    {
        // Six epochs on 600 rows: the whole pipeline end to end, and enough training to beat the untrained encoder
        // clearly (measured: 10-NN accuracy 0.607 trained vs 0.487 untrained, loss 0.967 → 0.743; ~5 s per epoch).
        string output = Path.Combine(Path.GetTempPath(), $"simclr-example-{Guid.NewGuid():N}.npy");
        try
        {
            var settings = new SimClrSettings
            {
                TrainRows = 2000, TestRows = 500, Epochs = 6, BatchSize = 100, MapEpochs = 30, Output = output, Threads = 2,
            };
            var log = new StringWriter();
            var report = SimClrExample.Run(settings, log, Data.Value);

            Assert.Equal(6, report.EpochLosses.Length);
            Assert.True(report.EpochLosses[^1] < 0.85 * report.EpochLosses[0], $"loss {report.EpochLosses[0]} → {report.EpochLosses[^1]}");
            // The batch-mean InfoNCE loss lies between 0 and log(2b − 1) + 2/τ (every similarity in [−1, 1]).
            Assert.InRange(report.EpochLosses[0], 0.0, Math.Log(2 * 100 - 1) + 2 / settings.Temperature);
            Assert.True(report.SecondsPerEpoch > 0);
            foreach (double accuracy in new[] { report.KnnAccuracy, report.KnnAccuracyRandomInit, report.KnnAccuracyPixels })
                Assert.InRange(accuracy, 0.3, 1.0); // ten classes: chance is 0.1
            // Learning shows as a representation better than the untrained encoder's (repository subsample, 2,000 training rows:
            // trained 0.658, untrained 0.588, gain 0.070).
            Assert.True(report.KnnAccuracy >= 0.62, $"trained 10-NN accuracy {report.KnnAccuracy} (measured 0.658)");
            Assert.True(report.KnnAccuracy >= report.KnnAccuracyRandomInit + 0.04,
                $"trained {report.KnnAccuracy} vs untrained {report.KnnAccuracyRandomInit}: training did not improve the representation");
            Assert.InRange(report.KnnAccuracyPixels, 0.6, 1.0);

            Assert.Equal(2000, report.Representation.Rows);
            Assert.Equal(64, report.Representation.Columns);
            Assert.All(report.Representation.Data, v => Assert.True(float.IsFinite(v)));
            var (min, mean) = SimClrExample.FeatureVariance(report.Representation);
            Assert.Equal(report.MinFeatureVariance, min);
            Assert.Equal(report.MeanFeatureVariance, mean);
            // After 36 steps the batch norms' running statistics are still far from settled, so the absolute
            // scale of the representation says little; collapse shows in the scale-free spread of the unit-length rows
            // (1 − |their mean|², 0 when every row points the same way; 0.43 measured here).
            Assert.True(mean > 0, $"mean per-dimension variance {mean}: the representation is constant");
            double spread = UnitRowSpread(report.Representation);
            testOutput.WriteLine($"spread of the unit-length rows {spread:F3}");
            Assert.True(spread > 0.02, $"spread of the unit-length rows {spread}, mean variance {mean}: the representation collapsed");
            Assert.True(LiveDimensions(report.Representation) >= 32, "fewer than half of the dimensions vary");

            var map = NpyFile.ReadMatrix(output);
            Assert.Equal(2000, map.Rows);
            Assert.Equal(2, map.Columns);
            Assert.Equal(report.Map!.Data, map.Data);
            Assert.InRange(report.MapKnnAccuracy, 0.3, 1.0);
            Assert.Contains("SimCLR representation", log.ToString());
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void FeatureVariance_MatchesTheDefinition()
    {
        var m = new Matrix(4, 2, [1, 5, 2, 5, 3, 5, 4, 5]);
        var (min, mean) = SimClrExample.FeatureVariance(m);
        Assert.Equal(0, min);
        Assert.Equal(1.25 / 2, mean, 12);
    }

    [Fact]
    public void Settings_ParseTheCommandLine_AndNameBadOptions()
    {
        var s = SimClrSettings.Parse(["--n", "300", "--epochs", "3", "--loss", "infonce_alt", "--learnable-temperature", "true",
            "--channels", "8,16", "--out", "none", "--lr", "0.01", "--crop-max", "0.9", "--jitter", "0.2", "--translate", "2",
            "--noise", "0.05", "--grid", "2", "--depth", "2,1"]);
        Assert.Equal(300, s.TrainRows);
        Assert.Equal(3, s.Epochs);
        Assert.Equal(LossMode.InfoNceAlt, s.Loss);
        Assert.True(s.LearnableTemperature);
        Assert.Equal([8, 16], s.Channels);
        Assert.Equal([2, 1], s.StagesPerBlock());
        Assert.Equal([3, 3], (s with { ConvolutionsPerBlock = [3] }).StagesPerBlock());
        var encoder = s.CreateEncoder();
        Assert.Equal(3, encoder.Backbone.Layers.OfType<Models.Layers.Conv2d>().Count());
        Assert.Equal(16 * 4, encoder.RepresentationDimension);
        Assert.Null(s.Output);
        Assert.Equal(0.01, s.LearningRate);
        Assert.Equal(0.9, s.CropScaleMax);
        Assert.Equal(0.2, s.Jitter);
        Assert.Equal(2, s.Translation);
        Assert.Equal(0.05, s.Noise);
        Assert.Equal(2, s.RepresentationGrid);
        Assert.Equal(["RandomResizedCrop", "HorizontalFlip", "RandomTranslation", "RandomApply", "GaussianNoise"],
            s.Augmentation().Steps.Select(step => step.GetType().Name).ToArray());
        Assert.Equal(["RandomResizedCrop", "HorizontalFlip"],
            (s with { Translation = 0, Jitter = 0, Noise = 0 }).Augmentation().Steps.Select(step => step.GetType().Name).ToArray());

        Assert.Contains("--bogus", Assert.Throws<ArgumentException>(() => SimClrSettings.Parse(["--bogus", "1"])).Message);
        Assert.Contains("--n", Assert.Throws<ArgumentException>(() => SimClrSettings.Parse(["--n", "x"])).Message);
        Assert.Contains("--loss", Assert.Throws<ArgumentException>(() => SimClrSettings.Parse(["--loss", "nce"])).Message);
        Assert.Equal("TrainRows", Assert.ThrowsAny<ArgumentException>(() => SimClrSettings.Parse(["--n", "5"])).ParamName);
        Assert.Equal("CropScaleMin", Assert.ThrowsAny<ArgumentException>(() => SimClrSettings.Parse(["--crop-min", "0"])).ParamName);
        Assert.Equal("CropScaleMax", Assert.ThrowsAny<ArgumentException>(() => SimClrSettings.Parse(["--crop-min", "0.5", "--crop-max", "0.4"])).ParamName);
        Assert.Equal("Jitter", Assert.ThrowsAny<ArgumentException>(() => SimClrSettings.Parse(["--jitter", "1"])).ParamName);
        Assert.Equal("Translation", Assert.ThrowsAny<ArgumentException>(() => SimClrSettings.Parse(["--translate", "-1"])).ParamName);
        Assert.Equal("Noise", Assert.ThrowsAny<ArgumentException>(() => SimClrSettings.Parse(["--noise", "NaN"])).ParamName);
        Assert.Equal("ConvolutionsPerBlock", Assert.ThrowsAny<ArgumentException>(() => SimClrSettings.Parse(["--depth", "1,1"])).ParamName);
        Assert.Equal("ConvolutionsPerBlock", Assert.ThrowsAny<ArgumentException>(() => SimClrSettings.Parse(["--depth", "0"])).ParamName);
        Assert.Contains("--depth", Assert.Throws<ArgumentException>(() => SimClrSettings.Parse(["--depth", "2,x,1"])).Message);
        Assert.Equal("RepresentationGrid", Assert.ThrowsAny<ArgumentException>(() => SimClrSettings.Parse(["--grid", "0"])).ParamName);
        Assert.Equal("Loss", Assert.ThrowsAny<ArgumentException>(() => new SimClrSettings { Loss = LossMode.Nce }.Validate()).ParamName);
    }

    [Fact]
    public void MissingData_IsAClearError_NamingTheFile()
    {
        string empty = Path.Combine(Path.GetTempPath(), $"simclr-missing-{Guid.NewGuid():N}");
        Directory.CreateDirectory(empty);
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => SimClrExample.Run(new SimClrSettings { DataDirectory = empty }));
            Assert.Contains(FashionMnist.ImagesFile, e.Message);
            Assert.Contains("--data", e.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void TooManyRows_NameTheSettings()
    {
        var e = Assert.Throws<ArgumentException>(() => SimClrExample.Run(new SimClrSettings { TrainRows = 65_000, TestRows = 10_000 }, null, Data.Value));
        Assert.Equal("settings", e.ParamName);
    }

    private static readonly Lazy<FashionMnist> Data = new(() => FashionMnist.Load(TestFiles.FashionImages, TestFiles.FashionLabels));

    /// <summary>Total variance of the rows scaled to unit length: 1 − |mean unit row|², computed in double.</summary>
    private static double UnitRowSpread(Matrix m)
    {
        var mean = new double[m.Columns];
        for (int i = 0; i < m.Rows; i++)
        {
            double square = 0;
            for (int j = 0; j < m.Columns; j++) square += (double)m[i, j] * m[i, j];
            double scale = square > 0 ? 1 / Math.Sqrt(square) : 0;
            for (int j = 0; j < m.Columns; j++) mean[j] += m[i, j] * scale / m.Rows;
        }
        double norm = 0;
        foreach (double v in mean) norm += v * v;
        return 1 - norm;
    }

    private static int LiveDimensions(Matrix m)
    {
        int live = 0;
        for (int j = 0; j < m.Columns; j++)
        {
            var column = new Matrix(m.Rows, 1);
            for (int i = 0; i < m.Rows; i++) column[i, 0] = m[i, j];
            if (SimClrExample.FeatureVariance(column).Min > 1e-6) live++;
        }
        return live;
    }
}
