using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Basic.Reference.Assemblies;
using CodeGenLstm.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CodeGenLstm.Generators.Tests.Infrastructure;

/// <summary>
/// Runs the generator on source text the way the compiler does, and compiles the result at the
/// highest warning level with warnings as errors, against the .NET 10 reference assemblies and the
/// CodeGenLstm runtime.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> s_references =
        Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(LstmAttribute).Assembly.Location))
            .ToImmutableArray();

    /// <summary>Compilation options of a demanding user: nullable on, warning level 9999, every warning an error.</summary>
    public static readonly CSharpCompilationOptions StrictOptions =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithWarningLevel(9999)
            .WithGeneralDiagnosticOption(ReportDiagnostic.Error)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithDeterministic(true);

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "UserAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            s_references,
            StrictOptions);

    public static GeneratorDriver Driver(bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            new[] { new ModelGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once and returns its result and the compilation that includes its output.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(params string[] sources)
    {
        CSharpCompilation input = Compilation(sources);
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (driver.GetRunResult(), output, diagnostics);
    }

    /// <summary>The generated sources of one run, by hint name.</summary>
    public static IReadOnlyDictionary<string, string> Sources(GeneratorDriverRunResult result) =>
        result.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>Errors and warnings of compiling the output (all are errors under <see cref="StrictOptions"/>).</summary>
    public static ImmutableArray<Diagnostic> CompileErrors(Compilation output) =>
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    /// <summary>Emits the output to memory, so that a test knows the generated code is a loadable assembly.</summary>
    public static byte[] Emit(Compilation output)
    {
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        if (!emitted.Success)
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", emitted.Diagnostics));
        return stream.ToArray();
    }

    /// <summary>Runs the given analyzers over a compilation and returns what they report.</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, params DiagnosticAnalyzer[] analyzers) =>
        compilation.WithAnalyzers(analyzers.ToImmutableArray()).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
}
