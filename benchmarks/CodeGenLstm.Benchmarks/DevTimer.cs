using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --dev: a quick Stopwatch loop over the selected cases (ours only, or with --peers the peers too),
/// reporting the minimum and median of repeated calls. For development on a busy machine, where the
/// minimum is the stablest figure; the published numbers come from the BenchmarkDotNet run.
/// </summary>
public static class DevTimer
{
    public static void Run(IEnumerable<Case> cases, int threads, bool peers, double seconds, bool measureCeiling = true)
    {
        Parallelism.MaxThreads = threads;
        // The FMA ceiling with one thread and with the threads the cells use, measured now, on this machine: a cell's
        // share of it is what "compute-bound at N% of the ceiling" means in docs/benchmarks.md. With --no-ceiling it is
        // skipped (the share column reads NaN): seconds of two-thread 512-bit FMA just before the cells make the
        // 40-120 us cells 5-13% slower in the same process, so comparisons of such cells between builds skip it.
        double ceiling = double.NaN;
        if (measureCeiling)
        {
            double oneThread = FmaCeiling(1);
            ceiling = threads == 1 ? oneThread : FmaCeiling(threads);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"FMA ceiling ({Simd.ActiveWidth}-bit vectors), now: one thread {oneThread / 1e9:F1} GFLOP/s, {threads} threads {ceiling / 1e9:F1} GFLOP/s"));
        }
        Console.WriteLine($"{"case",-28} {"mode",-10} {"min ms",10} {"median ms",10} {"GFLOP/s",8} {"ceiling",7}{(peers ? $" {"torch min",10} {"ORT min",10}" : "")}");
        foreach (Case c in cases)
        {
            var ours = new Ours(c);
            TorchPeer? torch = null;
            OnnxPeer? onnx = null;
            PeerHealth? health = null;
            if (peers)
            {
                health = PeerHealth.For(c, threads);   // ours and each peer path against libtorch float64; wrong paths are not timed
                foreach (string? wrong in new[] { health.TorchInferenceWrong, health.TorchTrainingWrong, health.OnnxWrong })
                    if (wrong is not null) Console.WriteLine($"{c}: {wrong}");
                torch = new TorchPeer(c, ours.Model.ExportParameters(), threads);
                // From a twin (same seed, same weights): the exporter reads the Parameters span it is given, and a
                // model whose span was taken compares its weights on every call; ours must be timed as never lent.
                onnx = new OnnxPeer(c, c.Create(), threads);
            }
            if (Allocations)
            {
                foreach ((string name, Action call) in new (string, Action)[] { ("inference", ours.Inference), ("training", ours.Training) })
                {
                    call();
                    call();
                    long thread = GC.GetAllocatedBytesForCurrentThread(), total = GC.GetTotalAllocatedBytes(precise: true);
                    call();
                    long threadAfter = GC.GetAllocatedBytesForCurrentThread(), totalAfter = GC.GetTotalAllocatedBytes(precise: true);
                    Console.WriteLine($"{c}: {name} allocated {threadAfter - thread} B on this thread, {totalAfter - total} B in all");
                }
                continue;
            }
            foreach (bool training in new[] { false, true })
            {
                if (Mode is not null && Mode != (training ? "training" : "inference")) continue;
                var (min, median) = Time(training ? ours.Training : ours.Inference, seconds);
                double flops = training ? c.TrainingFlops : c.ForwardFlops;
                string line = string.Create(CultureInfo.InvariantCulture,
                    $"{c.ToString(),-28} {(training ? "training" : "inference"),-10} {min * 1e3,10:F3} {median * 1e3,10:F3} {flops / min / 1e9,8:F1} {flops / min / ceiling,7:P0}");
                if (torch is not null)
                {
                    bool torchWrong = health!.Wrong(training ? "TorchTraining" : "TorchInference") is not null;
                    double t = torchWrong ? double.NaN : Time(training ? torch.Training : torch.Inference, seconds).Min;
                    double o = training || health.OnnxWrong is not null ? double.NaN : Time(onnx!.Inference, seconds).Min;
                    string Cell(double v, bool wrong) => wrong ? "wrong here" : v.ToString("F3", CultureInfo.InvariantCulture);
                    line += $" {Cell(t * 1e3, torchWrong),10} {Cell(o * 1e3, !training && health.OnnxWrong is not null),10}";
                }
                Console.WriteLine(line);
            }
            torch?.Dispose();
            onnx?.Dispose();
        }
    }

    /// <summary>
    /// Floating-point operations per second of independent fused multiply-add chains on <paramref name="threads"/>
    /// threads, in the widest vectors the kernels use here (the least time of a short loop).
    /// </summary>
    private static double FmaCeiling(int threads)
    {
        var ceiling = new CeilingBenchmarks { Threads = threads };
        ceiling.SetupFma();
        bool wide = Simd.ActiveWidth >= 512;
        double least = Time(() => { if (wide) ceiling.Fma512(); else ceiling.Fma256(); }, 0.5).Min;
        return CeilingBenchmarks.FmaFlops(wide ? 16 : 8, threads) / least;
    }

    /// <summary>With --allocations: report the bytes one call allocates instead of timing.</summary>
    public static bool Allocations { get; set; }

    /// <summary>With --mode: only "inference" or only "training".</summary>
    public static string? Mode { get; set; }

    /// <summary>With --cpu: the calling thread's CPU time instead of wall time (single-threaded runs on a busy machine).</summary>
    public static bool ThreadCpuTime { get; set; }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static double Now()
    {
        if (!ThreadCpuTime) return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        ClockGetTime(3, out TimeSpec t);  // CLOCK_THREAD_CPUTIME_ID
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    /// <summary>Least and median seconds of repeated calls (two untimed first), for about <paramref name="seconds"/>.</summary>
    internal static (double Min, double Median) Time(Action action, double seconds)
    {
        action();
        action();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || (total.Elapsed.TotalSeconds < seconds && times.Count < 1000))
        {
            double start = Now();
            action();
            times.Add(Now() - start);
        }
        times.Sort();
        return (times[0], times[times.Count / 2]);
    }
}
