using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using static TorchSharp.torch;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --first-calls: what a user's first calls cost, each side in a fresh process (the JIT, libtorch's and oneDNN's
/// one-time set-up included), beside the steady state. Per case and mode, ours and libtorch each run in a child
/// process that builds the model on the grid's weights, times call 1, calls 1-10 one by one, then calls on for
/// <see cref="SteadySeconds"/> s; it reports call 1, the sum of calls 1-10, the median of calls 3-9 (two warm-up calls,
/// then the median of seven: how a user times it), and the median of the last half of the loop (steady state).
/// A libtorch path that is wrong on this machine (see <see cref="PeerHealth"/>) is timed with
/// ONEDNN_MAX_CPU_ISA=AVX2, the setting under which it is right, and the child checks after timing that what it
/// timed agrees with libtorch float64.
/// </summary>
public static class FirstCalls
{
    public const double SteadySeconds = 2;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static int Run(IReadOnlyList<Case> cases, int threads, string self)
    {
        Console.WriteLine($"Machine: {TestSupport.Machine.Description}; .NET {Environment.Version}; {threads} thread(s) each; every figure from a fresh process.");
        Console.WriteLine("| case | mode | side | construct ms | call 1 ms | calls 1-10 ms | median of calls 3-9 ms | steady ms | call 1 / steady | torch median 3-9 / ours |");
        Console.WriteLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        int failures = 0;
        foreach (Case c in cases)
        {
            PeerHealth health = PeerHealth.For(c, threads);
            foreach (string mode in new[] { "inference", "training" })
            {
                string path = mode == "inference" ? "TorchInference" : "TorchTraining";
                var environment = new Dictionary<string, string>();
                if (health.Wrong(path) is not null) environment["ONEDNN_MAX_CPU_ISA"] = "AVX2";
                ChildResult? ours = Child(self, c, "ours", mode, threads, new Dictionary<string, string>());
                ChildResult? torch = Child(self, c, "torch", mode, threads, environment);
                if (ours is null || torch is null || torch.Wrong) failures++;
                Print(c, mode, "ours", ours, null);
                Print(c, mode, environment.Count > 0 ? "libtorch (ONEDNN_MAX_CPU_ISA=AVX2)" : "libtorch", torch, ours);
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static void Print(Case c, string mode, string side, ChildResult? r, ChildResult? ours)
    {
        if (r is null)
        {
            Console.WriteLine($"| {c} | {mode} | {side} | failed | | | | | | |");
            return;
        }
        string ratio = ours is null ? "" : (r.MedianOfThreeToNine / ours.MedianOfThreeToNine).ToString("F2", C) + "x";
        string wrong = r.Wrong ? " (WRONG result)" : "";
        Console.WriteLine(string.Create(C,
            $"| {c} | {mode} | {side}{wrong} | {r.Construct ?? double.NaN:F1} | {r.First:F2} | {r.FirstTen:F2} | {r.MedianOfThreeToNine:F3} | {r.Steady ?? double.NaN:F3} | {r.First / (r.Steady ?? double.NaN):F1} | {ratio} |"));
    }

    private static ChildResult? Child(string self, Case c, string side, string mode, int threads, Dictionary<string, string> environment) =>
        FreshProcess.Run(self, ChildArguments.Grid(side, mode, threads, c.ToString()), environment, $"{c} {side} {mode}");

    /// <summary>The child: one side, one case, one mode, in a fresh process. Prints its <see cref="ChildResult"/>: construct, calls 1-10, steady, check.</summary>
    public static int RunChild(Case c, string side, string mode, int threads)
    {
        Parallelism.MaxThreads = threads;
        bool training = mode == "training";
        long start = Stopwatch.GetTimestamp();
        Action call;
        Func<bool>? right = null;
        if (side == "ours")
        {
            var ours = new Ours(c);
            call = training ? ours.Training : ours.Inference;
        }
        else
        {
            // The grid's weights: our model's initial weights for the case, exported as a user would save them.
            IReadOnlyList<NamedTensor> weights = c.Create().ExportParameters();
            var torch = new TorchPeer(c, weights, threads);
            call = training ? torch.Training : torch.Inference;
            right = () => RightAfterTiming(c, weights, threads, torch, training);
        }
        double construct = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        TimeSpan jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        long methodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        double[] times = FirstCallTimer.FirstCalls(call, 1);
        TimeSpan jitCall1 = System.Runtime.JitInfo.GetCompilationTime() - jitBefore;
        long methodsCall1 = System.Runtime.JitInfo.GetCompiledMethodCount() - methodsBefore;
        times = times.Concat(FirstCallTimer.FirstCalls(call, FirstCallTimer.Calls - 1)).ToArray();
        // Where call 1's time goes: the JIT's share (all threads), on standard error beside the calls.
        Console.Error.WriteLine(string.Create(C, $"call 1: {times[0]:F1} ms, of which the JIT {jitCall1.TotalMilliseconds:F1} ms ({methodsCall1} methods)"));
        var steady = new List<double>();
        var loop = Stopwatch.StartNew();
        while (loop.Elapsed.TotalSeconds < SteadySeconds || steady.Count < 20) steady.Add(FirstCallTimer.Time(call));
        List<double> lastHalf = steady.Skip(steady.Count / 2).OrderBy(t => t).ToList();
        string check = right is null ? "unchecked" : right() ? "right" : "wrong";
        Console.Error.WriteLine("calls 1-10, ms: " + string.Join(" ", times.Select(t => t.ToString("F3", C))));
        Console.WriteLine(new ChildResult { Construct = construct, Calls = times, Steady = lastHalf[lastHalf.Count / 2], Check = check }.Format());
        return 0;
    }

    /// <summary>After timing: does the path just timed agree with libtorch float64 on the same weights?</summary>
    internal static bool RightAfterTiming(Case c, IReadOnlyList<NamedTensor> weights, int threads, TorchPeer torch, bool training)
    {
        using var oracle = new TorchPeer(c, weights, threads, ScalarType.Float64);
        if (!training) return Agreement.Disagreement(oracle.InferenceOutput(), torch.InferenceOutput(), PeerHealth.OutputTolerance) is null;
        torch.ZeroGradients();
        torch.Training();
        oracle.ZeroGradients();
        oracle.Training();
        Dictionary<string, float[]> expected = oracle.Gradients();
        return torch.Gradients().All(g => Agreement.Disagreement(expected[g.Key], g.Value, PeerHealth.GradientTolerance) is null);
    }
}
