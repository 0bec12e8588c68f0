using System.Globalization;
using ContrastiveNE.Augmentations;
using ContrastiveNE.Losses;

namespace ContrastiveNE.Examples.SimClr;

/// <summary>
/// Settings of the SimCLR example. The defaults are small enough for CI (2,000 training rows, one epoch); the
/// <c>simclr</c> benchmark uses the same recipe on all 60,000 training rows.
/// </summary>
public sealed record SimClrSettings
{
    /// <summary>Folder holding the Fashion-MNIST files; null searches as <see cref="FashionMnist.Locate"/> does.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Training rows: the first n rows of the file, ≥ 11 (default 2,000).</summary>
    public int TrainRows { get; init; } = 2_000;

    /// <summary>Held-out rows, taken from the end of the file and classified by their 10 nearest training rows, ≥ 1 (default 1,000).</summary>
    public int TestRows { get; init; } = 1_000;

    /// <summary>Epochs of SimCLR training, ≥ 0 (default 1).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Pairs per batch, ≥ 2; every other view of the batch is a negative (default 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>
    /// Channels of the encoder's convolution blocks (default 16, 32, 64: half the widths of
    /// <see cref="Models.ConvEncoder.DefaultChannels"/>, about 4× fewer FLOPs, so that 2 cores train several epochs of
    /// 60,000 images within the benchmark's 15 minutes).
    /// </summary>
    public IReadOnlyList<int> Channels { get; init; } = [16, 32, 64];

    /// <summary>
    /// Convolution stages (conv → batch norm → ReLU) of each block, each ≥ 1: one entry per block, or a single entry
    /// for every block (default 2). Two stages per block cost about 2.5× the time of one per epoch, but on 20,000
    /// training rows at equal epochs they doubled the 10-NN gain over the untrained encoder of the same shape
    /// (0.080 vs 0.048; 1, 1, 2 stages gave 0.064), and on all 60,000 rows 14 epochs of them gain more (0.102) than
    /// 32 epochs of one stage (0.066) in less time, mostly because the untrained deeper encoder is weaker.
    /// </summary>
    public IReadOnlyList<int> ConvolutionsPerBlock { get; init; } = [2];

    /// <summary>Width of the projection head's output (default 128).</summary>
    public int ProjectionDimension { get; init; } = 128;

    /// <summary>The loss: <see cref="LossMode.InfoNce"/> (default) or <see cref="LossMode.InfoNceAlt"/>.</summary>
    public LossMode Loss { get; init; } = LossMode.InfoNce;

    /// <summary>
    /// Temperature τ of the cosine similarity, &gt; 0 (default 0.2); the starting value when learnable. τ = 0.2 rather
    /// than SimCLR's 0.5 for CIFAR: on Fashion-MNIST subsamples at equal compute it gave the clearly larger 10-NN gain
    /// over the untrained encoder (0.044 vs 0.029 on 10,000 rows, 8 epochs), more than τ = 0.1, larger or smaller
    /// batches, other crop ranges, translation, stronger jitter or a 2 × 2 representation grid.
    /// </summary>
    public double Temperature { get; init; } = 0.2;

    /// <summary>Whether τ is learned (default false).</summary>
    public bool LearnableTemperature { get; init; }

    /// <summary>Adam's peak learning rate, &gt; 0, decayed over the epochs by a cosine schedule (default 0.003).</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Smallest area fraction of the random resized crop, in (0, 1] (default 0.2).</summary>
    public double CropScaleMin { get; init; } = 0.2;

    /// <summary>Largest area fraction of the random resized crop, in [<see cref="CropScaleMin"/>, 1] (default 1).</summary>
    public double CropScaleMax { get; init; } = 1.0;

    /// <summary>Strength of the brightness and contrast jitter (applied with probability 0.8), in [0, 1) (default 0.4; 0 turns it off).</summary>
    public double Jitter { get; init; } = 0.4;

    /// <summary>Largest shift in pixels of a random translation after the crop, ≥ 0 (default 0: none).</summary>
    public int Translation { get; init; }

    /// <summary>Standard deviation of Gaussian pixel noise added last, ≥ 0 (default 0: none).</summary>
    public double Noise { get; init; }

