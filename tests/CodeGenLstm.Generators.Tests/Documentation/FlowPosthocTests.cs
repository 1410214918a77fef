using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace CodeGenLstm.Generators.Tests.Documentation;

/// <summary>
/// research/GradientLab/results/flow-posthoc.md is written by research/GradientLab/tools/flow_posthoc.py from the
/// committed flow CSVs beside it, and docs/diagnostics/gradient-validation.md quotes its tables: the committed file
/// must be what the script writes now, and the script must refuse a CSV whose prediction is not the one
/// flow-results.md scored.
/// </summary>
public class FlowPosthocTests
{
    private static readonly string Script = Path.Combine(MarkdownCode.Root, "research", "GradientLab", "tools", "flow_posthoc.py");
    private static readonly string Results = Path.Combine(MarkdownCode.Root, "research", "GradientLab", "results");

    [Fact]
    public void TheCommittedTablesAreWhatTheScriptWrites()
    {
        if (!PythonAvailable())
        {
            // CI installs python3 (.ci/run); on a developer's machine without it the check cannot run.
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "python3 is needed to check flow-posthoc.md");
            return;
        }
        string output = Path.Combine(Path.GetTempPath(), $"flow-posthoc-{Guid.NewGuid():N}.md");
        try
        {
            var (exitCode, stderr) = Run($"\"{Script}\" --out \"{output}\"");
            Assert.True(exitCode == 0, $"flow_posthoc.py failed:\n{stderr}");
            Assert.True(File.ReadAllText(Path.Combine(Results, "flow-posthoc.md")) == File.ReadAllText(output),
                "research/GradientLab/results/flow-posthoc.md is not what flow_posthoc.py writes from the CSVs: run python3 research/GradientLab/tools/flow_posthoc.py and update gradient-validation.md's post hoc section");
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void AnotherPredictionIsRefused()
    {
        if (!PythonAvailable())
        {
            // CI installs python3 (.ci/run); on a developer's machine without it the check cannot run.
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "python3 is needed to check flow-posthoc.md");
            return;
        }
        // One healthy unit warned (a false alarm) relabelled vanished: the counts no longer match flow-results.md.
        string[] lines = File.ReadAllLines(Path.Combine(Results, "flow-heldout2.csv"));
        string[] columns = lines[0].Split(',');
        int label = Array.IndexOf(columns, "label"), diagnostics = Array.IndexOf(columns, "diagnostics"), bidirectional = Array.IndexOf(columns, "bidirectional");
        int row = Enumerable.Range(1, lines.Length - 1).First(i =>
        {
            string[] cells = lines[i].Split(',');
            return cells[label] == "healthy" && cells[diagnostics].Contains("CGL1001:W", StringComparison.Ordinal) && cells[bidirectional] == "0";
        });
        lines[row] = lines[row].Replace(",healthy,", ",vanished,", StringComparison.Ordinal);
        string folder = Path.Combine(Path.GetTempPath(), $"flow-posthoc-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllLines(Path.Combine(folder, "flow-heldout2.csv"), lines);
            var (exitCode, stderr) = Run($"\"{Script}\" --csv \"{Path.Combine(folder, "flow-heldout2.csv")}\" --seeds --out \"{Path.Combine(folder, "out.md")}\"");
            Assert.NotEqual(0, exitCode);
            Assert.Contains("flow-results.md has (546, 118, 118)", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int ExitCode, string Stderr) Run(string arguments)
    {
        var start = new ProcessStartInfo("python3", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        return (process.ExitCode, stderr);
    }

    private static bool PythonAvailable()
    {
        try
        {
            using Process? process = Process.Start(new ProcessStartInfo("python3", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            process?.WaitForExit();
            if (process?.ExitCode == 0) return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        // CI installs python3 (.ci/run); on a developer's machine without it the check cannot run.
        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "python3 is needed to check research/GradientLab/results/flow-posthoc.md");
        return false;
    }
}
