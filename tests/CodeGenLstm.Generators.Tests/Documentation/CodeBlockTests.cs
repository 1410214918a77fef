using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Tests.Documentation;

/// <summary>
/// Every C# block of the user documentation (README.md, docs/**/*.md, src/CodeGenLstm/PACKAGE.md) is a
/// program unless the line above its fence is <c>&lt;!-- not a program: why --&gt;</c> (a signature listing,
/// a fragment of a larger program, an excerpt). A program must compile exactly as written, as the
/// Program.cs of a new console project that references the package: the real runtime, generator and
/// analyzers, nullable on, every warning reported, with the console project's implicit usings and without.
/// A program may expect a CGL warning on a line by saying so in a comment on that line,
/// <c>// warning CGL1001: ...</c>; each such warning must then be reported there, and no other may be.
/// </summary>
public class CodeBlockTests
{
    public static IEnumerable<object[]> Programs() =>
        MarkdownCode.AllBlocks().Where(b => b.IsCSharp && !b.IsMarkedNotAProgram).Select(b => new object[] { b.Id });

    private static CodeBlock Find(string id) => MarkdownCode.AllBlocks().Single(b => b.Id == id);

    [Theory]
    [MemberData(nameof(Programs))]
    public void EveryProgramCompiles(string id)
    {
        CodeBlock block = Find(id);
        var failures = new List<string>();
        foreach (bool implicitUsings in new[] { false, true })
        {
            ProgramCompiler.Result result = ProgramCompiler.Compile(block.Code, implicitUsings);
            string variant = implicitUsings ? "with the console project's implicit usings" : "without implicit usings";
            failures.AddRange(result.Unexpected.Select(d => $"{variant}: {Describe(block, d)}"));
            failures.AddRange(result.MissingWarnings.Select(w =>
                $"{variant}: {block.File}({block.FenceLine + w.Line}): warning {w.Id} is declared on this line but not reported there"));
        }
        Assert.True(failures.Count == 0,
            $"The C# block at {block.Id} is a program (no <!-- not a program: ... --> line above it) and does not compile cleanly:\n"
            + string.Join("\n", failures.Distinct()));
    }

    /// <summary>A diagnostic at its place in the Markdown file when it is in the program, else in the generated file.</summary>
    private static string Describe(CodeBlock block, Diagnostic d)
    {
        FileLinePositionSpan span = d.Location.GetLineSpan();
        string severity = d.Severity.ToString().ToLowerInvariant();
        string message = d.GetMessage(CultureInfo.InvariantCulture);
        return d.Location.SourceTree?.FilePath == "Program.cs"
            ? $"{block.File}({block.FenceLine + span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {d.Id}: {message}"
            : $"{span.Path}({span.StartLinePosition.Line + 1}): {severity} {d.Id}: {message}";
    }

    [Fact]
    public void EveryMarkerSaysWhy()
    {
        var malformed = MarkdownCode.AllBlocks()
            .Where(b => b.IsCSharp && b.Marker is { } m && m.Contains("not a program", StringComparison.OrdinalIgnoreCase) && !b.IsMarkedNotAProgram)
            .Select(b => $"{b.Id}: {b.Marker}")
            .ToList();
        Assert.True(malformed.Count == 0, "Write the marker as <!-- not a program: why -->:\n" + string.Join("\n", malformed));
    }

    [Fact]
    public void TheFirstProgramsAUserMeetsAreChecked()
    {
        // The parser must find them: a check that found no program could not fail.
        var programs = Programs().Select(p => (string)p[0]).ToList();
        Assert.Contains(programs, id => id.StartsWith("README.md:", StringComparison.Ordinal));
        Assert.Contains(programs, id => id.StartsWith("src/CodeGenLstm/PACKAGE.md:", StringComparison.Ordinal));
        Assert.Contains(programs, id => id.StartsWith("docs/package.md:", StringComparison.Ordinal));
    }

    // ---- The check itself can fail: each way a program can be wrong is caught. ----

    private const string Model = """

        [Lstm(inputSize: 2, hiddenSize: 4)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        public partial class Tiny;
        """;