    /// <summary>
    /// Side of the grid the encoder's last feature map is average-pooled to for the representation, ≥ 1 (default 1:
    /// global average pooling); see <see cref="Models.ConvEncoder.Create"/>.
    /// </summary>
    public int RepresentationGrid { get; init; } = 1;

    /// <summary>Epochs of the non-parametric 2-D map of the representation; 0 skips the map (default 100).</summary>
    public int MapEpochs { get; init; } = 100;

    /// <summary>Where the 2-D map is written as .npy; null writes nothing (default <c>simclr-embedding.npy</c>).</summary>
    public string? Output { get; init; } = "simclr-embedding.npy";

    /// <summary>Seed of the initialisation, the augmentations, the negatives and the map (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Threads (≤ 0: every processor); results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (TrainRows < 11) throw new ArgumentOutOfRangeException(nameof(TrainRows), TrainRows, "TrainRows (--n) must be ≥ 11, so that 10 neighbours can vote.");
        if (TestRows < 1) throw new ArgumentOutOfRangeException(nameof(TestRows), TestRows, "TestRows (--test) must be ≥ 1.");
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs (--epochs) must be ≥ 0.");
        if (BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize (--batch-size) must be ≥ 2.");
        ArgumentNullException.ThrowIfNull(Channels, nameof(Channels));
        if (Channels.Count == 0 || Channels.Any(c => c < 1))
            throw new ArgumentOutOfRangeException(nameof(Channels), string.Join(",", Channels), "Channels (--channels) must list one or more widths ≥ 1.");
        ArgumentNullException.ThrowIfNull(ConvolutionsPerBlock, nameof(ConvolutionsPerBlock));
        if (ConvolutionsPerBlock.Count is 0 || (ConvolutionsPerBlock.Count != 1 && ConvolutionsPerBlock.Count != Channels.Count) || ConvolutionsPerBlock.Any(c => c < 1))
            throw new ArgumentOutOfRangeException(nameof(ConvolutionsPerBlock), string.Join(",", ConvolutionsPerBlock),
                $"ConvolutionsPerBlock (--depth) must give one count ≥ 1 for every block, or one per block ({Channels.Count} blocks).");
        if (ProjectionDimension < 1) throw new ArgumentOutOfRangeException(nameof(ProjectionDimension), ProjectionDimension, "ProjectionDimension (--projection) must be ≥ 1.");
        if (Loss is not (LossMode.InfoNce or LossMode.InfoNceAlt))
            throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "SimCLR needs the infonce or infonce_alt loss (--loss).");
        if (!(Temperature > 0 && double.IsFinite(Temperature))) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature (--temperature) must be finite and > 0.");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate (--lr) must be finite and > 0.");
        if (!(CropScaleMin > 0 && CropScaleMin <= 1)) throw new ArgumentOutOfRangeException(nameof(CropScaleMin), CropScaleMin, "CropScaleMin (--crop-min) must lie in (0, 1].");
        if (!(CropScaleMax >= CropScaleMin && CropScaleMax <= 1)) throw new ArgumentOutOfRangeException(nameof(CropScaleMax), CropScaleMax, "CropScaleMax (--crop-max) must lie in [CropScaleMin, 1].");
        if (!(Jitter >= 0 && Jitter < 1)) throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "Jitter (--jitter) must lie in [0, 1).");
        if (Translation < 0) throw new ArgumentOutOfRangeException(nameof(Translation), Translation, "Translation (--translate) must be ≥ 0.");
        if (!(Noise >= 0 && double.IsFinite(Noise))) throw new ArgumentOutOfRangeException(nameof(Noise), Noise, "Noise (--noise) must be finite and ≥ 0.");
        if (RepresentationGrid < 1) throw new ArgumentOutOfRangeException(nameof(RepresentationGrid), RepresentationGrid, "RepresentationGrid (--grid) must be ≥ 1.");
        if (MapEpochs < 0) throw new ArgumentOutOfRangeException(nameof(MapEpochs), MapEpochs, "MapEpochs (--map-epochs) must be ≥ 0.");
    }

    /// <summary>
    /// Parses <c>--data DIR --n N --test N --epochs E --batch-size B --channels 32,64,128 --depth 2 --projection P
    /// --loss infonce|infonce_alt --temperature T --learnable-temperature true|false --lr LR --crop-min S
    /// --crop-max S --jitter J --translate PX --noise SD --grid G --map-epochs E --out PATH|none --seed S --threads T</c> over the defaults.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown option, a missing value or a value that does not parse (the message names the option).</exception>
    public static SimClrSettings Parse(ReadOnlySpan<string> args)
    {
        var s = new SimClrSettings();
        for (int i = 0; i < args.Length; i++)
        {
            string key = args[i];
            if (!key.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Expected an option such as --n, got '{key}'.", nameof(args));
            if (i + 1 >= args.Length) throw new ArgumentException($"Option {key} needs a value.", nameof(args));
            string value = args[++i];
            s = key switch
            {
                "--data" => s with { DataDirectory = value },
                "--n" => s with { TrainRows = Int(key, value) },
                "--test" => s with { TestRows = Int(key, value) },
                "--epochs" => s with { Epochs = Int(key, value) },
                "--batch-size" => s with { BatchSize = Int(key, value) },
                "--channels" => s with { Channels = [.. value.Split(',').Select(v => Int(key, v))] },
                "--depth" => s with { ConvolutionsPerBlock = [.. value.Split(',').Select(v => Int(key, v))] },
                "--projection" => s with { ProjectionDimension = Int(key, value) },
                "--loss" => s with { Loss = value switch
                {
                    "infonce" => LossMode.InfoNce,
                    "infonce_alt" => LossMode.InfoNceAlt,
                    _ => throw new ArgumentException($"--loss: '{value}' is not infonce or infonce_alt.", nameof(args)),
                } },
                "--temperature" => s with { Temperature = Number(key, value) },
                "--learnable-temperature" => s with { LearnableTemperature = bool.TryParse(value, out bool b) ? b : throw new ArgumentException($"--learnable-temperature: '{value}' is not true or false.", nameof(args)) },
                "--lr" => s with { LearningRate = Number(key, value) },
                "--crop-min" => s with { CropScaleMin = Number(key, value) },
                "--crop-max" => s with { CropScaleMax = Number(key, value) },
                "--jitter" => s with { Jitter = Number(key, value) },
                "--translate" => s with { Translation = Int(key, value) },
                "--noise" => s with { Noise = Number(key, value) },
                "--grid" => s with { RepresentationGrid = Int(key, value) },
                "--map-epochs" => s with { MapEpochs = Int(key, value) },
                "--out" => s with { Output = value == "none" ? null : value },
                "--seed" => s with { Seed = Int(key, value) },
                "--threads" => s with { Threads = Int(key, value) },
                _ => throw new ArgumentException($"Unknown option '{key}'.", nameof(args)),
            };
        }
        s.Validate();
        return s;
    }

    /// <summary>The stages of every block, <see cref="ConvolutionsPerBlock"/> repeated when it holds one count.</summary>
    public int[] StagesPerBlock() =>
        ConvolutionsPerBlock.Count == 1 && Channels.Count != 1 ? [.. Enumerable.Repeat(ConvolutionsPerBlock[0], Channels.Count)] : [.. ConvolutionsPerBlock];

    /// <summary>The encoder these settings describe, untrained.</summary>
    public Models.ConvEncoder CreateEncoder() =>
        Models.ConvEncoder.Create(FashionMnist.Shape, Channels, ProjectionDimension, (ulong)Seed, Threads, RepresentationGrid, StagesPerBlock());

    /// <summary>
    /// The augmentation of each view: random resized crop (<see cref="CropScaleMin"/> … <see cref="CropScaleMax"/>),
    /// horizontal flip, then the optional translation, brightness/contrast jitter (probability 0.8) and noise.
    /// </summary>
    public AugmentationPipeline Augmentation()
    {
        var steps = new List<IImageAugmentation> { new RandomResizedCrop(CropScaleMin, CropScaleMax), new HorizontalFlip() };
        if (Translation > 0) steps.Add(new RandomTranslation(Translation));
        if (Jitter > 0) steps.Add(new RandomApply(new BrightnessContrastJitter(Jitter, Jitter), 0.8));
        if (Noise > 0) steps.Add(new GaussianNoise(Noise));
        return new AugmentationPipeline([.. steps]);
    }

    private static int Int(string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"{key}: '{value}' is not an integer.", nameof(value));

    private static double Number(string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new ArgumentException($"{key}: '{value}' is not a number.", nameof(value));
}
