using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CodeGenLstm.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --generator: the build cost of a model. Runs the source generator on a compilation holding the Encoder
/// of API.md (a 2-layer bidirectional LSTM, the snapshot model) and reports the generator's own time
/// (Roslyn's timing of the generator, warm: the least of many fresh runs), the size of what it wrote, and
/// what an edit elsewhere costs: the model's steps must come back Cached and nothing be regenerated.
/// </summary>
public static class GeneratorTiming
{
    private const string Model = """
        using CodeGenLstm;
        namespace Demo;

        [Lstm(inputSize: 64, hiddenSize: 128, layers: 2, bidirectional: true)]
        public partial class Encoder;
        """;

    private const string Other = """
        namespace Demo;
        public static class Program { public static int Main() => 0; }
        """;

    public static void Run()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        IEnumerable<MetadataReference> references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll" or "mscorlib.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(LstmAttribute).Assembly.Location))
            .ToList();
        CSharpCompilation Compile(string other) => CSharpCompilation.Create("User",
            new[] { CSharpSyntaxTree.ParseText(Model, parse, path: "Model.cs"), CSharpSyntaxTree.ParseText(other, parse, path: "Other.cs") },
            references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(new[] { new ModelGenerator().AsSourceGenerator() }, parseOptions: parse,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        CSharpCompilation compilation = Compile(Other);
        double cold = 0;
        var first = new List<double>();
        GeneratorDriver driver = NewDriver();
        for (int i = 0; i < 30; i++)
        {
            long start = Stopwatch.GetTimestamp();
            driver = NewDriver().RunGenerators(compilation);
            double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (i == 0) cold = wall;
            else first.Add(driver.GetTimingInfo().ElapsedTime.TotalMilliseconds);
        }
        GeneratorDriverRunResult result = driver.GetRunResult();
        int bytes = result.Results[0].GeneratedSources.Sum(s => s.SourceText.Length);
        int lines = result.Results[0].GeneratedSources.Sum(s => s.SourceText.Lines.Count);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        // An edit in another file: the model's parse step must be Cached and its source output Cached.
        var again = new List<double>();
        bool cached = true;
        for (int i = 0; i < 30; i++)
        {
            CSharpCompilation edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(),
                CSharpSyntaxTree.ParseText(Other + $"\npublic static class Edit{i} {{ }}", parse, path: "Other.cs"));
            GeneratorDriver next = driver.RunGenerators(edited);
            again.Add(next.GetTimingInfo().ElapsedTime.TotalMilliseconds);
            var steps = next.GetRunResult().Results[0];
            cached &= steps.TrackedSteps[ModelGenerator.ModelSpecStep].SelectMany(s => s.Outputs).All(o => o.Reason == IncrementalStepRunReason.Cached)
                && steps.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).All(o => o.Reason == IncrementalStepRunReason.Cached);
        }

        first.Sort();
        again.Sort();
        Console.WriteLine($"Generator, Encoder model (2-layer bidirectional LSTM 64 -> 128): {lines} lines ({bytes / 1024} KiB) generated, {errors.Count} errors.");
        Console.WriteLine($"  first run in this process (the generator and Roslyn JIT-compiled on the way): {cold:F0} ms wall");
        Console.WriteLine($"  generator time, warm, fresh driver each time: least {first[0]:F1} ms, median {first[first.Count / 2]:F1} ms (Roslyn's timing info)");
        Console.WriteLine($"  after an edit in another file: least {again[0]:F2} ms, median {again[again.Count / 2]:F2} ms; model steps and source output all Cached: {cached}");
    }
}
