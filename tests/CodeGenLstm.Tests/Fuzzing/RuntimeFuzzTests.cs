using System;
using Xunit.Abstractions;

namespace CodeGenLstm.Tests.Fuzzing;

/// <summary>
/// The runtime argument and state fuzzer (<see cref="RuntimeFuzzer"/>): a short fixed-seed pass here; the long
/// pass is the same test with CODEGENLSTM_FUZZ_CASES and CODEGENLSTM_FUZZ_SEED set (DEVELOPERS.md, Fuzzing).
/// </summary>
public class RuntimeFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void RejectedCallsChangeNothingAndAcceptedCallsMatchATwin()
    {
        int cases = FuzzSettings.Cases(shortPass: 150), seed = FuzzSettings.Seed(fixedSeed: 15_000);
        var tally = new FuzzTally();
        var fuzzer = new RuntimeFuzzer(tally);
        TimeSpan elapsed = FuzzLoop.Run(cases, seed, fuzzer.RunCase);
        string report = tally.Report("runtime fuzzer", cases, seed, elapsed);
        output.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(tally.FindingCount == 0, report);
    }
}
