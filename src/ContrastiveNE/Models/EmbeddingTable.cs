using System.Runtime.Intrinsics.X86;
using ContrastiveNE.Data;
using ContrastiveNE.Threading;

namespace ContrastiveNE.Models;

/// <summary>
/// The non-parametric model (docs/method.md §1.3): an n × d table of positions, one trainable parameter. Forward gathers the
/// rows of a batch's items; backward scatter-adds the feature gradient into the dense n × d gradient, so a point that
/// occurs several times in a batch collects all its contributions before clipping.
/// </summary>
public sealed class EmbeddingTable : IEmbeddingModel
{
    private const int Grain = 8192;
    private const int PrefetchDistance = 64;
    private readonly Parameter _positions;

    /// <summary>Creates a table over <paramref name="positions"/> (taken over, not copied; trained in place).</summary>
    /// <param name="positions">The initial n × d positions.</param>
    /// <param name="threads">Threads for the gather (≤ 0: all processors).</param>
    public EmbeddingTable(Matrix positions, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(positions);
        Positions = positions;
        Threads = threads;
        _positions = new Parameter("embedding", positions.Data);
        Parameters = [_positions];
    }

    /// <summary>The live n × d positions (the parameter's values).</summary>
    public Matrix Positions { get; }

    /// <summary>Thread count for the gather.</summary>
    public int Threads { get; }

    /// <inheritdoc/>
    public int OutputDimension => Positions.Columns;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <inheritdoc/>
    public void Forward(PairBatch batch, Span<float> features)
    {
        var items = batch.Items ?? throw new ArgumentException("The embedding table needs a batch of item indices.", nameof(batch));
        int d = Positions.Columns, rows = 2 * batch.Size;
        if (features.Length < rows * d) throw new ArgumentException($"The feature buffer holds {features.Length} values; {rows} rows need {rows * d}.", nameof(features));
        unsafe
        {
            fixed (float* f = features) Gather(Positions.Data, d, items, rows, f, Threads);
        }
    }

    /// <summary>destination row r ← table row items[r] for r &lt; <paramref name="rows"/> (d values each), in parallel ranges.</summary>
    internal static unsafe void Gather(float[] table, int d, int[] items, int rows, float* destination, int threads)
    {
        nint target = (nint)destination;
        Parallelism.ForRanges(rows, Grain, threads, (start, end) => GatherRange(table, d, items, start, end, (float*)target));
    }

    /// <summary>destination row r ← table row items[r] for r in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    internal static unsafe void GatherRange(float[] table, int d, int[] items, int start, int end, float* destination)
    {
        fixed (float* tp = table)
        fixed (int* ip = items)
        {
            if (d == 2)
            {
                // One 8-byte move per row: a 2-D position is exactly one long. The rows come from all over a table
                // the other cores have just stepped; asking for the row 64 ahead keeps more of those reads in flight.
                long* source = (long*)tp, rowsOut = (long*)destination;
                int r = start;
                if (Sse.IsSupported)
                    for (; r + PrefetchDistance < end; r++)
                    {
                        Sse.Prefetch0(source + ip[r + PrefetchDistance]);
                        rowsOut[r] = source[ip[r]];
                    }
                for (; r < end; r++) rowsOut[r] = source[ip[r]];
                return;
            }
            long bytes = d * sizeof(float);
            for (int r = start; r < end; r++) Buffer.MemoryCopy(tp + (long)ip[r] * d, destination + (long)r * d, bytes, bytes);
        }
    }

    /// <summary>
    /// For a batch given as packed edges (head &lt;&lt; 32) | tail, edges [<paramref name="start"/>,
    /// <paramref name="start"/> + <paramref name="b"/>): row r and target r are edge r's head, row and target b + r its
    /// tail, rows read from a 2-D <paramref name="table"/>.
    /// </summary>
    internal static unsafe void GatherEdges(float[] table, long[] edges, int start, int b, float* rows, int* targets)
    {
        fixed (float* tp = table)
        fixed (long* ep = &edges[start])
        {
            long* source = (long*)tp, rowsOut = (long*)rows;
            int r = 0;
            if (Sse.IsSupported)
                for (; r + PrefetchDistance / 2 < b; r++)
                {
                    long ahead = ep[r + PrefetchDistance / 2];
                    Sse.Prefetch0(source + (int)(ahead >> 32));
                    Sse.Prefetch0(source + (int)ahead);
                    GatherEdge(ep[r], r);
                }
            for (; r < b; r++) GatherEdge(ep[r], r);

            void GatherEdge(long edge, int r)
            {
                int head = (int)(edge >> 32), tail = (int)edge;
                targets[r] = head;
                targets[b + r] = tail;
                rowsOut[r] = source[head];
                rowsOut[b + r] = source[tail];
            }
        }
    }

    /// <inheritdoc/>
    public void Backward(PairBatch batch, ReadOnlySpan<float> featureGradient)
    {
        var items = batch.Items ?? throw new ArgumentException("The embedding table needs a batch of item indices.", nameof(batch));
        int d = Positions.Columns, rows = 2 * batch.Size;
        // One serial pass in row order: duplicates add in a fixed order, so the result does not depend on the thread
        // count. It is a few adds per row; splitting it by item ranges made every unit scan all rows behind an
        // unpredictable branch, which cost more than the adds themselves.
        unsafe
        {
            fixed (float* source = featureGradient) ScatterAdd(items, rows, d, source);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private unsafe void ScatterAdd(int[] items, int rows, int d, float* gradient)
    {
        var g = _positions.Gradient;
        if (d == 2)
        {
            for (int r = 0; r < rows; r++)
            {
                int it = items[r];
                g[2 * it] += gradient[2 * r];
                g[2 * it + 1] += gradient[2 * r + 1];
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            int o = items[r] * d;
            for (int t = 0; t < d; t++) g[o + t] += gradient[r * d + t];
        }
    }
}
