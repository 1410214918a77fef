using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Basic.Reference.Assemblies;
using CodeGenLstm;
using CodeGenLstm.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GradientLab;

/// <summary>A CGL diagnostic as the user would see it, on one model class.</summary>
public sealed record LabDiagnostic(string Id, DiagnosticSeverity Severity, string Message);

/// <summary>
/// Compiles model declarations the way a user's build does: the real <see cref="ModelGenerator"/> writes
/// the models, the real analyzers (every <see cref="DiagnosticAnalyzer"/> of the generator assembly) judge
/// the declarations, Roslyn emits an assembly in memory against the .NET 10 reference assemblies and the
/// CodeGenLstm runtime, and a collectible <see cref="AssemblyLoadContext"/> loads it, sharing the runtime
/// assembly with this process so that the models are <see cref="IFloatSequenceModel"/>s here.
/// </summary>
public static class ModelCompiler
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private static readonly Assembly s_runtime = typeof(LstmAttribute).Assembly;

    private static readonly ImmutableArray<MetadataReference> s_references =
        Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(s_runtime.Location))
            .ToImmutableArray();

    /// <summary>Every analyzer the generator assembly ships (the gradient rules and the configuration rules).</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
        typeof(ModelGenerator).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    private static readonly CSharpCompilationOptions s_options =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithConcurrentBuild(false)
            .WithDeterministic(true);

    /// <summary>One source file per model class: "using CodeGenLstm; namespace ...;" and the declaration.</summary>
    public static string Source(string declaration) => "using CodeGenLstm;\n\nnamespace GradientLab.Models;\n\n" + declaration;

    /// <summary>
    /// Runs the analyzers only (no generator, no emit) over declarations keyed by class name: what the rules
    /// say about each class. Fast: the attributes are all the rules read.
    /// </summary>
    public static Dictionary<string, List<LabDiagnostic>> Analyze(IReadOnlyDictionary<string, string> declarations)
    {
        CSharpCompilation compilation = Create("LabDeclarations", declarations);
        ImmutableArray<Diagnostic> diagnostics = compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return ByClass(declarations.Keys, diagnostics);
    }

    /// <summary>
    /// Generates, analyses, compiles and loads the models; returns the diagnostics per class and a factory per
    /// class (seed to model). Dispose the result to unload the assembly.
    /// </summary>
    public static CompiledModels Compile(string assemblyName, IReadOnlyDictionary<string, string> declarations)
    {
        CSharpCompilation input = Create(assemblyName, declarations);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new ModelGenerator().AsSourceGenerator() }, parseOptions: s_parseOptions);
        driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        if (generatorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            throw new InvalidOperationException("The generator failed:\n" + string.Join("\n", generatorDiagnostics));

        // The analyzers run over the compilation with the generated code, as in a build.
        ImmutableArray<Diagnostic> analyzerDiagnostics = output.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var byClass = ByClass(declarations.Keys, analyzerDiagnostics);
        var configurationErrors = analyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (configurationErrors.Count > 0)
            throw new InvalidOperationException("Configuration errors:\n" + string.Join("\n", configurationErrors));

        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        if (!emitted.Success)
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        stream.Position = 0;
        var context = new ModelLoadContext(assemblyName);
        Assembly assembly = context.LoadFromStream(stream);
        return new CompiledModels(context, assembly, byClass);
    }

    private static CSharpCompilation Create(string assemblyName, IReadOnlyDictionary<string, string> declarations) =>
        CSharpCompilation.Create(
            assemblyName,
            declarations.Select(d => CSharpSyntaxTree.ParseText(Source(d.Value), s_parseOptions, path: d.Key + ".cs")),
            s_references,
            s_options);

    /// <summary>Each CGL diagnostic belongs to the class of the file it is in (one class per file).</summary>
    private static Dictionary<string, List<LabDiagnostic>> ByClass(IEnumerable<string> classes, IEnumerable<Diagnostic> diagnostics)
    {
        var result = classes.ToDictionary(c => c, _ => new List<LabDiagnostic>(), StringComparer.Ordinal);
        foreach (Diagnostic d in diagnostics)
        {
            if (!d.Id.StartsWith("CGL", StringComparison.Ordinal)) continue;
            string? path = d.Location.SourceTree?.FilePath;
            string name = path is null ? "" : Path.GetFileNameWithoutExtension(path);
            if (result.TryGetValue(name, out List<LabDiagnostic>? list))
                list.Add(new LabDiagnostic(d.Id, d.Severity, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        }
        foreach (List<LabDiagnostic> list in result.Values)
            list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return result;
    }

    /// <summary>Loads the generated assembly; CodeGenLstm resolves to the runtime this process already runs.</summary>
    private sealed class ModelLoadContext : AssemblyLoadContext
    {
        public ModelLoadContext(string name) : base(name, isCollectible: true) { }

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == s_runtime.GetName().Name ? s_runtime : null;
    }
}

/// <summary>The models of one compilation, loaded; disposing unloads them.</summary>
public sealed class CompiledModels : IDisposable
{
    private readonly AssemblyLoadContext _context;
    private readonly Assembly _assembly;

    internal CompiledModels(AssemblyLoadContext context, Assembly assembly, Dictionary<string, List<LabDiagnostic>> diagnostics)
    {
        _context = context;
        _assembly = assembly;
        Diagnostics = diagnostics;
    }

    public IReadOnlyDictionary<string, List<LabDiagnostic>> Diagnostics { get; }

    /// <summary>A new instance of the model class, initialised from <paramref name="seed"/>.</summary>
    public IFloatSequenceModel Create(string className, int seed)
    {
        Type type = _assembly.GetType("GradientLab.Models." + className, throwOnError: true)!;
        object model = Activator.CreateInstance(type, seed)!;
        return model as IFloatSequenceModel
            ?? throw new InvalidOperationException($"{className} is not an IFloatSequenceModel of this process's CodeGenLstm runtime.");
    }

    /// <summary>A new instance of the model class, float or token input, initialised from <paramref name="seed"/>.</summary>
    public ISequenceModel CreateAny(string className, int seed)
    {
        Type type = _assembly.GetType("GradientLab.Models." + className, throwOnError: true)!;
        return Activator.CreateInstance(type, seed) as ISequenceModel
            ?? throw new InvalidOperationException($"{className} is not an ISequenceModel of this process's CodeGenLstm runtime.");
    }

    public void Dispose() => _context.Unload();
}
