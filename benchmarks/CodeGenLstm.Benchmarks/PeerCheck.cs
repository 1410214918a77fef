using System;
using System.Collections.Generic;
using System.Diagnostics;
using CodeGenLstm.TestSupport;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --check: on every selected case, ours and every peer path the grid times (libtorch inference under no_grad,
/// libtorch training, ONNX Runtime inference) are checked against libtorch in float64 on the same weights
/// (<see cref="PeerHealth"/>); nothing is timed. Fails when ours disagrees (our bug). A peer path that is wrong on
/// this machine is reported by name, with the machine, and would not be timed by the grid; it does not fail the
/// check (the peer's defect is not ours), unless --strict-peers is given. On the cases of the precision table
/// (--precision) it also runs ours in bfloat16 and int8 and ONNX Runtime's DynamicQuantizeLSTM fed our int8 W_hh,
/// checked against our float32 within the bound of <see cref="PrecisionRuns"/>, and a negative control (that peer with
/// the gate blocks in PyTorch's order) that the bound must refuse: a control let through fails the check.
/// </summary>
public static class PeerCheck
{
    public static int Run(IReadOnlyList<Case> cases, bool strictPeers)
    {
        Console.WriteLine($"Machine: {Machine.Description}; libtorch {TorchSharp.torch.__version__}; ONNX Runtime {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}");
        var failures = new List<string>();
        var wrongPeers = new List<string>();
        foreach (Case c in cases)
        {
            long start = Stopwatch.GetTimestamp();
            var grid = new GridBenchmarks { Case = c };
            try
            {
                PeerHealth health = grid.CheckOnly();
                Console.WriteLine($"{health} ({Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s)");
                foreach (string? wrong in new[] { health.TorchInferenceWrong, health.TorchTrainingWrong, health.OnnxWrong })
                    if (wrong is not null) wrongPeers.Add($"{c}: {wrong}");
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e.Message);   // the message names the case
                Console.WriteLine($"{c}: OURS DISAGREES: {e.Message}");
            }
            finally
            {
                grid.Cleanup();
            }
        }

        foreach (Case c in PrecisionTimer.Cases(cases))
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                using var runs = new PrecisionRuns(c, GridBenchmarks.Threads);
                bool refused = runs.NegativeControlRefused(GridBenchmarks.Threads, out double control);
                Console.WriteLine($"{c}: largest error against our float32: ours bfloat16 {runs.BFloat16Error:E2}, ours int8 {runs.Int8Error:E2}, "
                    + $"ONNX Runtime DynamicQuantizeLSTM {runs.Int8PeerError:E2} (bound {PrecisionRuns.Int8PeerFactor} x ours int8), "
                    + $"its gates in PyTorch's order {control:E2} ({(refused ? "refused" : "NOT REFUSED")}) ({Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s)");
                if (runs.Int8PeerWrong is not null) wrongPeers.Add($"{c}: {runs.Int8PeerWrong} on this machine ({Machine.Description})");
                if (!refused) failures.Add($"{c}: the int8 peer's bound lets a graph with the wrong gate order through ({control:E2}).");
            }
            catch (Exception e) when (e is InvalidOperationException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                failures.Add($"{c}: precision check: {e.Message}");
                Console.WriteLine($"{c}: PRECISION CHECK FAILED: {e.Message}");
            }
        }

        Console.WriteLine(failures.Count == 0
            ? $"{cases.Count} cases: ours agrees with libtorch float64 on every case."
            : $"{failures.Count} of {cases.Count} cases: ours disagrees:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", failures)}");
        Console.WriteLine(wrongPeers.Count == 0
            ? "Every peer path agrees with libtorch float64 on this machine: all would be timed."
            : $"{wrongPeers.Count} peer path(s) are wrong on this machine and would not be timed:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", wrongPeers)}");
        return failures.Count > 0 || (strictPeers && wrongPeers.Count > 0) ? 1 : 0;
    }
}
