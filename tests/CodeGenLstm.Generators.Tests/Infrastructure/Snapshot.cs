using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace CodeGenLstm.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot assertions with Verify's conventions (Verify itself is not installable here): the expected
/// text lives in <c>Snapshots/{Class}.{Method}#{name}.verified.{ext}</c> beside the test source; a
/// mismatch writes <c>*.received.{ext}</c> next to it (git-ignored) and fails. Accepting is an explicit
/// act: run the tests with CODEGENLSTM_ACCEPT_SNAPSHOTS=1, which is refused when CI=true.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "CODEGENLSTM_ACCEPT_SNAPSHOTS";

    public static void Verify(string actual, string name, string extension = "cs",
        [CallerFilePath] string testFile = "", [CallerMemberName] string testMethod = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        string stem = $"{Path.GetFileNameWithoutExtension(testFile)}.{testMethod}#{name}";
        VerifyAt(actual, Path.Combine(directory, $"{stem}.verified.{extension}"), Path.Combine(directory, $"{stem}.received.{extension}"));
    }

    /// <summary>The same check for a file that lives elsewhere in the repository (a generated source checked in).</summary>
    public static void VerifyAt(string actual, string verified, string received)
    {
        string directory = Path.GetDirectoryName(verified)!;
        actual = actual.Replace("\r\n", "\n");

        string? expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }

        bool accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1"
            && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        Directory.CreateDirectory(directory);
        if (accept)
        {
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        throw new XunitException(expected is null
            ? $"No snapshot {verified}. Wrote {received}; review it and accept with {AcceptVariable}=1."
            : $"Snapshot {verified} differs from the output (first difference at line {FirstDifferentLine(expected, actual)}). Wrote {received}; diff them, and accept with {AcceptVariable}=1 if the change is intended.");
    }

    private static int FirstDifferentLine(string expected, string actual)
    {
        string[] a = expected.Split('\n'), b = actual.Split('\n');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            if (a[i] != b[i]) return i + 1;
        return Math.Min(a.Length, b.Length) + 1;
    }
}
