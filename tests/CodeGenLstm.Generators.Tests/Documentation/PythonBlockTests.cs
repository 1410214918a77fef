using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Xunit;

namespace CodeGenLstm.Generators.Tests.Documentation;

/// <summary>
/// Every Python block of the user documentation (PyTorch modules that match a declaration, training scripts)
/// is valid Python: python3 parses it. Running them needs PyTorch, which the tests do not have; the modules'
/// equivalence with the declarations is what the parity tests prove.
/// </summary>
public class PythonBlockTests
{
    public static IEnumerable<object[]> PythonBlocks() =>
        MarkdownCode.AllBlocks().Where(b => b.Language is "python" or "py").Select(b => new object[] { b.Id });

    [Theory]
    [MemberData(nameof(PythonBlocks))]
    public void EveryPythonBlockParses(string id)
    {
        CodeBlock block = MarkdownCode.AllBlocks().Single(b => b.Id == id);
        string? error = Parse(block.Code);
        Assert.True(error is null, $"The Python block at {block.Id} does not parse:\n{error}");
    }

    [Fact]
    public void TheCheckRejectsBrokenPython()
    {
        if (!PythonAvailable()) return;
        Assert.NotNull(Parse("def f(:\n    pass\n"));
        Assert.Null(Parse("def f():\n    pass\n"));
        Assert.NotEmpty(PythonBlocks());
    }

    /// <summary>null when python3 parses the code; else python3's message.</summary>
    private static string? Parse(string code)
    {
        if (!PythonAvailable())
        {
            // CI installs python3 (.ci/run); on a developer's machine without it the check cannot run.
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "python3 is needed to check the documentation's Python blocks");
            return null;
        }
        var start = new ProcessStartInfo("python3", "-c \"import ast, sys; ast.parse(sys.stdin.read())\"")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        process.StandardInput.Write(code);
        process.StandardInput.Close();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : stderr;
    }

    private static bool PythonAvailable()
    {
        try
        {
            using Process? process = Process.Start(new ProcessStartInfo("python3", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            process?.WaitForExit();
            return process?.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
