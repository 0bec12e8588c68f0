using ContrastiveNE.Data;
using ContrastiveNE.Initialization;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>PCA initialisation of the first n Fashion-MNIST rows (default all 70,000) to 2 dimensions.</summary>
public sealed class PcaInitScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "pca-init";

    /// <inheritdoc/>
    public string Description => "PCA initialisation (2-D) of Fashion-MNIST (--n rows, default 70000; --dims d, default 2)";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var all = result.Phase("load", () => NpyFile.ReadMatrix(BenchData.File(args, "fashion-mnist-images.npy")));
        result.Set("load_cpu_seconds", (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = n == all.Rows ? all : all.Slice(0, n);
        result.N = n;
        int dims = args.GetInt("dims", 2);
        // The parts first (scatter matrix, then the eigen-solver), then the whole initialisation as users call it.
        // CPU seconds as well as wall seconds: on a shared machine the former is the steadier measure of the work.
        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        result.Phase("scatter", () => Covariance.Compute(data, args.Threads));
        result.Set("scatter_cpu_seconds", (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        double flops = 2.0 * n * data.Columns * (data.Columns + 16) / 2;
        result.Set("scatter_gflops_per_cpu_second", flops / 1e9 / (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        result.Phase("fit", () => Pca.Fit(data, dims, args.Threads));
        result.Set("fit_cpu_seconds", (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        var init = result.Phase("initialize", () => PcaInitializer.Initialize(data, dims, args.Threads));
        if (args.Out != null) NpyFile.Write(args.Out, init);
    }
}
