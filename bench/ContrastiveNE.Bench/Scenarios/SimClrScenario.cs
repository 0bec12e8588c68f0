using System.Globalization;
using ContrastiveNE.Examples.SimClr;
using ContrastiveNE.Losses;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// SimCLR on Fashion-MNIST with the example's recipe (<see cref="SimClrExample"/>): trains the conv encoder for
/// --epochs (default <see cref="DefaultEpochs"/>) on the first --n rows (default 60,000) and classifies the last --test rows (default 10,000)
/// by their 10 nearest training rows in the backbone's representation, next to the untrained encoder (same seed)
/// and raw pixels. Options of the recipe: --batch-size, --lr, --loss, --temperature, --crop-min, --crop-max, --jitter,
/// --translate, --noise, --grid, --channels, --depth.
/// The targets: <c>knn_accuracy</c> − <c>knn_accuracy_random_init</c> ≥ 0.08 within 15 minutes, falling
/// <c>epoch_losses</c>, and <c>min_feature_variance</c> well above zero.
/// </summary>
public sealed class SimClrScenario : IScenario
{
    /// <summary>
    /// Default epochs: 14 × ~44 s per epoch (two convolutions per block) on this machine's 2 cores plus ~30 s of
    /// encoding and k-NN kept a run at 10.7 minutes, inside the 15 with room for a slower machine.
    /// </summary>
    public const int DefaultEpochs = 14;

    /// <inheritdoc/>
    public string Name => "simclr";

    /// <inheritdoc/>
    public string Description => "SimCLR conv encoder on Fashion-MNIST: seconds per epoch and held-out 10-NN accuracy vs random init and pixels";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var defaults = new SimClrSettings();
        var settings = new SimClrSettings
        {
            TrainRows = args.N ?? 60_000,
            TestRows = args.GetInt("test", 10_000),
            Epochs = args.Epochs ?? DefaultEpochs,
            BatchSize = args.GetInt("batch-size", defaults.BatchSize),
            LearningRate = args.GetDouble("lr", defaults.LearningRate),
            Temperature = args.GetDouble("temperature", defaults.Temperature),
            LearnableTemperature = args.GetInt("learnable-temperature", 0) != 0,
            CropScaleMin = args.GetDouble("crop-min", defaults.CropScaleMin),
            CropScaleMax = args.GetDouble("crop-max", defaults.CropScaleMax),
            Jitter = args.GetDouble("jitter", defaults.Jitter),
            Translation = args.GetInt("translate", defaults.Translation),
            Noise = args.GetDouble("noise", defaults.Noise),
            RepresentationGrid = args.GetInt("grid", defaults.RepresentationGrid),
            Loss = args.Extra.TryGetValue("loss", out var loss) && loss == "infonce_alt" ? LossMode.InfoNceAlt : LossMode.InfoNce,
            Channels = args.GetIntList("channels", defaults.Channels),
            ConvolutionsPerBlock = args.GetIntList("depth", defaults.ConvolutionsPerBlock),
            MapEpochs = 0,
            Output = null,
            Seed = args.Seed,
            Threads = args.Threads,
        };
        result.N = settings.TrainRows;
        string folder = Path.GetDirectoryName(BenchData.File(args, FashionMnist.ImagesFile))!;
        var data = result.Phase("load", () => FashionMnist.Load(folder));
        var report = result.Phase("run", () => SimClrExample.Run(settings, Console.Error, data));
        result.AddPhase("train", report.SecondsPerEpoch * settings.Epochs);

        result.Set("epochs", settings.Epochs);
        result.Set("test_rows", settings.TestRows);
        result.Set("batch_size", settings.BatchSize);
        result.Set("learning_rate", settings.LearningRate);
        result.Set("channels", string.Join(",", settings.Channels));
        result.Set("convolutions_per_block", string.Join(",", settings.StagesPerBlock()));
        result.Set("temperature_start", settings.Temperature);
        result.Set("crop_scale", $"{settings.CropScaleMin.ToString(CultureInfo.InvariantCulture)}-{settings.CropScaleMax.ToString(CultureInfo.InvariantCulture)}");
        result.Set("jitter", settings.Jitter);
        result.Set("translation", settings.Translation);
        result.Set("noise", settings.Noise);
        result.Set("representation_grid", settings.RepresentationGrid);
        result.Set("representation_dimension", report.Representation.Columns);
        result.Set("seconds_per_epoch", report.SecondsPerEpoch);
        result.Set("cpu_seconds_per_epoch", report.CpuSecondsPerEpoch);
        result.Set("knn_accuracy", report.KnnAccuracy);
        result.Set("knn_accuracy_random_init", report.KnnAccuracyRandomInit);
        result.Set("knn_accuracy_pixels", report.KnnAccuracyPixels);
        result.Set("gain_over_random_init", report.KnnAccuracy - report.KnnAccuracyRandomInit);
        result.Set("epoch_losses", string.Join(",", report.EpochLosses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture))));
        if (report.EpochLosses.Length > 0)
        {
            result.Set("loss_first_epoch", report.EpochLosses[0]);
            result.Set("loss_last_epoch", report.EpochLosses[^1]);
        }
        result.Set("min_feature_variance", report.MinFeatureVariance);
        result.Set("mean_feature_variance", report.MeanFeatureVariance);
        result.Set("temperature", report.Temperature);
    }
}
