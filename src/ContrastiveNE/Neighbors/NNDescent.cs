using ContrastiveNE.Data;

namespace ContrastiveNE.Neighbors;

/// <summary>
/// Approximate k-nearest-neighbour search: random-projection trees give a first guess, NN-descent (Dong, Moses and
/// Li 2011, as pynndescent implements it) refines it by comparing the neighbours of neighbours. Options are fixed
/// at construction; <see cref="Search"/> can be called any number of times.
/// </summary>
/// <remarks>
/// Deterministic: the same data, k, options and seed give bit-identical results at any thread count (trees draw
/// from one random stream each, candidate sampling uses a hash of (seed, iteration, edge), and updates are
/// applied to each heap in a fixed order). The point itself is excluded by index, so exact duplicates stay
/// neighbours at distance 0.
/// </remarks>
public sealed class NNDescent
{
    /// <summary>
    /// Number of random-projection trees; 0 (the default) chooses
    /// max(3, min(8, round(n^0.25 / 3) + 1)) — 3 trees for 1,797 points, 4 for 10,000, 6 for 70,000.
    /// More trees give a better start and fewer iterations at the price of building them (on Fashion-MNIST,
    /// 9 trees instead of 6 cost more time than they saved and did not raise recall).
    /// </summary>
    public int Trees { get; init; }

    /// <summary>Largest number of points in a tree leaf (all pairs within a leaf are compared); default 30, at least 2.</summary>
    public int LeafSize { get; init; } = 30;

    /// <summary>Upper bound on NN-descent iterations; 0 (the default) chooses max(5, round(log₂ n)).</summary>
    public int MaxIterations { get; init; }

    /// <summary>
    /// Early termination: stop when an iteration changes fewer than Delta·n·k heap entries; default 0.001, in [0, 1).
    /// </summary>
    public double Delta { get; init; } = 0.001;

    /// <summary>
    /// Sample rate ρ: each iteration joins at most ceil(ρ·k) new and ceil(ρ·k) old candidates per point (forward
    /// and reverse neighbours together); default 2, in (0, 4].
    /// </summary>
    public double Rho { get; init; } = 2.0;

    /// <summary>
    /// The k nearest neighbours of every row of <paramref name="data"/> among all rows (the row itself excluded),
    /// approximately. Distances are Euclidean (not squared); rows are sorted by distance, ties by index.
    /// </summary>
    /// <param name="data">The points, one per row; every value finite.</param>
    /// <param name="k">Neighbours per point, 1 ≤ k &lt; rows.</param>
    /// <param name="metric">Euclidean, or cosine as Euclidean distance between L2-normalised rows.</param>
    /// <param name="seed">Seed of the random trees and candidate sampling.</param>
    /// <param name="threads">Worker threads; ≤ 0 means all processors. Does not change the result.</param>
    /// <param name="progress">Receives the fraction done after the trees and after every iteration.</param>
    /// <param name="cancellationToken">Checked between trees and between iterations.</param>
    /// <exception cref="ArgumentException">k out of range, a non-finite value, an all-zero row under cosine, or an invalid option.</exception>
    public KnnResult Search(Matrix data, int k, DistanceMetric metric = DistanceMetric.Euclidean, int seed = 0, int threads = 0,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        => SearchWithStatistics(data, k, metric, seed, threads, progress, cancellationToken, out _);

    internal KnnResult SearchWithStatistics(Matrix data, int k, DistanceMetric metric, int seed, int threads, IProgress<double>? progress,
        CancellationToken cancellationToken, out NNDescentStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate();
        var points = KnnInput.Prepare(data, k, metric);
        int n = data.Rows;
        var run = new NNDescentSearch(points, k, (ulong)(uint)seed, threads)
        {
            Trees = Trees > 0 ? Trees : DefaultTrees(n),
            LeafSize = LeafSize,
            MaxIterations = MaxIterations > 0 ? MaxIterations : Math.Max(5, (int)Math.Round(Math.Log2(n))),
            Delta = Delta,
            MaxCandidates = Math.Max(1, (int)Math.Ceiling(Rho * k)),
        };
        var result = run.Run(progress, cancellationToken, out statistics);
        // The search's working set (heaps, candidate lists, update buffers, the reordered rows: about 1.1 GB at
        // 10⁶ × 50, k = 15) is garbage now. Left to the collector's own pace it stays committed while the caller
        // builds the graph and trains, and every later allocation adds to the peak; one aggressive collection hands it back.
        if (n >= ReleaseAfterRows) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return result;
    }

    // Below this size the working set is small and a full collection would cost more than it gives back.
    internal const int ReleaseAfterRows = 100_000;

    private static int DefaultTrees(int n) => Math.Clamp((int)Math.Round(Math.Pow(n, 0.25) / 3) + 1, 3, 8);

    private void Validate()
    {
        if (Trees < 0) throw new ArgumentOutOfRangeException(nameof(Trees), Trees, "Trees must be ≥ 0 (0 = automatic).");
        if (LeafSize < 2) throw new ArgumentOutOfRangeException(nameof(LeafSize), LeafSize, "LeafSize must be ≥ 2.");
        if (MaxIterations < 0) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be ≥ 0 (0 = automatic).");
        if (!(Delta >= 0 && Delta < 1)) throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "Delta must lie in [0, 1).");
        if (!(Rho > 0 && Rho <= 4)) throw new ArgumentOutOfRangeException(nameof(Rho), Rho, "Rho must lie in (0, 4].");
    }
}

/// <summary>What one approximate search did (for benchmarks and tuning).</summary>
internal readonly record struct NNDescentStatistics(double TreeSeconds, double DescentSeconds, int Iterations, long DistanceCount);
