namespace FTLPortal.Learning.Kernels;

/// <summary>
/// Persistent worker threads that run the parts of an <see cref="IParallelWork"/>; the caller runs part 0 itself.
/// Unlike Parallel.For this allocates nothing per call, which keeps the training loop allocation-free.
/// When another thread is already using the pool, the caller runs every part inline (same results, no blocking).
/// </summary>
internal sealed class WorkerPool
{
    // 1 while a call owns the workers. Not a Lock: a lock is re-entrant, and a nested call from the owning thread must not
    // take the workers over while they run the outer call's parts.
    private int _busy;
    private readonly Worker[] _workers;
    private IParallelWork? _work;
    private int _parts;
    private int _remaining;
    private Exception? _failure;

    private WorkerPool(int workerCount)
    {
        _workers = new Worker[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            _workers[i] = new Worker(this, i + 1);
        }
    }

    public static WorkerPool Shared { get; } = new(Math.Max(0, Environment.ProcessorCount - 1));

    public void Run(IParallelWork work, int parts)
    {
        // More parts than threads (or a busy pool) run inline: every part still runs, so results do not change.
        if (parts <= 1 || parts > _workers.Length + 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            RunInline(work, parts);
            return;
        }

        try
        {
            _work = work;
            _parts = parts;
            _failure = null;
            Volatile.Write(ref _remaining, parts - 1);
            for (int i = 0; i < parts - 1; i++)
            {
                _workers[i].Start.Set();
            }

            Exception? own = null;
            try
            {
                work.Execute(0, parts);
            }
#pragma warning disable CA1031 // Rethrown below once the workers are done with the shared buffers.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                own = ex;
            }

            var spin = default(SpinWait);
            while (Volatile.Read(ref _remaining) != 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            _work = null;
            Exception? failure = own ?? _failure;
            if (failure is not null)
            {
                throw new AggregateException(failure);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private static void RunInline(IParallelWork work, int parts)
    {
        parts = Math.Max(parts, 1);
        for (int p = 0; p < parts; p++)
        {
            work.Execute(p, parts);
        }
    }

    private sealed class Worker
    {
        private readonly WorkerPool _pool;
        private readonly int _part;

        public Worker(WorkerPool pool, int part)
        {
            _pool = pool;
            _part = part;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"FTLPortal.Learning worker {part}" };
            thread.Start();
        }

        // Spins briefly before sleeping: batches arrive back to back, and waking a sleeping thread costs microseconds.
        public ManualResetEventSlim Start { get; } = new(false, spinCount: 2000);

        private void Loop()
        {
            while (true)
            {
                Start.Wait();
                Start.Reset();
                try
                {
                    _pool._work!.Execute(_part, _pool._parts);
                }
#pragma warning disable CA1031 // Handed to the calling thread.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _pool._failure = ex;
                }

                Interlocked.Decrement(ref _pool._remaining);
            }
        }
    }
}
