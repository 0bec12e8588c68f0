using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace ContrastiveNE.Threading;

/// <summary>
/// Persistent background workers that join the calling thread on the units of one parallel loop at a time.
/// </summary>
/// <remarks>
/// The training loops make a few hundred short parallel calls per epoch (gather, loss, reduction, step). Through the
/// thread pool each call cost tens of microseconds of hand-off, and idle pool threads spun on the very cores the
/// caller needed, so a second thread bought almost nothing. Here the workers spin briefly for the next call (the
/// gaps between a batch's calls are far shorter than a sleep and wake-up) and then block. Each participant first runs
/// its own share of the units (the same unit indices on the same thread call after call, for cache locality) and then
/// claims what is left, so which thread runs a unit can vary, but the units themselves do not: the library's
/// determinism rests on the units, never on the threads.
/// </remarks>
internal sealed class WorkerTeam
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs
    private static readonly long WaitSpinTicks = Stopwatch.Frequency / 500; // 2 ms

    private readonly object _gate = new();
    private Job? _job;
    private int _generation;
    private int _sleepers;
    private int _busy;

    private WorkerTeam(int workers)
    {
        Workers = workers;
        for (int w = 0; w < workers; w++)
        {
            int participant = w + 1;
            var thread = new Thread(() => Loop(participant)) { IsBackground = true, Name = $"ContrastiveNE worker {participant}" };
            thread.Start();
        }
    }

    /// <summary>The process-wide team: one worker per processor beyond the caller's.</summary>
    public static WorkerTeam Shared { get; } = new(Math.Max(0, Environment.ProcessorCount - 1));

    /// <summary>Number of background workers.</summary>
    public int Workers { get; }

    /// <summary>
    /// Runs every unit of [0, <paramref name="count"/>) on the caller and up to <paramref name="helpers"/> workers.
    /// Returns false without running anything when the team is already serving another loop (a nested or
    /// concurrent call); the caller then uses another way.
    /// </summary>
    public bool TryRun(int count, int helpers, Action<int> body)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        try
        {
            var job = new Job(body, count, Math.Min(helpers, Workers));
            Volatile.Write(ref _job, job);
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
                lock (_gate) Monitor.PulseAll(_gate);
            job.Work(0);
            // Pure spinning first: a yield on a busy machine can hand the core to another process for a whole time
            // slice, while the last unit usually finishes within microseconds.
            long start = Stopwatch.GetTimestamp();
            var spinner = new SpinWait();
            while (Volatile.Read(ref job.Pending) > 0)
            {
                if (Stopwatch.GetTimestamp() - start < WaitSpinTicks) Thread.SpinWait(16);
                else spinner.SpinOnce(sleep1Threshold: -1);
            }
            job.Error?.Throw();
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void Loop(int participant)
    {
        int seen = Volatile.Read(ref _generation);
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(16);
                    continue;
                }
                lock (_gate)
                {
                    // Interlocked (a full fence) pairs with the caller's increment of the generation before it reads
                    // the sleeper count: one of the two always sees the other's write, so no wake-up is lost.
                    Interlocked.Increment(ref _sleepers);
                    while (Volatile.Read(ref _generation) == seen) Monitor.Wait(_gate);
                    Interlocked.Decrement(ref _sleepers);
                }
            }
            seen = Volatile.Read(ref _generation);
            var job = Volatile.Read(ref _job);
            if (job != null && participant <= job.Helpers) job.Work(participant);
        }
    }

    private sealed class Job(Action<int> body, int count, int helpers)
    {
        public readonly Action<int> Body = body;
        public readonly int Helpers = helpers;
        public readonly int Count = count;
        public int Pending = count;
        public ExceptionDispatchInfo? Error;
        private readonly int[] _claimed = new int[count];

        /// <summary>
        /// Participant p (0 = the caller, w = worker w) first takes units p, p + P, p + 2P, … (P participants), so a
        /// unit index meets the same thread call after call and finds its buffers in that core's cache; then it takes
        /// whatever no one has claimed yet, so a late or descheduled worker delays nothing.
        /// </summary>
        public void Work(int participant)
        {
            int participants = Helpers + 1;
            for (int unit = participant; unit < Count; unit += participants) Run(unit);
            for (int unit = 0; unit < Count; unit++) Run(unit);
        }

        private void Run(int unit)
        {
            if (Volatile.Read(ref _claimed[unit]) != 0 || Interlocked.Exchange(ref _claimed[unit], 1) != 0) return;
            if (Volatile.Read(ref Error) == null)
            {
                try
                {
                    Body(unit);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref Error, ExceptionDispatchInfo.Capture(e), null);
                }
            }
            Interlocked.Decrement(ref Pending);
        }
    }
}
