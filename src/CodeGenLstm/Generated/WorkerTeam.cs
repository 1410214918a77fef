using System;
using System.Runtime.CompilerServices;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace CodeGenLstm.Generated;

/// <summary>Work that <see cref="WorkerTeam.Run"/> runs on several threads at once; a generated model keeps one instance.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ParallelWork
{
    /// <summary>
    /// Runs part <paramref name="part"/> of <paramref name="parts"/> (part 0 on the calling thread). The
    /// parts may wait for each other with <paramref name="team"/>'s <see cref="WorkerTeam.Barrier"/>,
    /// which every part must reach the same number of times.
    /// </summary>
    public abstract void Execute(int part, int parts, WorkerTeam team);
}

/// <summary>
/// Persistent worker threads for the generated kernels: one per core beyond the first, started at the
/// first call that wants more than one thread and kept for the life of the process. A call hands them
/// a <see cref="ParallelWork"/> and runs part 0 itself; nothing is allocated per call. Workers spin
/// briefly after a call (so that back-to-back calls start at once), then sleep on a semaphore.
/// One call at a time owns the workers: a call made while another thread's call owns them runs alone
/// on its own thread, which gives the same results (the kernels split work so that every number is
/// computed the same way whatever the number of parts).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WorkerTeam
{
    private static readonly WorkerTeam s_solo = new(0);
    private static WorkerTeam? s_shared;
    private static long s_parallelCalls;

    /// <summary>Calls that ran in more than one part so far (for tests that must know the threads really ran).</summary>
    internal static long ParallelCalls => Interlocked.Read(ref s_parallelCalls);
    private static readonly object s_create = new();

    /// <summary>How long a worker waits for the next call before it sleeps: spinning, then yielding the core.</summary>
    private static readonly long s_idleSpinTicks = Stopwatch.Frequency / 50000;   // 20 microseconds
    private static readonly long s_idleYieldTicks = Stopwatch.Frequency / 5000;   // 200 microseconds

    private readonly Worker[] _workers;
    private int _busy;

    // The current call: published by the caller before the generation changes.
    private ParallelWork? _work;
    private int _parts = 1;
    private int _generation;
    private int _pending;
    private volatile bool _faulted;
    private ExceptionDispatchInfo? _failure;

    // The barrier, padded apart so that the two counters do not share a cache line with the job fields.
    private PaddedInt _arrived;
    private PaddedInt _barrierGeneration;

    private WorkerTeam(int workers)
    {
        _workers = new Worker[workers];
        for (int i = 0; i < workers; i++) _workers[i] = new Worker(this, i + 1);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in up to <paramref name="parts"/> parts at once, limited by
    /// <see cref="Parallelism.MaxThreads"/> and the processor count, and returns when every part has
    /// returned. Returns the number of parts it ran (1: the calling thread alone).
    /// </summary>
    public static int Run(ParallelWork work, int parts)
    {
        ArgumentNullException.ThrowIfNull(work);
        parts = Math.Min(parts, Math.Min(Parallelism.MaxThreads, Environment.ProcessorCount));
        if (parts <= 1)
        {
            work.Execute(0, 1, s_solo);
            return 1;
        }
        WorkerTeam team = s_shared ?? Create();
        if (Interlocked.CompareExchange(ref team._busy, 1, 0) != 0)
        {
            work.Execute(0, 1, s_solo);  // another thread's call owns the workers
            return 1;
        }
        try
        {
            team.RunParts(work, Math.Min(parts, team._workers.Length + 1));
            Interlocked.Increment(ref s_parallelCalls);
        }
        finally
        {
            Volatile.Write(ref team._busy, 0);
        }
        return parts;
    }

    /// <summary>The largest number of parts <see cref="Run"/> would use now for a call that wants <paramref name="parts"/>.</summary>
    public static int Available(int parts) => Math.Max(1, Math.Min(parts, Math.Min(Parallelism.MaxThreads, Environment.ProcessorCount)));

    private static WorkerTeam Create()
    {
        lock (s_create)
        {
            if (s_shared is null)
            {
                var team = new WorkerTeam(Environment.ProcessorCount - 1);
                foreach (Worker worker in team._workers) worker.Start();
                s_shared = team;
            }
            return s_shared;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunParts(ParallelWork work, int parts)
    {
        _work = work;
        _parts = parts;
        _failure = null;
        _faulted = false;
        _arrived.Value = 0;
        Volatile.Write(ref _pending, parts - 1);
        Interlocked.Increment(ref _generation);  // a full fence: the job is visible before any worker sees the new generation
        for (int i = 0; i < parts - 1; i++) _workers[i].Wake();

        Execute(work, 0, parts);

        var spin = new Spinner();
        while (Volatile.Read(ref _pending) != 0) spin.Once();
        _work = null;
        _failure?.Throw();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Execute(ParallelWork work, int part, int parts)
    {
        try
        {
            work.Execute(part, parts, this);
        }
        catch (Exception e) when (e is not BarrierAbandonedException)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            _faulted = true;
        }
        catch (BarrierAbandonedException)
        {
            // Another part failed first; its exception is the one reported.
        }
    }

    // The methods a call runs through are compiled fully optimised at their first call (AggressiveOptimization), as
    // the generated kernels are: a model's first calls should not wait for tiered compilation.

    /// <summary>Waits until every part of the current call has reached this barrier. A no-op for a call run in one part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Barrier()
    {
        int parts = _parts;
        if (parts <= 1 || ReferenceEquals(this, s_solo)) return;
        int generation = Volatile.Read(ref _barrierGeneration.Value);
        if (Interlocked.Increment(ref _arrived.Value) == parts)
        {
            _arrived.Value = 0;
            Volatile.Write(ref _barrierGeneration.Value, generation + 1);
            return;
        }
        var spin = new Spinner();
        while (Volatile.Read(ref _barrierGeneration.Value) == generation)
        {
            if (_faulted) throw new BarrierAbandonedException();
            spin.Once();
        }
    }

    /// <summary>
    /// Waits by spinning with the processor's pause hint for a few microseconds (a balanced partner arrives
    /// within that), then by yielding the core: on a busy machine the part being waited for may need it.
    /// </summary>
    private struct Spinner
    {
        private int _count;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Once()
        {
            if (_count++ < 200) Thread.SpinWait(4);
            else if (!Thread.Yield()) Thread.SpinWait(4);
        }
    }

    /// <summary>An int alone on its cache line (128 bytes: adjacent-line prefetch pairs lines).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedInt
    {
        [FieldOffset(64)] public int Value;
    }

    private sealed class BarrierAbandonedException : Exception
    {
        public BarrierAbandonedException() : base("Another part of this call failed.") { }
    }

    private sealed class Worker
    {
        private readonly WorkerTeam _team;
        private readonly int _part;
        private readonly SemaphoreSlim _signal = new(0);
        private int _sleeping;

        public Worker(WorkerTeam team, int part)
        {
            _team = team;
            _part = part;
            // The generation this worker has seen, read before its thread starts: a call published while the
            // thread is still starting is then run, not missed.
            _seen = Volatile.Read(ref team._generation);
        }

        private readonly int _seen;

        public void Start() => new Thread(Loop) { IsBackground = true, Name = $"CodeGenLstm worker {_part}" }.Start();

        public void Wake()
        {
            if (Volatile.Read(ref _sleeping) != 0) _signal.Release();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Loop()
        {
            int seen = _seen;
            while (true)
            {
                long idleSince = Stopwatch.GetTimestamp();
                int count = 0;
                while (Volatile.Read(ref _team._generation) == seen)
                {
                    if ((++count & 15) != 0)
                    {
                        Thread.SpinWait(4);
                        continue;
                    }
                    long idle = Stopwatch.GetTimestamp() - idleSince;
                    if (idle < s_idleSpinTicks) continue;
                    if (idle < s_idleYieldTicks)
                    {
                        Thread.Yield();
                        continue;
                    }
                    Interlocked.Exchange(ref _sleeping, 1);  // a full fence, paired with the caller's Interlocked.Increment
                    if (Volatile.Read(ref _team._generation) == seen) _signal.Wait();
                    Volatile.Write(ref _sleeping, 0);
                    idleSince = Stopwatch.GetTimestamp();
                }
                seen = Volatile.Read(ref _team._generation);
                ParallelWork? work = _team._work;
                int parts = _team._parts;
                if (work is not null && _part < parts)
                {
                    _team.Execute(work, _part, parts);
                    Interlocked.Decrement(ref _team._pending);
                }
            }
        }
    }
}
