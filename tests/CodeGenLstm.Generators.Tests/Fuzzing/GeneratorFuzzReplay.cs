using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CodeGenLstm.Generators.Tests.Fuzzing;

/// <summary>
/// Replays chosen cases of a seed alone (CODEGENLSTM_FUZZ_REPLAY="1,117,135", CODEGENLSTM_FUZZ_SEED,
/// CODEGENLSTM_FUZZ_REPEAT runs of each, 3 by default): prints each case's source once, then for each run
/// its class, generated characters and the milliseconds of each phase, so that a case the long pass
/// reported over 2 s can be told apart from machine contention. Nothing is timed against a budget here
/// (a slow case is waited for); any other finding still fails the test.
/// </summary>
internal static class GeneratorFuzzReplay
{
    public static IReadOnlyList<int>? Cases()
    {
        string? text = Environment.GetEnvironmentVariable("CODEGENLSTM_FUZZ_REPLAY");
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                   .Select(k => int.Parse(k, NumberStyles.Integer, CultureInfo.InvariantCulture))
                   .ToList();
    }

    public static int Repeat() =>
        int.TryParse(Environment.GetEnvironmentVariable("CODEGENLSTM_FUZZ_REPEAT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 3;

    /// <summary>Runs the cases and returns the findings (anything but clean, or output over the bound).</summary>
    public static List<string> Run(int seed, IReadOnlyList<int> cases, int repeat, int maxOutputChars, Action<string> print)
    {
        var failures = new List<string>();
        print("case | run | class | output chars | generator ms | analyzers ms | compile ms | total ms");
        foreach (int index in cases)
        {
            string[] sources = GeneratorCases.Case(seed, index);
            print($"---- case {index} (seed {seed}) ----\n{string.Join("\n---- next file ----\n", sources)}\n----");
            for (int run = 1; run <= repeat; run++)
            {
                CaseOutcome outcome = GeneratorCaseRunner.Run(sources);
                CasePhases phases = outcome.Phases;
                print(string.Join(" | ",
                    index, run, outcome.Class, outcome.OutputChars,
                    Ms(phases.Generator), Ms(phases.Analyzers), Ms(phases.Compile), Ms(outcome.Elapsed)));
                if ((outcome.Class != CaseClass.Clean || outcome.OutputChars > maxOutputChars) && run == 1)
                    failures.Add($"case {index} (seed {seed}): {outcome.Class}, {outcome.OutputChars} chars\n==> {outcome.Detail}");
            }
        }
        return failures;
    }

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}
