using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --against DIR: this build of the benchmark against another one (DIR: that build's output directory, for example
/// an older commit built with <c>dotnet build -c Release -o DIR</c>), on the selected cases, in one process. Each
/// build is loaded into an AssemblyLoadContext of its own (with its own CodeGenLstm runtime and its own generated
/// models), and the two builds' models are called in alternating chunks of a few milliseconds, the order reversed
/// every round. On a virtual machine whose speed changes in phases of seconds, both builds then run in the same
/// phases, which separate runs one after the other do not give.
/// </summary>
/// <remarks>
/// What it prints per case and mode: each build's least time, the ratio of the least times (this build's over the
/// other's), the median over rounds of the ratio of the two chunks' least times (paired), and the same for the
/// chunks' medians. The placement of a process (its memory, which core runs which thread) moves a small cell by a few
/// percent from one process to the next, and the build loaded second can gain from that; so run several processes
/// with and without <c>--other-first</c> and compare their paired ratios (see docs/benchmarks.md, "Comparing two builds").
/// </remarks>
public static class BuildComparison
{
    /// <summary>The calls of one build for one case, and the label it is printed with.</summary>
    private sealed record Side(string Label, Action Call);

    public static int Run(string otherDirectory, IEnumerable<Case> cases, string? mode, bool otherFirst)
    {
        string self = Path.GetDirectoryName(typeof(BuildComparison).Assembly.Location)!;
        if (!File.Exists(Path.Combine(otherDirectory, "CodeGenLstm.Benchmarks.dll")))
        {
            Console.Error.WriteLine($"--against: {otherDirectory} holds no CodeGenLstm.Benchmarks.dll (build the other commit's benchmark with -o DIR)");
            return 2;
        }
        Console.WriteLine($"this build ({self}) against {otherDirectory}, {(otherFirst ? "other" : "this")} build loaded first; times in ms");
        // Each build in a context of its own, this one included: neither runs from the default context, so both are
        // loaded the same way.
        var order = otherFirst ? new[] { ("other", otherDirectory), ("this", self) } : new[] { ("this", self), ("other", otherDirectory) };
        var contexts = order.Select(o => (o.Item1, Context: new BuildContext(o.Item2))).ToArray();
        foreach (Case c in cases)
            foreach (string m in mode is null ? new[] { "inference", "training" } : new[] { mode })
            {
                var sides = contexts.Select(x => new Side(x.Item1, Calls(x.Context, c.ToString(), m))).ToArray();
                Report(c.ToString(), m, sides);
            }
        return 0;
    }

    /// <summary>The Inference or Training call of that build's <c>Ours</c> for the case named <paramref name="caseName"/>.</summary>
    private static Action Calls(BuildContext context, string caseName, string mode)
    {
        Assembly bench = context.Benchmark;
        Type caseType = bench.GetType(typeof(Case).FullName!, throwOnError: true)!;
        var all = (IEnumerable)caseType.GetProperty(nameof(Case.All))!.GetValue(null)!;
        object c = all.Cast<object>().SingleOrDefault(x => x.ToString() == caseName)
            ?? throw new InvalidOperationException($"the other build has no case {caseName}");
        Type oursType = bench.GetType(typeof(Ours).FullName!, throwOnError: true)!;
        object ours = Activator.CreateInstance(oursType, c)!;
        string method = mode == "training" ? nameof(Ours.Training) : nameof(Ours.Inference);
        return (Action)Delegate.CreateDelegate(typeof(Action), ours, oursType.GetMethod(method, Type.EmptyTypes)!);
    }

    private static void Report(string caseName, string mode, Side[] sides)
    {
        // Warm-up: both builds' code at the JIT's final tier, and the length of a call (seconds).
        double call = 0;
        for (int w = 0; w < 15; w++)
        {
            call = Math.Max(call, Chunk(sides[0].Call, 100).Least);
            Chunk(sides[1].Call, 100);
        }
        double chunk = Math.Max(10, 3 * call * 1e3);  // ms: at least 3 calls
        int count = (int)Math.Clamp(8000 / (2 * chunk), 16, 400);  // about 8 s of chunks
        int t = sides[0].Label == "this" ? 0 : 1, o = 1 - t;
        var least = new double[2] { double.MaxValue, double.MaxValue };
        var pairedLeast = new List<double>(count);
        var pairedMedian = new List<double>(count);
        var results = new (double Least, double Median)[2];
        for (int r = 0; r < count; r++)
        {
            foreach (int s in r % 2 == 0 ? new[] { 0, 1 } : new[] { 1, 0 }) results[s] = Chunk(sides[s].Call, chunk);
            for (int s = 0; s < 2; s++) least[s] = Math.Min(least[s], results[s].Least);
            pairedLeast.Add(results[t].Least / results[o].Least);
            pairedMedian.Add(results[t].Median / results[o].Median);
        }
        Console.WriteLine(
            $"{caseName,-34} {mode,-9} this {least[t] * 1e3,9:F4} other {least[o] * 1e3,9:F4} least ratio {least[t] / least[o]:F3} "
            + $"paired {Median(pairedLeast):F3} paired medians {Median(pairedMedian):F3} ({count} rounds of {chunk:F0} ms)");
    }

    /// <summary>
    /// Calls <paramref name="call"/> for about <paramref name="milliseconds"/> (at least 5 times); the least and median
    /// seconds of a call. It then sleeps 2 ms, so that this build's worker threads, which spin about 20 us after a
    /// call before they wait, are asleep when the other build's call starts.
    /// </summary>
    internal static (double Least, double Median) Chunk(Action call, double milliseconds)
    {
        var times = new List<double>(256);
        long end = Stopwatch.GetTimestamp() + (long)(milliseconds * 1e-3 * Stopwatch.Frequency);
        while (times.Count < 5 || Stopwatch.GetTimestamp() < end)
        {
            long start = Stopwatch.GetTimestamp();
            call();
            times.Add((Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency);
        }
        Thread.Sleep(2);
        times.Sort();
        return (times[0], times[times.Count / 2]);
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>A build's benchmark and its own copies of the assemblies beside it (the runtime, the peers' wrappers).</summary>
    private sealed class BuildContext : AssemblyLoadContext
    {
        private readonly string _directory;

        public BuildContext(string directory) : base($"build {directory}")
        {
            _directory = Path.GetFullPath(directory);
            Benchmark = LoadFromAssemblyPath(Path.Combine(_directory, "CodeGenLstm.Benchmarks.dll"));
        }

        public Assembly Benchmark { get; }

        protected override Assembly? Load(AssemblyName name)
        {
            // The framework's assemblies are shared; everything the build brought with it is its own.
            string path = Path.Combine(_directory, name.Name + ".dll");
            return File.Exists(path) && !name.Name!.StartsWith("System.", StringComparison.Ordinal) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
