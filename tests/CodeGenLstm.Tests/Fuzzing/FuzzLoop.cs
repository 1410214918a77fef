using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace CodeGenLstm.Tests.Fuzzing;

/// <summary>
/// Runs the cases of a fuzz pass on a separate task, watched: a case that does not finish within
/// <see cref="CaseLimit"/> is reported as a hang (the test fails instead of waiting for ever). A case takes
/// milliseconds; the limit is a thousand times more, so that it cannot fire on a slow or busy machine.
/// </summary>
internal static class FuzzLoop
{
    public static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(60);

    /// <summary>Runs case seeds seed, seed + 1, ... and returns the time it took (for the report only).</summary>
    public static TimeSpan Run(int cases, int seed, Action<int> runCase)
    {
        int done = 0;
        var clock = Stopwatch.StartNew();
        Task pass = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < cases; i++)
            {
                try
                {
                    runCase(unchecked(seed + i));
                }
                catch (Exception e)
                {
                    // The checks record findings; an exception here is the fuzzer's own failure: name the case.
                    throw new InvalidOperationException($"The fuzzer failed in case {unchecked(seed + i)}: {e.Message}", e);
                }
                Volatile.Write(ref done, i + 1);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        int seen = -1;
        while (!pass.Wait(CaseLimit))
        {
            int now = Volatile.Read(ref done);
            if (now == seen)
                throw new TimeoutException($"Case {unchecked(seed + now)} has not finished in {CaseLimit.TotalSeconds} s: a hang.");
            seen = now;
        }
        pass.GetAwaiter().GetResult();  // rethrows what the pass threw
        return clock.Elapsed;
    }
}
