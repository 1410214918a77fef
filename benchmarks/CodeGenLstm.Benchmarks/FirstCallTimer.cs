using System;
using System.Diagnostics;

namespace CodeGenLstm.Benchmarks;

/// <summary>The child side of the first-call modes: Stopwatch times, in milliseconds, of a set-up and of the first calls.</summary>
public static class FirstCallTimer
{
    /// <summary>How many first calls a child times: call 1, and calls 1 to 10 together.</summary>
    public const int Calls = 10;

    /// <summary>Milliseconds <paramref name="action"/> took.</summary>
    public static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Builds something and returns it with the milliseconds that took.</summary>
    public static (T Value, double Milliseconds) Time<T>(Func<T> build)
    {
        long start = Stopwatch.GetTimestamp();
        T value = build();
        return (value, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    /// <summary>The first <paramref name="count"/> calls of <paramref name="call"/>, each timed alone.</summary>
    public static double[] FirstCalls(Action call, int count = Calls)
    {
        double[] times = new double[count];
        for (int i = 0; i < count; i++) times[i] = Time(call);
        return times;
    }
}
