using System.Diagnostics;
using System.Globalization;
using ContrastiveNE.Augmentations;
using ContrastiveNE.Data;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Metrics;
using ContrastiveNE.Models;
using ContrastiveNE.Optimization;
using ContrastiveNE.Training;

namespace ContrastiveNE.Examples.SimClr;

/// <summary>
/// SimCLR on Fashion-MNIST (Chen et al., 2020) with the library's general trainer: a small convolutional encoder
/// with a projection head learns from pairs of random augmentations of the same image (cosine similarity,
/// InfoNCE over the other views of the batch). The learned representation, the backbone's output before the head,
/// is judged by 10-NN accuracy on held-out rows next to the untrained encoder and raw pixels, and mapped to 2-D with
/// the non-parametric mode.
/// </summary>
public static class SimClrExample
{
    private const int Neighbours = 10;

    /// <summary>Runs the example.</summary>
    /// <param name="settings">What to run (validated here).</param>
    /// <param name="log">Receives progress and results as text; null is silent.</param>
    /// <param name="data">Already loaded data; null loads it from <see cref="SimClrSettings.DataDirectory"/>.</param>
    /// <exception cref="ArgumentException">Invalid settings, or more training plus held-out rows than the data has.</exception>
    public static SimClrReport Run(SimClrSettings settings, TextWriter? log = null, FashionMnist? data = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        log ??= TextWriter.Null;
        data ??= FashionMnist.Load(settings.DataDirectory);
        int total = data.Images.Rows;
        if (settings.TrainRows + settings.TestRows > total)
            throw new ArgumentException($"{settings.TrainRows} training rows and {settings.TestRows} held-out rows exceed the {total} rows of the data.", nameof(settings));

        // Training rows from the front, held-out rows from the back: the file is shuffled, so both are fair samples.
        var train = data.Images.Slice(0, settings.TrainRows);
        var test = data.Images.Slice(total - settings.TestRows, settings.TestRows);
        int[] trainLabels = data.Labels[..settings.TrainRows], testLabels = data.Labels[^settings.TestRows..];
        int threads = settings.Threads;

        double pixels = HeldOutKnn.Accuracy(train, trainLabels, test, testLabels, Neighbours, threads);
        log.WriteLine(Invariant($"{Neighbours}-NN accuracy on {settings.TestRows} held-out rows, raw pixels:        {pixels:F4}"));

        var encoder = settings.CreateEncoder();
        double randomInit = Accuracy(encoder, train, trainLabels, test, testLabels, threads, out _);
        log.WriteLine(Invariant($"{Neighbours}-NN accuracy, randomly initialised encoder:               {randomInit:F4}"));

        var (losses, secondsPerEpoch, cpuSecondsPerEpoch, temperature) = Train(encoder, train, settings, log);

        double learned = Accuracy(encoder, train, trainLabels, test, testLabels, threads, out var representation);
        var (minVariance, meanVariance) = FeatureVariance(representation);
        log.WriteLine(Invariant($"{Neighbours}-NN accuracy, SimCLR representation ({encoder.RepresentationDimension}-d):            {learned:F4}"));
        log.WriteLine(Invariant($"per-dimension variance of the representation: min {minVariance:G4}, mean {meanVariance:G4}"));

        Matrix? map = null;
        double mapAccuracy = double.NaN;
        if (settings.MapEpochs > 0)
        {
            var cne = new Cne(new CneOptions { Epochs = settings.MapEpochs, Seed = settings.Seed, Threads = threads });
            map = cne.Fit(representation).Embedding;
            mapAccuracy = KnnClassification.LeaveOneOutAccuracy(map, trainLabels, Neighbours, seed: settings.Seed, threads: threads);
            log.WriteLine(Invariant($"2-D map of the representation: leave-one-out {Neighbours}-NN accuracy {mapAccuracy:F4}"));
            if (settings.Output is { } path)
            {
                NpyFile.Write(path, map);
                log.WriteLine($"wrote the {map.Rows} × {map.Columns} map to {path}");
            }
        }
        return new SimClrReport(losses, secondsPerEpoch, cpuSecondsPerEpoch, learned, randomInit, pixels, minVariance, meanVariance, temperature, representation, map, mapAccuracy);
    }

