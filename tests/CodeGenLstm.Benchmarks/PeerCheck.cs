using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --check: every selected case's peers set up as the grid sets them up, which checks their outputs (and libtorch's
/// gradients) against ours; nothing is timed. A peer that computes something else fails here, not in a table.
/// </summary>
public static class PeerCheck
{
    public static int Run(IReadOnlyList<Case> cases)
    {
        var failures = new List<string>();
        foreach (Case c in cases)
        {
            long start = Stopwatch.GetTimestamp();
            var grid = new GridBenchmarks { Case = c };
            try
            {
                grid.SetupTorch();   // output, every weight gradient and the input gradient against ours
                grid.SetupOnnx();    // output against ours
                Console.WriteLine($"{c}: libtorch and ONNX Runtime agree with ours ({Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s)");
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e.Message);   // the message names the case
                Console.WriteLine($"{c}: DISAGREES: {e.Message}");
            }
            finally
            {
                grid.Cleanup();
            }
        }
        Console.WriteLine(failures.Count == 0
            ? $"{cases.Count} cases: every peer agrees with ours."
            : $"{failures.Count} of {cases.Count} cases disagree:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", failures)}");
        return failures.Count == 0 ? 0 : 1;
    }
}