    [Fact]
    public void AProgramThatCompilesPasses()
    {
        string program = "using System;\nusing CodeGenLstm;\n\nvar model = new Tiny(seed: 1);\nConsole.WriteLine(Tiny.ParameterCount);\n" + Model;
        Assert.True(ProgramCompiler.Compile(program, implicitUsings: false).Success);
        Assert.True(ProgramCompiler.Compile(program, implicitUsings: true).Success);
    }

    [Fact]
    public void AClassAboveTheTopLevelStatementsFails()
    {
        string program = "using CodeGenLstm;\n" + Model + "\nvar model = new Tiny(seed: 1);\n";
        ProgramCompiler.Result result = ProgramCompiler.Compile(program, implicitUsings: true);
        Assert.Contains(result.Unexpected, d => d.Id == "CS8803");
    }

    [Fact]
    public void AMissingUsingFailsWithoutImplicitUsingsOnly()
    {
        string program = "using CodeGenLstm;\n\nConsole.WriteLine(Tiny.ParameterCount);\n" + Model;
        Assert.Contains(ProgramCompiler.Compile(program, implicitUsings: false).Unexpected, d => d.Id == "CS0103");
        Assert.True(ProgramCompiler.Compile(program, implicitUsings: true).Success);
    }

    [Fact]
    public void ACompilerWarningFails()
    {
        string program = "using CodeGenLstm;\n\nstring? name = null;\nSystem.Console.WriteLine(name.Length + Tiny.ParameterCount);\n" + Model;
        Assert.Contains(ProgramCompiler.Compile(program, implicitUsings: false).Unexpected, d => d.Id == "CS8602");
    }

    private const string PlainRnn = """
        using CodeGenLstm;

        [Rnn(inputSize: 1, hiddenSize: 8)]{0}
        [Training(SequenceLength = 100, ClipNorm = 1f)]
        public partial class LongPlainRnn;
        """;

    [Fact]
    public void ADeclaredWarningPassesOnlyOnItsLine()
    {
        string declared = string.Format(CultureInfo.InvariantCulture, PlainRnn, "   // warning CGL1001: a plain tanh RNN over 100 steps");
        Assert.True(ProgramCompiler.Compile(declared, implicitUsings: false).Success);

        // Not declared: the analyzer's warning fails the program.
        ProgramCompiler.Result undeclared = ProgramCompiler.Compile(string.Format(CultureInfo.InvariantCulture, PlainRnn, ""), implicitUsings: false);
        Assert.Contains(undeclared.Unexpected, d => d.Id == "CGL1001");

        // Declared on the wrong line: reported where it is, and missing where it was declared.
        string wrongLine = declared.Replace("using CodeGenLstm;", "using CodeGenLstm;   // warning CGL1001", StringComparison.Ordinal)
                                   .Replace("   // warning CGL1001: a plain tanh RNN over 100 steps", "", StringComparison.Ordinal);
        ProgramCompiler.Result wrong = ProgramCompiler.Compile(wrongLine, implicitUsings: false);
        Assert.Contains(wrong.Unexpected, d => d.Id == "CGL1001");
        Assert.Contains(("CGL1001", 1), wrong.MissingWarnings);
    }

    [Fact]
    public void MarkersAreRead()
    {
        IReadOnlyList<CodeBlock> blocks = MarkdownCode.Parse("test.md", """
            Text.

            <!-- not a program: a listing -->
            ```csharp
            public void Forward();
            ```

            ```csharp
            var x = 1;
            ```
            <!-- not a program -->
            ```csharp
            y
            ```
            """);
        Assert.Equal(3, blocks.Count);
        Assert.True(blocks[0].IsMarkedNotAProgram);
        Assert.Equal(4, blocks[0].FenceLine);
        Assert.Equal("public void Forward();", blocks[0].Code);
        Assert.False(blocks[1].IsMarkedNotAProgram);
        Assert.Null(blocks[1].Marker);
        Assert.False(blocks[2].IsMarkedNotAProgram);   // no reason given: EveryMarkerSaysWhy reports it
    }
}
