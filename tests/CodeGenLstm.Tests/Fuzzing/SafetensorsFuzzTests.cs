using System;
using System.IO;
using Xunit.Abstractions;

namespace CodeGenLstm.Tests.Fuzzing;

/// <summary>
/// The safetensors mutator (<see cref="SafetensorsFuzzer"/>): a short fixed-seed pass here; the long pass is the
/// same test with CODEGENLSTM_FUZZ_CASES and CODEGENLSTM_FUZZ_SEED set (DEVELOPERS.md, Fuzzing).
/// </summary>
public class SafetensorsFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void DamagedFilesAreRejectedWithInvalidDataOrReadExactly()
    {
        int cases = FuzzSettings.Cases(shortPass: 3000), seed = FuzzSettings.Seed(fixedSeed: 15_000);
        string directory = Path.Combine(Path.GetTempPath(), "codegenlstm-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var tally = new FuzzTally();
            var fuzzer = new SafetensorsFuzzer(tally, directory);
            TimeSpan elapsed = FuzzLoop.Run(cases, seed, fuzzer.RunCase);
            string report = tally.Report("safetensors mutator", cases, seed, elapsed);
            output.WriteLine(report);
            Console.WriteLine(report);
            Assert.True(tally.FindingCount == 0, report);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
