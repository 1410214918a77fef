using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The parent side of the first-call modes: runs this benchmark again as a child process (a fresh process: nothing
/// compiled by the JIT, no native library loaded, no thread started) with the given arguments and environment, and
/// reads the <see cref="ChildResult"/> it prints. The child side times with <see cref="FirstCallTimer"/>.
/// </summary>
public static class FreshProcess
{
    /// <summary>
    /// Runs <c>dotnet <paramref name="self"/> <paramref name="arguments"/></c> and waits for it; null (with the child's
    /// output on standard error, under <paramref name="what"/>) when it fails or prints no result.
    /// </summary>
    public static ChildResult? Run(string self, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string what)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(self);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using Process process = Process.Start(start)!;
        // Standard error is read on another thread: a child that fills one pipe while we wait on the other would hang.
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        ChildResult? result = process.ExitCode == 0 ? ChildResult.Parse(output) : null;
        if (result is null)
            Console.Error.WriteLine($"{what}: the child failed (exit {process.ExitCode}):{Environment.NewLine}{output}{error.Result}");
        return result;
    }

    /// <summary>No environment variables beyond the parent's.</summary>
    public static IReadOnlyDictionary<string, string> NoEnvironment { get; } = new Dictionary<string, string>();
}
