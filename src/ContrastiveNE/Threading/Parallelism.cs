namespace ContrastiveNE.Threading;

/// <summary>
/// The library's one way to run work in parallel. Work is always split into units whose boundaries depend only on
/// the problem size, never on the thread count, so any per-unit random stream or per-unit partial result is the same
/// at 1 and at N threads; units run inline when one thread is asked for or only one unit exists.
/// </summary>
internal static class Parallelism
{
    /// <summary>The thread count to use for a user setting: values ≤ 0 mean "all processors".</summary>
    public static int Resolve(int threads) => threads <= 0 ? Environment.ProcessorCount : threads;

    /// <summary>
    /// Runs <paramref name="body"/> for every unit 0 … <paramref name="count"/> − 1 on up to <paramref name="threads"/>
    /// threads. An exception thrown by a unit reaches the caller as itself (not wrapped); remaining units are skipped.
    /// </summary>
    public static void For(int count, int threads, Action<int> body)
    {
        threads = Resolve(threads);
        if (count <= 0) return;
        if (threads == 1 || count == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        // The team serves one loop at a time; a nested or concurrent call falls back to the thread pool.
        if (WorkerTeam.Shared.TryRun(count, threads - 1, body)) return;
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Both ways report a unit's failure as the unit's own exception.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over contiguous ranges of [0, <paramref name="count"/>) of at most
    /// <paramref name="grain"/> items each; the ranges depend only on count and grain.
    /// </summary>
    public static void ForRanges(int count, int grain, int threads, Action<int, int> body)
    {
        if (count <= 0) return;
        grain = Math.Max(1, grain);
        int units = (int)(((long)count + grain - 1) / grain);
        For(units, threads, u =>
        {
            int start = u * grain;
            body(start, Math.Min(count, start + grain));
        });
    }
}
