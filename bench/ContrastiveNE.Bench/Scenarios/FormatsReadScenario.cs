using System.Diagnostics;
using ContrastiveNE.Data;
using ContrastiveNE.Formats;
using nietras.SeparatedValues;

namespace ContrastiveNE.Bench.Scenarios;

/// <summary>
/// Read times of every format on Fashion-MNIST (70,000 × 784 by default), and our CSV reader against Sep, interleaved
/// so both see the same load. The files are written first under --dir (default the temporary folder) and removed
/// afterwards; every read is checked to equal the .npy matrix.
/// </summary>
public sealed class FormatsReadScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "formats-read";

    /// <inheritdoc/>
    public string Description => "read times of .npy/IDX/.npz/CSV/Parquet/.h5ad on Fashion-MNIST, ours vs Sep for CSV, interleaved (--n, --reps 3, --dir)";

    /// <inheritdoc/>
    public void Run(BenchArgs args, BenchResult result)
    {
        FormatsPackage.Register();
        var all = NpyFile.ReadMatrix(BenchData.File(args, "fashion-mnist-images.npy"));
        int n = Math.Min(args.N ?? all.Rows, all.Rows);
        var data = n == all.Rows ? all : all.Slice(0, n);
        result.N = n;
        int reps = args.GetInt("reps", 3);
        string dir = Path.Combine(args.Extra.TryGetValue("dir", out var d) ? d : Path.GetTempPath(), "cne-formats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string F(string name) => Path.Combine(dir, name);
            result.Phase("write", () =>
            {
                NpyFile.Write(F("x.npy"), data);
                IdxFile.Write(F("x-idx3-ubyte"), data, new ImageShape(1, 28, 28));
                IdxFile.Write(F("x-idx3-ubyte.gz"), data, new ImageShape(1, 28, 28));
                NpzFile.Write(F("x.npz"), new Dictionary<string, Matrix> { ["x"] = data });
                DelimitedFile.Write(F("x.csv"), data, [.. Enumerable.Range(0, data.Columns).Select(j => $"p{j}")]);
                ParquetWideWriter(F("x.parquet"), data);
                AnnDataFile.Write(F("x.h5ad"), data, new DataWriteOptions { Key = "X_pixels" });
            });
            result.Set("csv_megabytes", new FileInfo(F("x.csv")).Length / 1e6);
            var readers = new (string Name, Func<Matrix> Read)[]
            {
                ("npy", () => DataFormats.Read(F("x.npy")).Data),
                ("idx", () => DataFormats.Read(F("x-idx3-ubyte")).Data),
                ("idx_gz", () => DataFormats.Read(F("x-idx3-ubyte.gz")).Data),
                ("npz", () => DataFormats.Read(F("x.npz")).Data),
                ("csv_ours", () => DataFormats.Read(F("x.csv")).Data),
                ("csv_sep", () => ReadWithSep(F("x.csv"), data.Columns)),
                ("parquet", () => DataFormats.Read(F("x.parquet")).Data),
                ("h5ad_obsm", () => DataFormats.Read(F("x.h5ad"), new DataReadOptions { Obsm = "X_pixels" }).Data),
            };
            var times = readers.ToDictionary(r => r.Name, _ => new List<double>());
            // CPU seconds beside wall seconds: on a shared machine they are the steadier measure of the work done.
            var cpuTimes = readers.ToDictionary(r => r.Name, _ => new List<double>());
            for (int rep = 0; rep < reps; rep++)
            {
                // Alternate the order of the two CSV readers so neither always runs on a warmer cache.
                var order = rep % 2 == 0 ? readers : [.. readers.Reverse()];
                foreach (var (name, read) in order)
                {
                    GC.Collect();
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    var m = read();
                    times[name].Add(clock.Elapsed.TotalSeconds);
                    cpuTimes[name].Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
                    if (m.Rows != data.Rows || m.Columns != data.Columns || !m.Data.AsSpan().SequenceEqual(data.Data))
                        throw new InvalidDataException($"formats-read: the {name} reader returned a different matrix.");
                }
            }
            foreach (var (name, list) in times)
            {
                list.Sort();
                result.Set($"{name}_seconds_min", list[0]);
                result.Set($"{name}_seconds_median", list[list.Count / 2]);
                cpuTimes[name].Sort();
                result.Set($"{name}_cpu_seconds_median", cpuTimes[name][list.Count / 2]);
            }
            result.Set("csv_ours_over_sep_cpu_median", cpuTimes["csv_ours"][reps / 2] / cpuTimes["csv_sep"][reps / 2]);
            result.Set("csv_ours_over_sep_median", times["csv_ours"][reps / 2] / times["csv_sep"][reps / 2]);
            result.Set("csv_ours_over_sep_min", times["csv_ours"][0] / times["csv_sep"][0]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Sep as its documentation suggests for speed: rows parsed in parallel (order kept), each row's columns parsed
    /// as floats straight into the matrix.
    /// </summary>
    private static Matrix ReadWithSep(string path, int columns)
    {
        using var reader = Sep.Reader(o => o with { HasHeader = true }).FromFile(path);
        var rows = reader.ParallelEnumerate(row => row[0..columns].Parse<float>().ToArray()).ToList();
        var values = new float[rows.Count * columns];
        for (int i = 0; i < rows.Count; i++) rows[i].CopyTo(values, i * columns);
        return new Matrix(rows.Count, columns, values);
    }

    /// <summary>A wide Parquet file of 784 float columns (our writer names columns x, y, …; any names do for reading).</summary>
    private static void ParquetWideWriter(string path, Matrix data) => ParquetFile.Write(path, data);
}
