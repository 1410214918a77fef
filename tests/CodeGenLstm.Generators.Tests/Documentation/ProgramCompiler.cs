using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CodeGenLstm.Generators.Tests.Documentation;

/// <summary>
/// Compiles a program from the documentation as a user's build does: the text as the only source file
/// (Program.cs) of a .NET 10 console project that references the CodeGenLstm package, so against the
/// runtime assembly, with the package's source generator and every analyzer of its analyzer assembly
/// (found as the compiler finds them, by their [Generator] and [DiagnosticAnalyzer] attributes).
/// Nullable is on and every compiler warning is reported (warning level 9999).
/// </summary>
internal static class ProgramCompiler
{
    /// <summary>
    /// The global usings of a <c>dotnet new console</c> project (ImplicitUsings enable). A program must compile
    /// with and without them: with, as a new console project has it; without, as a project that turned them off.
    /// </summary>
    public const string ConsoleImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>A line comment that declares a CGL warning expected on its line: <c>// warning CGL1001: ...</c>.</summary>
    public static readonly Regex ExpectedWarning = new(@"//.*\bwarning (?<id>CGL\d{4})\b", RegexOptions.CultureInvariant);

    private static readonly Assembly s_analyzerAssembly = typeof(ModelGenerator).Assembly;

    private static readonly ImmutableArray<MetadataReference> s_references =
        Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(LstmAttribute).Assembly.Location))
            .ToImmutableArray();

    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
        s_analyzerAssembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                        && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    public static readonly ImmutableArray<ISourceGenerator> Generators =
        s_analyzerAssembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetCustomAttributes<GeneratorAttribute>().Any())
            .Select(t => Activator.CreateInstance(t) switch
            {
                IIncrementalGenerator incremental => incremental.AsSourceGenerator(),
                ISourceGenerator generator => generator,
                var other => throw new InvalidOperationException($"{t} is neither kind of generator: {other}"),
            })
            .ToImmutableArray();

    /// <summary>What compiling one program gave.</summary>
    /// <param name="Unexpected">Errors, and warnings other than the declared CGL ones, in the program and in generated code.</param>
    /// <param name="MissingWarnings">Declared CGL warnings that were not reported on their line.</param>
    /// <param name="Compilation">The compilation, generated sources included.</param>
    public sealed record Result(IReadOnlyList<Diagnostic> Unexpected, IReadOnlyList<(string Id, int Line)> MissingWarnings, Compilation Compilation)
    {
        public bool Success => Unexpected.Count == 0 && MissingWarnings.Count == 0;
    }

    /// <summary>The CGL warnings a program declares, by 1-based line of the program.</summary>
    public static IReadOnlyList<(string Id, int Line)> DeclaredWarnings(string program) =>
        program.Split('\n')
            .SelectMany((line, i) => ExpectedWarning.Matches(line).Select(m => (m.Groups["id"].Value, i + 1)))
            .ToList();

    public static Result Compile(string program, bool implicitUsings)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(program, parse, path: "Program.cs") };
        if (implicitUsings)
            trees.Add(CSharpSyntaxTree.ParseText(ConsoleImplicitUsings, parse, path: "Program.GlobalUsings.g.cs"));
        bool hasTopLevelStatements = trees[0].GetRoot().ChildNodes().OfType<GlobalStatementSyntax>().Any();
        var options = new CSharpCompilationOptions(hasTopLevelStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithWarningLevel(9999)
            .WithOptimizationLevel(OptimizationLevel.Release);
        var input = CSharpCompilation.Create("DocumentationProgram", trees, s_references, options);

        GeneratorDriver driver = CSharpGeneratorDriver.Create(Generators, parseOptions: parse);
        driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        ImmutableArray<Diagnostic> analyzerDiagnostics = output.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

        var declared = DeclaredWarnings(program).ToHashSet();
        var reported = new HashSet<(string, int)>();
        var unexpected = new List<Diagnostic>();
        foreach (Diagnostic d in generatorDiagnostics.Concat(output.GetDiagnostics()).Concat(analyzerDiagnostics))
        {
            if (d.Severity < DiagnosticSeverity.Warning) continue;
            int line = d.Location.GetLineSpan().StartLinePosition.Line + 1;
            bool inProgram = d.Location.SourceTree?.FilePath == "Program.cs";
            if (d.Severity == DiagnosticSeverity.Warning && inProgram && declared.Contains((d.Id, line)))
                reported.Add((d.Id, line));
            else
                unexpected.Add(d);
        }
        var missing = declared.Where(w => !reported.Contains(w)).OrderBy(w => w.Line).ToList();
        return new Result(unexpected, missing, output);
    }
}
