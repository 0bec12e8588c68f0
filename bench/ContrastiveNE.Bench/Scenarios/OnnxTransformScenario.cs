using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.Models;
using ContrastiveNE.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Per-row cost of running an exported parametric model: the default network (784 → 100 → 100 → 100 → 2) exported to
/// ONNX and run by ONNX Runtime on 1 and 2 intra-op threads, in batches of <c>--batch</c> rows (default 4096), over
/// the first <c>--n</c> Fashion-MNIST rows (default 70,000), interleaved with our own Transform at the same thread
/// counts. Reports the best of <c>--repeats</c> (default 3) passes as wall-clock and process-CPU microseconds per row, and the largest
/// difference between the two outputs relative to the output's scale.
/// </summary>
public sealed class OnnxTransformScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "onnx-transform";

    /// <inheritdoc/>
    public string Description => "default parametric MLP exported to ONNX: ONNX Runtime vs Transform, microseconds per row at 1 and 2 threads";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var all = NpyFile.ReadMatrix(BenchData.File(args, "fashion-mnist-images.npy"));
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = all.Slice(0, n);
        int batch = args.GetInt("batch", 4096), repeats = args.GetInt("repeats", 3);
        result.N = n;
        result.Set("batch", batch);
        var network = Mlp.Create(data.Columns, null, 2, unchecked((ulong)args.Seed));
        byte[] model = network.ToOnnxBytes();
        result.Set("onnx_bytes", model.Length);

        var sessions = new Dictionary<int, InferenceSession>();
        foreach (int threads in new[] { 1, 2 })
        {
            using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
            var clock = Stopwatch.StartNew();
            sessions[threads] = new InferenceSession(model, options);
            result.Set($"session_ms_{threads}t", Math.Round(clock.Elapsed.TotalMilliseconds, 1));
        }
        var best = new Dictionary<string, double>();
        Matrix? ours = null, theirs = null;
        for (int r = 0; r < repeats; r++)
            foreach (int threads in new[] { 1, 2 })
            {
                network.Threads = threads;
                var mapper = new NetworkModel(network, null, threads);
                ours = Time(best, $"transform_{threads}t", n, () => mapper.Transform(data));
                theirs = Time(best, $"onnxruntime_{threads}t", n, () => RunOnnx(sessions[threads], data, batch));
            }
        foreach (var (key, value) in best) result.Set(key, Math.Round(value, 3));
        result.Set("max_relative_difference", RelativeDifference(ours!, theirs!));
        foreach (var session in sessions.Values) session.Dispose();
    }

    /// <summary>Runs <paramref name="pass"/>, keeping the best wall-clock and process CPU microseconds per row (CPU time is less disturbed by other load).</summary>
    private static Matrix Time(Dictionary<string, double> best, string name, int rows, Func<Matrix> pass)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = pass();
        double wall = clock.Elapsed.TotalMicroseconds;
        process.Refresh();
        Keep(best, $"{name}_us_per_row", wall / rows);
        Keep(best, $"{name}_cpu_us_per_row", (process.TotalProcessorTime - cpu).TotalMicroseconds / rows);
        return result;
    }

    private static void Keep(Dictionary<string, double> best, string key, double value) =>
        best[key] = best.TryGetValue(key, out double old) ? Math.Min(old, value) : value;

    private static Matrix RunOnnx(InferenceSession session, Matrix data, int batch)
    {
        var output = new Matrix(data.Rows, 2);
        using var runOptions = new RunOptions();
        for (int start = 0; start < data.Rows; start += batch)
        {
            int rows = Math.Min(batch, data.Rows - start);
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                data.Data.AsMemory(start * data.Columns, rows * data.Columns), [rows, data.Columns]);
            using var results = session.Run(runOptions, [OnnxExport.DefaultInputName], [input], [OnnxExport.DefaultOutputName]);
            results[0].GetTensorDataAsSpan<float>().CopyTo(output.RowSpan(start, rows));
        }
        return output;
    }

    private static double RelativeDifference(Matrix a, Matrix b)
    {
        double difference = 0, scale = 0;
        for (int i = 0; i < a.Data.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs(a.Data[i] - b.Data[i]));
            scale = Math.Max(scale, Math.Abs(a.Data[i]));
        }
        return difference / scale;
    }
}
