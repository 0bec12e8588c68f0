using System.CommandLine;
using System.Globalization;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Cli.Plotting;
using ContrastiveNE.Losses;

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
        var embed = new EmbedOptions(withParametric: false, withLossAndS: false);
        var labels = new LabelOptions(withColumn: true, withNames: true);
        var dataInput = new DataInputOptions();
        var quiet = CliOptions.Quiet();
        var command = new Command("spectrum", "Embed INPUT at several points of the attraction–repulsion spectrum and draw them side by side.") { input, s, loss.Option, plot, outputDir };
        embed.AddTo(command);
        labels.AddTo(command);
        dataInput.AddTo(command);
        command.Options.Add(quiet);
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
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
                var result = EmbedPipeline.Fit(graph, start, options, progress, $"s={label}", context.CancellationToken);
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
}