    /// <summary>
    /// The trainer options of the recipe: cosine similarity at temperature τ, InfoNCE with every other view of the
    /// batch as a negative, averaged over the batch; Adam with a cosine learning-rate schedule.
    /// </summary>
    public static CneOptions TrainerOptions(SimClrSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new CneOptions
        {
            Loss = settings.Loss,
            Metric = SimilarityMetric.Cosine,
            Temperature = settings.Temperature,
            LearnableTemperature = settings.LearnableTemperature,
            NegativeSamples = -1,
            // The mean over the batch (as PyTorch's cross-entropy) keeps gradients O(1), so the ±4 clip never bites.
            Aggregation = LossAggregation.Mean,
            Optimizer = OptimizerKind.Adam,
            LearningRate = settings.LearningRate,
            Schedule = LearningRateSchedule.Cosine,
            Parametric = true,
            Epochs = settings.Epochs,
            Seed = settings.Seed,
            Threads = settings.Threads,
        };
    }

    private static (double[] Losses, double SecondsPerEpoch, double CpuSecondsPerEpoch, double Temperature) Train(ConvEncoder encoder, Matrix train, SimClrSettings settings, TextWriter log)
    {
        var source = new AugmentationPairSource(train, FashionMnist.Shape, settings.Augmentation(),
            settings.BatchSize, (ulong)settings.Seed + 1, settings.Threads);
        var trainer = new ContrastiveTrainer(new InputRowsModel(encoder.Network), source, TrainerOptions(settings));
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var losses = new double[settings.Epochs];
        trainer.Optimize(settings.Epochs, 1.0, epochCompleted: epoch =>
        {
            losses[epoch] = trainer.BatchLosses[epoch].Average();
            log.WriteLine(Invariant($"epoch {epoch + 1}/{settings.Epochs}: mean loss {losses[epoch]:F4}, τ {trainer.Temperature:F4}, {watch.Elapsed.TotalSeconds:F1} s, {(process.TotalProcessorTime - cpuBefore).TotalSeconds:F1} CPU s"));
        });
        double seconds = settings.Epochs == 0 ? 0 : watch.Elapsed.TotalSeconds / settings.Epochs;
        process.Refresh();
        double cpu = settings.Epochs == 0 ? 0 : (process.TotalProcessorTime - cpuBefore).TotalSeconds / settings.Epochs;
        return (losses, seconds, cpu, trainer.Temperature);
    }

    /// <summary>
    /// 10-NN accuracy in the encoder's representation; rows are scaled to unit length first, so neighbours are by
    /// cosine similarity, the geometry the contrastive loss shapes.
    /// </summary>
    private static double Accuracy(ConvEncoder encoder, Matrix train, int[] trainLabels, Matrix test, int[] testLabels, int threads, out Matrix representation)
    {
        representation = Represent(encoder, train);
        var testRepresentation = Represent(encoder, test);
        return HeldOutKnn.Accuracy(UnitRows(representation), trainLabels, UnitRows(testRepresentation), testLabels, Neighbours, threads);
    }

    /// <summary>The backbone's output (inference mode) for every row of <paramref name="images"/>.</summary>
    public static Matrix Represent(ConvEncoder encoder, Matrix images)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(images);
        var result = new Matrix(images.Rows, encoder.RepresentationDimension);
        encoder.Encode(images.Data, images.Rows, result.Data);
        return result;
    }

    private static Matrix UnitRows(Matrix m)
    {
        var result = m.Clone();
        for (int i = 0; i < result.Rows; i++)
        {
            var row = result.Row(i);
            double square = 0;
            foreach (float v in row) square += (double)v * v;
            // An all-zero row (every ReLU off) stays zero rather than becoming NaN.
            if (square > 0)
            {
                float scale = (float)(1 / Math.Sqrt(square));
                for (int j = 0; j < row.Length; j++) row[j] *= scale;
            }
        }
        return result;
    }

    /// <summary>Smallest and mean per-column variance of <paramref name="m"/> (population variance, in double).</summary>
    public static (double Min, double Mean) FeatureVariance(Matrix m)
    {
        ArgumentNullException.ThrowIfNull(m);
        double min = double.PositiveInfinity, sum = 0;
        for (int j = 0; j < m.Columns; j++)
        {
            double mean = 0, square = 0;
            for (int i = 0; i < m.Rows; i++) mean += m[i, j];
            mean /= m.Rows;
            for (int i = 0; i < m.Rows; i++) { double d = m[i, j] - mean; square += d * d; }
            double variance = square / m.Rows;
            min = Math.Min(min, variance);
            sum += variance;
        }
        return (min, sum / m.Columns);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
