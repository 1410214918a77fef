using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CodeGenLstm.Generators.Tests.Analyzers;

/// <summary>
/// The analyzers never throw, whatever half-typed declaration or training code they see: every prefix of
/// a declaration with all the facts and of a training loop is analysed, and an analyzer exception fails.
/// </summary>
public class AnalyzerRobustnessTests
{
    private const string Declaration =
        "[Embedding(vocabularySize: 30, dimension: 4)][Rnn(hiddenSize: 5, layers: 6, Activation = Activation.Relu, Init = RecurrentInit.Identity, InitGain = 1.5f, Name = \"enc\")][Lstm(hiddenSize: 4, ForgetBias = -1f)][Dense(outputSize: 3, Readout = Readout.LastStep)][Training(SequenceLength = 500, Optimizer = Optimizer.Sgd, LearningRate = 0.5f, ClipValue = 2f)]";

    private const string Loop =
        "public static class T { public static void F(M m, Sgd s, float c) { var a = new Adam(M.ParameterCount, learningRate: 0.5f); m.Backward(new float[1]); s.Step(m.Parameters, m.Gradients); Clip.GlobalNorm(m.Gradients, 0f); Clip.Value(m.Gradients, c); } }";

    private static void AssertNoAnalyzerException(string source) => AssertNoAnalyzerException(GeneratorHarness.Run(source).Output, source);

    private static ImmutableArray<Diagnostic> AssertNoAnalyzerException(Compilation output, string source, SyntaxTree? only = null)
    {
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, diagnostic) => { lock (exceptions) exceptions.Add($"{analyzer}: {exception}"); },
            concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        DiagnosticAnalyzer[] analyzers = { new GradientStabilityAnalyzer(), new ModelConfigurationAnalyzer() };
        CompilationWithAnalyzers analysis = output.WithAnalyzers(analyzers.ToImmutableArray(), options);
        ImmutableArray<Diagnostic> diagnostics = only is null
            ? analysis.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            : analysis.GetAnalyzerSemanticDiagnosticsAsync(output.GetSemanticModel(only), null, default).GetAwaiter().GetResult();
        Assert.True(exceptions.Count == 0, $"for:\n{source}\n{string.Join("\n", exceptions.Take(3))}");
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }

    [Fact]
    public void EveryPrefixOfADeclaration()
    {
        // Without the generator (the attributes are what varies; the loop then binds with errors, also fine).
        for (int length = 0; length <= Declaration.Length; length += 5)
        {
            string source = $"using CodeGenLstm;\n{Declaration.Substring(0, length)}\npublic partial class M;\n{Loop}\n";
            AssertNoAnalyzerException(GeneratorHarness.Compilation(source), source);
        }
    }

    [Fact]
    public void EveryPrefixOfATrainingLoop()
    {
        // The model is generated once; each prefix of the loop is added beside it.
        string model = "using CodeGenLstm;\n[Rnn(inputSize: 2, hiddenSize: 4)][Training(SequenceLength = 60, Optimizer = Optimizer.Adam)]\npublic partial class M;\n";
        Compilation generated = GeneratorHarness.Run(model).Output;
        for (int length = Loop.Length % 2; length <= Loop.Length; length += 2)
        {
            string loop = "using CodeGenLstm;\n" + Loop.Substring(0, length);
            SyntaxTree tree = CSharpSyntaxTree.ParseText(loop, GeneratorHarness.ParseOptions, path: "Loop.cs");
            ImmutableArray<Diagnostic> found = AssertNoAnalyzerException(generated.AddSyntaxTrees(tree), loop, tree);
            if (length == Loop.Length)  // the whole loop: the rules on code did run
                Assert.Equal(new[] { "CGL1008", "CGL1009", "CGL1013" }, found.Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void ModelsWithoutRecurrenceAreNotJudged()
    {
        // SGD without clipping on a model with no recurrent layer: nothing to say, and nothing to throw.
        AssertNoAnalyzerException("""
            using CodeGenLstm;
            [Embedding(vocabularySize: 10, dimension: 4)][Dense(outputSize: 2)]
            public partial class M;
            public static class T { public static void F(M m, Sgd s) { m.Backward(new float[1]); s.Step(m.Parameters, m.Gradients); } }
            """);
    }
}
