using System.Diagnostics;
using ContrastiveNE.Embedding;
using ContrastiveNE.Examples.SimClr;
using ContrastiveNE.Losses;
using ContrastiveNE.Models;
using ContrastiveNE.Models.Layers;
using ContrastiveNE.Training;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Where one SimCLR training step of the example's recipe spends its time: augmentation, each backbone layer's
/// forward and backward pass, the projection head, and the loss, summed over --batches batches (default 20, after 3
/// warm-up batches) of --batch-size pairs (default 256) from the first --n Fashion-MNIST rows (default 10,000).
/// Figures are milliseconds per batch; <c>total_ms</c> is their sum. The layers run one by one on the chain's own
/// buffers, as <see cref="Sequential"/> runs them (a rectifier after batch normalisation inside its pass, reported as 0),
/// so the sum matches a training step without the optimiser.
/// </summary>
public sealed class SimClrStepScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "simclr-step";

    /// <inheritdoc/>
    public string Description => "SimCLR training step broken down by layer (forward/backward), augmentation and loss, ms per batch";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var defaults = new SimClrSettings();
        var settings = new SimClrSettings
        {
            TrainRows = args.N ?? 10_000,
            BatchSize = args.GetInt("batch-size", 256),
            Channels = args.GetIntList("channels", defaults.Channels),
            ConvolutionsPerBlock = args.GetIntList("depth", defaults.ConvolutionsPerBlock),
            Threads = args.Threads,
            Seed = args.Seed,
        };
        settings.Validate();
        int batches = args.GetInt("batches", 20), warmup = 3;
        result.N = settings.TrainRows;
        string folder = Path.GetDirectoryName(BenchData.File(args, FashionMnist.ImagesFile))!;
        var data = result.Phase("load", () => FashionMnist.Load(folder));
        var train = data.Images.Slice(0, settings.TrainRows);
        var encoder = settings.CreateEncoder();
        var source = new AugmentationPairSource(train, FashionMnist.Shape, settings.Augmentation(), settings.BatchSize, (ulong)settings.Seed + 1, settings.Threads);
        var options = SimClrExample.TrainerOptions(settings);
        var loss = new BatchLoss(options.Loss, options.Metric, options.NegativeSamples, (float)options.Eps, (float)options.BaseTemperature,
            (float)options.EffectiveClampLow, (float)options.EffectiveClampHigh, options.Aggregation);

        var layers = encoder.Backbone.Layers;
        int count = layers.Count;
        var names = new string[count];
        for (int l = 0; l < count; l++) names[l] = $"{l:D2}_{layers[l].GetType().Name.ToLowerInvariant()}";
        var forward = new double[count];
        var backward = new double[count];
        double augment = 0, head = 0, headBackward = 0, lossTime = 0;
        int maxRows = 2 * source.MaxBatchSize;
        var activations = new float[count][];
        for (int l = 0; l < count; l++) activations[l] = new float[maxRows * layers[l].OutputDimension];
        var gradients = new float[count + 1][];
        for (int l = 0; l < count; l++) gradients[l] = new float[maxRows * layers[l].InputDimension];
        gradients[count] = new float[maxRows * encoder.RepresentationDimension];
        int d = encoder.ProjectionDimension;
        var features = new float[maxRows * d];
        var featureGradient = new float[maxRows * d];
        var batch = new PairBatch();
        var sw = new Stopwatch();

        double Time(Action action)
        {
            sw.Restart();
            action();
            return sw.Elapsed.TotalMilliseconds;
        }

        for (int t = 0; t < warmup + batches; t++)
        {
            bool counted = t >= warmup;
            int index = t % source.BatchesPerEpoch;
            double a = Time(() => source.Fill(0, index, batch));
            int rows = 2 * batch.Size;
            ReadOnlyMemory<float> current = batch.Inputs.AsMemory(0, rows * train.Columns);
            var f = new double[count];
            for (int l = 0; l < count; l++)
            {
                var layer = (ILayer)layers[l];
                var input = current;
                var output = activations[l].AsMemory(0, rows * layer.OutputDimension);
                if (layer is BatchNorm norm && layers[l + 1] is Relu relu)
                {
                    // As Sequential runs them: the rectifier inside the normalisation's pass (its own time stays 0).
                    f[l] = Time(() => norm.ForwardRetainedRelu(input, rows, output.Span));
                    relu.RetainOutput(output, rows);
                    activations[l + 1] = activations[l];
                    l++;
                }
                else f[l] = Time(() => layer.ForwardRetained(input, rows, output.Span));
                current = output;
            }
            double hf = Time(() => encoder.Head.ForwardRetained(current, rows, features.AsSpan(0, rows * d)));
            double ls = Time(() => loss.Compute(features, batch.Size, d, 1f, 0f, (float)settings.Temperature, 1, (ulong)t, featureGradient, settings.Threads));
            double hb = Time(() => encoder.Head.Backward(featureGradient.AsSpan(0, rows * d), gradients[count].AsSpan(0, rows * encoder.RepresentationDimension)));
            var bw = new double[count];
            for (int l = count - 1; l >= 0; l--)
            {
                var layer = layers[l];
                if (layer is Relu && layers[l - 1] is BatchNorm)
                {
                    // Back-propagated inside the normalisation's backward pass: hand its gradient down unchanged.
                    gradients[l] = gradients[l + 1];
                    continue;
                }
                var dy = gradients[l + 1].AsMemory(0, rows * layer.OutputDimension);
                var dx = l == 0 ? Memory<float>.Empty : gradients[l].AsMemory(0, rows * layer.InputDimension);
                bw[l] = Time(() => layer.Backward(dy.Span, dx.Span));
            }
            foreach (var p in encoder.Network.Parameters) Array.Clear(p.Gradient);
            if (!counted) continue;
            augment += a; head += hf; headBackward += hb; lossTime += ls;
            for (int l = 0; l < count; l++) { forward[l] += f[l]; backward[l] += bw[l]; }
        }

        double total = augment + head + headBackward + lossTime;
        result.Set("augment_ms", augment / batches);
        for (int l = 0; l < count; l++)
        {
            result.Set(names[l] + "_forward_ms", forward[l] / batches);
            result.Set(names[l] + "_backward_ms", backward[l] / batches);
            total += forward[l] + backward[l];
        }
        result.Set("head_forward_ms", head / batches);
        result.Set("loss_ms", lossTime / batches);
        result.Set("head_backward_ms", headBackward / batches);
        result.Set("total_ms", total / batches);
        result.Set("batches_per_epoch_60k", (60_000 + settings.BatchSize - 1) / settings.BatchSize);
    }
}
