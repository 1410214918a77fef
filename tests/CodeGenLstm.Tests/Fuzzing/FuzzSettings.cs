using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CodeGenLstm.Tests.Fuzzing;

/// <summary>
/// How many cases a fuzz test runs and from which seed: a short fixed-seed pass by default (what CI runs),
/// or the long pass asked for with CODEGENLSTM_FUZZ_CASES and CODEGENLSTM_FUZZ_SEED (DEVELOPERS.md, Fuzzing).
/// </summary>
internal static class FuzzSettings
{
    public static int Cases(int shortPass) => Read("CODEGENLSTM_FUZZ_CASES", shortPass);

    public static int Seed(int fixedSeed) => Read("CODEGENLSTM_FUZZ_SEED", fixedSeed);

    private static int Read(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}

/// <summary>Counts of each outcome of a fuzz pass, and its findings (the first few, with the case that shows each).</summary>
internal sealed class FuzzTally
{
    private const int KeptFindings = 40;
    private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public List<string> Findings { get; } = new();

    public long FindingCount { get; private set; }

    public void Count(string outcome) => _counts[outcome] = _counts.GetValueOrDefault(outcome) + 1;

    public void Finding(string text)
    {
        FindingCount++;
        Count("FINDING");
        if (Findings.Count < KeptFindings) Findings.Add(text);
    }

    /// <summary>Cases, cases per second (for the report only: nothing asserts on it), every outcome's count, the findings.</summary>
    public string Report(string what, int cases, int seed, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{what}: {cases} cases from seed {seed} in {elapsed.TotalSeconds:F1} s ({cases / Math.Max(elapsed.TotalSeconds, 1e-9):F1} cases/s), {FindingCount} findings\n") +
        string.Join("\n", _counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"  {c.Value,8}  {c.Key}"))) +
        (Findings.Count == 0 ? "" : "\nfindings:\n  " + string.Join("\n  ", Findings));
}
