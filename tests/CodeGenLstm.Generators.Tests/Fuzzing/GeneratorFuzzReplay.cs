using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace CodeGenLstm.Generators.Tests.Fuzzing;

/// <summary>
/// Replays chosen cases of a seed alone (CODEGENLSTM_FUZZ_REPLAY="1,117,135", CODEGENLSTM_FUZZ_SEED,
/// CODEGENLSTM_FUZZ_REPEAT runs of each, 3 by default), or source files of one's own
/// (CODEGENLSTM_FUZZ_REPLAY_FILES="a.cs;b.cs", each file one case): prints each case's source once, then
/// for each run its class, generated characters and the milliseconds of each phase, so that a case the
/// long pass reported over 2 s can be told apart from machine contention. Nothing is timed against a
/// budget here (a slow case is waited for); any other finding still fails the test.
/// </summary>
internal static class GeneratorFuzzReplay
{
    /// <summary>The cases to replay, each named and with its source files; null when no replay is asked for.</summary>
    public static IReadOnlyList<(string Name, string[] Sources)>? Cases(int seed)
    {
        var cases = new List<(string, string[])>();
        string? indices = Environment.GetEnvironmentVariable("CODEGENLSTM_FUZZ_REPLAY");
        if (!string.IsNullOrWhiteSpace(indices))
        {
            foreach (string k in indices.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int index = int.Parse(k, NumberStyles.Integer, CultureInfo.InvariantCulture);
                cases.Add(($"case {index} (seed {seed})", GeneratorCases.Case(seed, index)));
            }
        }
        string? files = Environment.GetEnvironmentVariable("CODEGENLSTM_FUZZ_REPLAY_FILES");
        if (!string.IsNullOrWhiteSpace(files))
        {
            foreach (string path in files.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                cases.Add((Path.GetFileName(path), new[] { File.ReadAllText(path) }));
        }
        return cases.Count == 0 ? null : cases;
    }

    public static int Repeat() =>
        int.TryParse(Environment.GetEnvironmentVariable("CODEGENLSTM_FUZZ_REPEAT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 3;

    /// <summary>Runs the cases and returns the findings (anything but clean, or output over the bound).</summary>
    public static List<string> Run(IReadOnlyList<(string Name, string[] Sources)> cases, int repeat, int maxOutputChars, Action<string> print)
    {
        var failures = new List<string>();
        print("case | run | class | output chars | generator ms | analyzers ms (own callbacks ms) | compile ms | total ms");
        foreach (var (name, sources) in cases)
        {
            print($"---- {name} ----\n{string.Join("\n---- next file ----\n", sources)}\n----");
            for (int run = 1; run <= repeat; run++)
            {
                CaseOutcome outcome = GeneratorCaseRunner.Run(sources);
                CasePhases phases = outcome.Phases;
                print(string.Join(" | ",
                    name, run, outcome.Class, outcome.OutputChars,
                    Ms(phases.Generator), $"{Ms(phases.Analyzers)} ({Ms(phases.AnalyzerCallbacks)})", Ms(phases.Compile), Ms(outcome.Elapsed)));
                if ((outcome.Class != CaseClass.Clean || outcome.OutputChars > maxOutputChars) && run == 1)
                    failures.Add($"{name}: {outcome.Class}, {outcome.OutputChars} chars\n==> {outcome.Detail}");
            }
        }
        return failures;
    }

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}
