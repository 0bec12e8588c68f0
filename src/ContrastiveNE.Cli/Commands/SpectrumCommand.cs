using System.CommandLine;
using System.Globalization;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Plotting;
using ContrastiveNE.Embedding;
using ContrastiveNE.Losses;
using ContrastiveNE.Neighbors;

namespace ContrastiveNE.Cli.Commands;

/// <summary>
/// <c>cne spectrum INPUT --s 0,0.5,1 --plot PNG</c>: embeddings along the attraction–repulsion spectrum, side by
/// side with one legend. The kNN graph and the initialisation are computed once and shared by every panel, so the
/// panels differ only in s.
/// </summary>
internal static class SpectrumCommand
{
    private static readonly IReadOnlyDictionary<string, LossMode> SpectrumLosses = new Dictionary<string, LossMode>
    {
        ["neg"] = LossMode.Neg,
        ["infonce"] = LossMode.InfoNce,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var input = CliOptions.InputArgument("INPUT", "Data matrix, one point per row", DataFiles.MatrixInputExtensions);
        var s = CliOptions.DoubleList("--s", [0, 0.5, 1], "Spectrum positions, comma-separated: 0 t-SNE-like … 1 UMAP-like.");
        var loss = new ChoiceOption<LossMode>("--loss", "neg", "Loss whose spectrum is walked: neg (negative sampling) or infonce.", SpectrumLosses);
        var plot = CliOptions.OutputFile("--plot", "The figure: one panel per s, one shared legend", ".png");
        plot.Required = true;
        var outputDir = new Option<string?>("--output-dir") { Description = "Also write each embedding as spectrum-s<VALUE>.csv into this directory.", HelpName = "DIR" };
        var embed = new EmbedOptions(withParametric: false, withLossAndS: false, withPreset: false);
        var presets = new Option<string>("--preset")
        {
            Description = "Instead of an s walk, one panel per preset, comma-separated (e.g. reference,umap,tsne), each as cne embed --preset runs it: "
                + EmbedOptions.PresetSummary() + ".",
            HelpName = string.Join("|", EmbedOptions.Presets.Keys) + ",…",
        };
        var labels = new LabelOptions(withColumn: true, withNames: true);
        var dataInput = new DataInputOptions();
        var quiet = CliOptions.Quiet();
        var command = new Command("spectrum", "Embed INPUT at several points of the attraction–repulsion spectrum and draw them side by side.") { input, s, loss.Option, plot, outputDir };
        embed.AddTo(command);
        labels.AddTo(command);
        dataInput.AddTo(command);
        command.Options.Add(presets);
        command.Options.Add(quiet);
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            if (parsed.GetValue(presets) is { } presetList)
                return RunPresets(context, parsed, ParsePresets(presetList), embed, labels, input, plot, outputDir, quiet,
                    EmbedOptions.Given(parsed, s), EmbedOptions.Given(parsed, loss.Option) ? loss.Get(parsed) : null);
            var baseOptions = embed.Build(parsed) with { Loss = loss.Get(parsed) };
            var values = parsed.GetValue(s)!;
            var progress = context.CreateProgress(parsed.GetValue(quiet));
            string inputPath = parsed.GetValue(input)!;
            var read = progress.Time("read", () => DataFiles.Read(inputPath, dataInput.Selection(parsed, labels.Column(parsed))));
            var (data, fromData) = (read.Data, read.Labels);
            var labelSet = labels.Resolve(parsed, fromData, data.Rows, inputPath);
            if (baseOptions.Dimensions < 2)
                throw new CliUsageException("--dim: the spectrum figure draws 2-D panels; use --dim 2 or more.");

            var start = EmbedPipeline.Initialize(data, baseOptions, null, progress);
            var graph = EmbedPipeline.BuildGraph(data, baseOptions, inputPath, progress, context.CancellationToken);
            var panels = new List<FigurePanel>();
            foreach (double value in values)
            {
                var options = baseOptions with { S = value };
                EmbedOptions.Validate(options);
                string label = value.ToString(CultureInfo.InvariantCulture);
                // Disposed at once: on the GPU each s holds its own device buffers, so freeing them keeps one set alive at a time.
                using var result = EmbedPipeline.Fit(graph, start, options, progress, $"s={label}", context.CancellationToken);
                panels.Add(new FigurePanel($"s = {label}", result.Embedding));
            }

            string png = parsed.GetValue(plot)!;
            int panelSize = values.Length <= 3 ? 600 : 450;
            progress.Time("plot", () => DataFiles.WriteBytes(png, EmbeddingFigure.RenderPng(panels, labelSet, panelSize)));
            if (parsed.GetValue(outputDir) is { } dir)
            {
                Directory.CreateDirectory(dir);
                progress.Time("write", () =>
                {
                    for (int p = 0; p < panels.Count; p++)
                        DataFiles.WriteMatrix(Path.Combine(dir, $"spectrum-s{values[p].ToString(CultureInfo.InvariantCulture)}.csv"), panels[p].Embedding);
                });
            }
            progress.Note($"wrote {png} ({panels.Count} panels)");
            progress.PrintSummary();
            return ExitCodes.Success;
        }));
        return command;
    }

    private static CnePreset[] ParsePresets(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new CliUsageException($"--preset: expected a comma-separated list of {string.Join(", ", EmbedOptions.Presets.Keys)}.");
        return [.. parts.Select(p => EmbedOptions.Presets.TryGetValue(p.ToLowerInvariant(), out var v) ? v
            : throw new CliUsageException($"--preset: expected a comma-separated list of {string.Join(", ", EmbedOptions.Presets.Keys)}; got '{p}'."))];
    }

    /// <summary>
    /// One panel per preset, each run as <c>cne embed --preset</c> would with the same explicit options. Presets that
    /// search the same graph (k, method, metric, PCA components) share it; all share the PCA initialisation.
    /// </summary>
    private static int RunPresets(CliContext context, ParseResult parsed, CnePreset[] presets, EmbedOptions embed, LabelOptions labels,
        Argument<string> input, Option<string?> plot, Option<string?> outputDir, Option<bool> quiet, bool sGiven, LossMode? loss)
    {
        if (sGiven) throw new CliUsageException("--s: with --preset each panel is a preset, not a spectrum position; give --s or --preset, not both.");
        var progress = context.CreateProgress(parsed.GetValue(quiet));
        string inputPath = parsed.GetValue(input)!;
        var (data, fromData) = progress.Time("read", () => DataFiles.ReadData(inputPath, labels.Column(parsed)));
        var labelSet = labels.Resolve(parsed, fromData, data.Rows, inputPath);
        var all = new CneOptions[presets.Length];
        for (int p = 0; p < presets.Length; p++)
        {
            all[p] = embed.Build(parsed, presets[p]);
            if (loss is { } given) EmbedOptions.Validate(all[p] = all[p] with { Loss = given });
        }
        if (all[0].Dimensions < 2)
            throw new CliUsageException("--dim: the spectrum figure draws 2-D panels; use --dim 2 or more.");

        var start = EmbedPipeline.Initialize(data, all[0], null, progress);
        var graphs = new Dictionary<(int, KnnMethod, DistanceMetric, int), NeighborGraph>();
        var panels = new List<FigurePanel>();
        for (int p = 0; p < presets.Length; p++)
        {
            var options = all[p];
            string word = Choices.Word(EmbedOptions.Presets, presets[p]);
            var key = (options.K, options.KnnMethod, options.KnnMetric, options.KnnPcaComponents);
            if (!graphs.TryGetValue(key, out var graph))
                graphs[key] = graph = EmbedPipeline.BuildGraph(data, options, inputPath, progress, context.CancellationToken);
            using var result = EmbedPipeline.Fit(graph, start, options, progress, word, context.CancellationToken);
            // The title names what drew the map: the loss, or the t-SNE engine when the repulsion is computed by FFT.
            string engine = options.Repulsion == Embedding.RepulsionMode.Fft ? "t-SNE, fft" : Choices.Word(Choices.Losses, options.Loss);
            panels.Add(new FigurePanel($"{word} ({engine})", result.Embedding));
        }

        string png = parsed.GetValue(plot)!;
        progress.Time("plot", () => DataFiles.WriteBytes(png, EmbeddingFigure.RenderPng(panels, labelSet, presets.Length <= 3 ? 600 : 450)));
        if (parsed.GetValue(outputDir) is { } dir)
        {
            Directory.CreateDirectory(dir);
            progress.Time("write", () =>
            {
                for (int p = 0; p < panels.Count; p++)
                    DataFiles.WriteMatrix(Path.Combine(dir, $"preset-{Choices.Word(EmbedOptions.Presets, presets[p])}.csv"), panels[p].Embedding);
            });
        }
        progress.Note($"wrote {png} ({panels.Count} panels)");
        progress.PrintSummary();
        return ExitCodes.Success;
    }
}
