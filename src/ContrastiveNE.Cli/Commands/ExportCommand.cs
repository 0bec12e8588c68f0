using System.CommandLine;
using ContrastiveNE.Cli.Files;
using ContrastiveNE.Cli.Options;
using ContrastiveNE.Embedding;
using ContrastiveNE.Onnx;

namespace ContrastiveNE.Cli.Commands;

/// <summary><c>cne export MODEL -o model.onnx</c>: a saved parametric model as an ONNX model (docs/onnx.md).</summary>
internal static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A model saved by cne embed --parametric --save-model." };
        var output = CliOptions.Output("The ONNX model", ".onnx");
        var quiet = CliOptions.Quiet();
        var command = new Command("export", $"Write a saved parametric model as an ONNX model (opset {OnnxExport.Opset}) for ONNX Runtime and other engines.")
        {
            model, output, quiet,
        };
        command.SetAction(parsed => CneApp.Guard(context, () =>
        {
            var progress = context.CreateProgress(parsed.GetValue(quiet));
            string modelPath = parsed.GetValue(model)!, outputPath = parsed.GetValue(output)!;
            DataFiles.EnsureExists(modelPath);
            var network = progress.Time("load", () => CneModel.Load(modelPath));
            try
            {
                // Written to a temporary file and renamed: a failure leaves no partial model behind.
                progress.Time("export", () => network.ExportOnnx(outputPath));
            }
            catch (NotSupportedException e)
            {
                throw new InvalidDataException($"{modelPath}: {e.Message}", e);
            }
            progress.Note($"wrote the {network.InputDimension} → {network.OutputDimension} model as ONNX (opset {OnnxExport.Opset}; input '{OnnxExport.DefaultInputName}' [batch, {network.InputDimension}], output '{OnnxExport.DefaultOutputName}' [batch, {network.OutputDimension}]) to {outputPath}");
            progress.PrintSummary();
            return ExitCodes.Success;
        }));
        return command;
    }
}
