using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// A declaration with a CGL0 error: the user sees that error alone, not a cascade of CS1061, CS1729,
/// CS0117, CS1739 from every line that uses the model. The generator adds a placeholder part where the
/// class can take one, and nothing where the class's shape is the error (then only the errors the
/// user's source has anyway remain). Compiled the way a build compiles: the real generator, both
/// analyzers, warning level 9999 with warnings as errors.
/// </summary>
public class PlaceholderTests
{
    /// <summary>A program that uses a float-input model M in all the usual ways.</summary>
    private const string FloatUsage = """
        using System;
        using System.Collections.Generic;
        using CodeGenLstm;
        {0}

        public static class Usage
        {
            public static float Train(string checkpoint)
            {
                var model = new M(seed: 1);
                var fresh = new M();
                const int batch = 2, steps = 3;
                float[] input = new float[batch * steps * M.InputSize];
                float[] output = new float[batch * steps * M.OutputSize];
                float[] outputGradient = new float[output.Length];
                model.Forward(input, batch, steps, output, lengths: new[] { 3, 2 }, training: true);
                float loss = Loss.MeanSquaredError(output, new float[output.Length], outputGradient);
                float[] inputGradient = new float[input.Length];
                model.Backward(outputGradient, inputGradient);
                Clip.GlobalNorm(model.Gradients, 1f);
                var adam = new Adam(M.ParameterCount, learningRate: 1e-3f);
                adam.Step(model.Parameters, model.Gradients);
                model.ZeroGradients();
                ReadOnlySpan<float> norms = model.StepGradientNorms;
                model.Stateful = true;
                model.UseScalarKernels = false;
                model.SetInitialState(new float[batch * M.StateSize], new float[batch * M.CellStateSize]);
                model.GetFinalState(new float[batch * M.StateSize]);
                model.ResetState();
                Safetensors.Write(checkpoint, model.ExportParameters());
                fresh.ImportParameters(Safetensors.Read(checkpoint));
                fresh.ImportParameters(Safetensors.Read(checkpoint), prefix: "model.");
                IReadOnlyList<NamedTensor> gradients = model.ExportGradients();
                IFloatSequenceModel asInterface = model;
                asInterface.Forward(input, batch, steps, output);
                ISequenceModel general = model;
                var trainer = new Trainer(model, new Sgd(M.ParameterCount, learningRate: 0.1f), clipNorm: 1f);
                GradientFlowReport report = GradientFlow.Analyze(model);
                return loss + norms.Length + gradients.Count + general.ParameterCount + asInterface.KernelPath.Length
                    + (trainer is null ? 0 : 1) + (report is null ? 0 : 1) + model.Parameters.Length / M.InputSize;
            }
        }
        """;

    /// <summary>The same for a model whose first layer is [Embedding]: token ids in.</summary>
    private const string TokenUsage = """
        using System;
        using System.Collections.Generic;
        using CodeGenLstm;
        {0}

        public static class Usage
        {
            public static float Train(string checkpoint)
            {
                var model = new M(seed: 1);
                const int batch = 2, steps = 3;
                int[] tokens = new int[batch * steps];
                float[] output = new float[batch * steps * M.OutputSize];
                float[] outputGradient = new float[output.Length];
                model.Forward(tokens, batch, steps, output, training: true);
                model.Backward(outputGradient);
                var adam = new Adam(M.ParameterCount, learningRate: 1e-3f);
                Clip.GlobalNorm(model.Gradients, 1f);
                adam.Step(model.Parameters, model.Gradients);
                Safetensors.Write(checkpoint, model.ExportParameters());
                new M().ImportParameters(Safetensors.Read(checkpoint));
                ITokenSequenceModel asInterface = model;
                asInterface.Forward(tokens, batch, steps, output);
                return asInterface.VocabularySize + M.StateSize + model.StepGradientNorms.Length;
            }
        }
        """;

    private static string Usage(bool tokens, string alias = "") => (tokens ? TokenUsage : FloatUsage).Replace("{0}", alias, StringComparison.Ordinal);

    /// <summary>Everything a build reports at warning level 9999 with warnings as errors: the compiler's and both analyzers'.</summary>
    private static List<Diagnostic> Build(Compilation compilation)
    {
        var compiler = GeneratorHarness.CompileErrors(compilation);
        var analyzers = GeneratorHarness.Analyze(compilation, new ModelConfigurationAnalyzer(), new GradientStabilityAnalyzer())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning);
        return compiler.Concat(analyzers).ToList();
    }

    private static string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => d.ToString()));

    [Fact]
    public void TheUsageCompilesCleanlyAgainstAValidModel()
    {
        // The control: both programs are valid code, so every error in the tests below comes from the declaration.
        foreach (var (declaration, tokens) in new[]
        {
            ("[Lstm(inputSize: 4, hiddenSize: 8)][Dense(outputSize: 1)] public partial class M;", false),
            ("[Embedding(vocabularySize: 10, dimension: 4)][Gru(hiddenSize: 8)] public partial class M;", true),
        })
        {
            var (_, output, _) = GeneratorHarness.Run("using CodeGenLstm;\n" + declaration, Usage(tokens));
            Assert.True(Build(output).Count == 0, Describe(Build(output)));
        }
    }

    public static IEnumerable<object[]> LayerErrors() => new[]
    {
        // (declaration, the CGL0 errors expected, token input)
        new object[] { "[Lstm(inputSize: 4, hiddenSize: -1)] public partial class M;", "CGL0003", false },
        new object[] { "[Lstm(inputSize: 0, hiddenSize: 32)] public partial class M;", "CGL0004", false },
        new object[] { "[Gru(hiddenSize: 32)][Dense(outputSize: 1)] public partial class M;", "CGL0004", false },
        new object[] { "[Lstm(inputSize: 4, hiddenSize: 8)][Embedding(vocabularySize: 10, dimension: 4)] public partial class M;", "CGL0005", false },
        new object[] { "[Lstm(inputSize: 4, hiddenSize: 8)][Dense(outputSize: 3, Readout = Readout.LastStep)][Dense(outputSize: 1)] public partial class M;", "CGL0006", false },
        new object[] { "[Lstm(inputSize: 8, hiddenSize: 32, bidirectional: true)][Gru(hiddenSize: 16, inputSize: 32)] public partial class M;", "CGL0007", false },
        new object[] { "[Lstm(inputSize: 8, hiddenSize: 32, Dropout = 1f)] public partial class M;", "CGL0008", false },
        new object[] { "[Lstm(inputSize: 8, hiddenSize: 32, Init = RecurrentInit.Identity)] public partial class M;", "CGL0009", false },
        new object[] { "[Lstm(inputSize: 8, hiddenSize: 32, Name = \"enc\")][Gru(hiddenSize: 32, Name = \"enc\")] public partial class M;", "CGL0010", false },
        new object[] { "[Embedding(vocabularySize: 2000000, dimension: 1024)] public partial class M;", "CGL0011", true },
        new object[] { "[Lstm(inputSize: 8, hiddenSize: 32)][Training(ClipNorm = -1f)] public partial class M;", "CGL0013", false },
        new object[] { "[Dense(outputSize: 1)][Lstm(inputSize: 4, hiddenSize: 8)] public partial class M;", "CGL0015", false },
        new object[] { "[Embedding(vocabularySize: 0, dimension: 4)][Lstm(hiddenSize: 8)] public partial class M;", "CGL0003", true },
        new object[] { "[Lstm(inputSize: -2, hiddenSize: 0)][Gru(hiddenSize: 4, inputSize: 3)] public partial class M;", "CGL0003,CGL0007", false },
        // Layers on two declarations: a placeholder part is a third declaration of the partial class, which compiles.
        new object[] { "[Lstm(inputSize: 4, hiddenSize: 8)] public partial class M; [Dense(outputSize: 1)] public partial class M;", "CGL0002", false },
        new object[] { "[Embedding(vocabularySize: 10, dimension: 4)] public partial class M; [Lstm(hiddenSize: 8)] public partial class M { }", "CGL0002", true },
        new object[] { "namespace Deep.Inside { public static partial class Outer { [Lstm(inputSize: 4, hiddenSize: 0)] public partial class M; } }", "CGL0003", false },
    };

    [Theory]
    [MemberData(nameof(LayerErrors))]
    public void ALayerErrorStandsAlone(string declaration, string ids, bool tokens)
    {
        string alias = declaration.Contains("Deep.Inside", StringComparison.Ordinal) ? "using M = Deep.Inside.Outer.M;" : "";
        var (result, output, generatorDiagnostics) = GeneratorHarness.Run("using CodeGenLstm;\n" + declaration, Usage(tokens, alias));
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        Assert.Empty(generatorDiagnostics);

        List<Diagnostic> reported = Build(output);
        Assert.True(reported.All(d => d.Id.StartsWith("CGL0", StringComparison.Ordinal)), "more than the CGL0 errors:\n" + Describe(reported));
        Assert.Equal(ids.Split(','), reported.Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal));
        Assert.All(reported, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Contains("placeholder, not a model", Assert.Single(GeneratorHarness.Sources(result)).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void ALayerAttributeThatDoesNotCompileLeavesOnlyTheCompilersErrorOnIt()
    {
        const string declaration = "[Lstm(inputSize: 4, hiddenSize: \"wide\")][Dense(outputSize: 1)] public partial class M;";
        var (_, output, _) = GeneratorHarness.Run("using CodeGenLstm;\n" + declaration, Usage(tokens: false));
        List<Diagnostic> reported = Build(output);
        Assert.NotEmpty(reported);
        Assert.True(reported.All(d => d.Location.SourceTree == output.SyntaxTrees.First() && d.Location.SourceSpan.Start < "using CodeGenLstm;\n".Length + declaration.Length),
            "errors outside the declaration:\n" + Describe(reported));
    }

    public static IEnumerable<object[]> ClassShapeErrors() => new[]
    {
        // (declaration, alias for M in the usage, the CGL0 errors expected)
        new object[] { "[Lstm(inputSize: 4, hiddenSize: 8)] public class M;", "", "CGL0001" },
        new object[] { "public class Outer { [Lstm(inputSize: 4, hiddenSize: 8)] public partial class M; }", "using M = Outer.M;", "CGL0001" },
        new object[] { "[Lstm(inputSize: 4, hiddenSize: 0)] public class M;", "", "CGL0001,CGL0003" },
        new object[] { "[Lstm(inputSize: 4, hiddenSize: 8)] public static partial class M;", "", "CGL0012" },
        new object[] { "[Lstm(inputSize: 4, hiddenSize: 8)] public partial class M<T>;", "using M = M<int>;", "CGL0012" },
        new object[] { "public partial class Outer<T> { [Lstm(inputSize: 4, hiddenSize: 8)] public partial class M; }", "using M = Outer<int>.M;", "CGL0012" },
        new object[] { "[Lstm(inputSize: 4, hiddenSize: 8)] public partial record M;", "", "CGL0012" },
        new object[] { "[Lstm(inputSize: 4, hiddenSize: 8)] public partial struct M;", "", "CGL0012" },
    };

    [Theory]
    [MemberData(nameof(ClassShapeErrors))]
    public void AClassShapeErrorAddsNothingToTheUsersErrors(string declaration, string alias, string ids)
    {
        string source = "using CodeGenLstm;\n" + declaration, usage = Usage(tokens: false, alias);
        var (result, output, generatorDiagnostics) = GeneratorHarness.Run(source, usage);
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        Assert.Empty(generatorDiagnostics);
        Assert.Empty(GeneratorHarness.Sources(result));

        // The errors of the user's source compiled without any generator: what the user's code has anyway.
        var anyway = GeneratorHarness.CompileErrors(GeneratorHarness.Compilation(source, usage)).Select(d => d.ToString()).ToHashSet();
        List<Diagnostic> reported = Build(output);
        Assert.Equal(ids.Split(','), reported.Where(d => d.Id.StartsWith("CGL", StringComparison.Ordinal)).Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal));
        Assert.Equal(anyway.OrderBy(s => s, StringComparer.Ordinal),
            reported.Where(d => !d.Id.StartsWith("CGL", StringComparison.Ordinal)).Select(d => d.ToString()).OrderBy(s => s, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("namespace Lab; [Lstm(inputSize: 4, hiddenSize: 0)][Dense(outputSize: 1, Readout = Readout.LastStep)][Dense(outputSize: 2)] public partial class M;",
        "Lab.M", "configuration errors CGL0003, CGL0006", "docs/diagnostics/CGL0003.md, docs/diagnostics/CGL0006.md", false)]
    [InlineData("[Embedding(vocabularySize: 10, dimension: 4)][Lstm(hiddenSize: 8, Dropout = 2f)] public partial class M;",
        "M", "configuration error CGL0008", "docs/diagnostics/CGL0008.md", true)]
    public void EveryMemberOfThePlaceholderThrowsNamingTheClassAndTheIds(string declaration, string name, string errors, string pages, bool tokens)
    {
        var (_, output, _) = GeneratorHarness.Run("using CodeGenLstm;\n" + declaration);
        var context = new AssemblyLoadContext("placeholder", isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(new MemoryStream(GeneratorHarness.Emit(output)));
            Type type = assembly.GetType(name, throwOnError: true)!;
            string expected = $"'{name}' has no generated model: its declaration has {errors} (see the build's errors and {pages}).";

            void Throws(Action call, string member)
            {
                var error = Assert.Throws<TargetInvocationException>(call).InnerException;
                Assert.True(error is InvalidOperationException, $"{member}: {error}");
                Assert.StartsWith(expected, error!.Message, StringComparison.Ordinal);
            }
            Throws(() => Activator.CreateInstance(type, 1), "M(int seed)");
            Throws(() => Activator.CreateInstance(type), "M()");

            // The instance members, on an instance made without a constructor (as a user's subclass could reach them).
            object model = System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
            Assert.True(model is ISequenceModel);
            Assert.Equal(tokens, model is ITokenSequenceModel);
            Assert.Equal(!tokens, model is IFloatSequenceModel);
            var members = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Concat(type.GetInterfaces().SelectMany(i => type.GetInterfaceMap(i).TargetMethods))
                .Distinct()
                .ToList();
            Assert.True(members.Count >= 20, $"only {members.Count} members");
            int invoked = 0;
            foreach (MethodInfo method in members)
            {
                // Spans cannot go through reflection: the members that take or return one are called through the interfaces below.
                if (method.ReturnType.IsByRefLike || method.GetParameters().Any(p => p.ParameterType.IsByRefLike)) continue;
                object?[] arguments = method.GetParameters().Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null).ToArray();
                Throws(() => method.Invoke(model, arguments), method.Name);
                invoked++;
            }
            Assert.True(invoked >= 15, $"only {invoked} members invoked");
            var asModel = (ISequenceModel)model;
            Assert.StartsWith(expected, Assert.Throws<InvalidOperationException>(() => asModel.Backward(default)).Message, StringComparison.Ordinal);
            Assert.StartsWith(expected, Assert.Throws<InvalidOperationException>(() => asModel.SetInitialState(default)).Message, StringComparison.Ordinal);
            Assert.StartsWith(expected, Assert.Throws<InvalidOperationException>(() => asModel.GetFinalState(default)).Message, StringComparison.Ordinal);
            Assert.StartsWith(expected, Assert.Throws<InvalidOperationException>(() => asModel.Parameters.Length).Message, StringComparison.Ordinal);
            Assert.StartsWith(expected, Assert.Throws<InvalidOperationException>(() => asModel.StepGradientNorms.Length).Message, StringComparison.Ordinal);
            Exception forward = tokens
                ? Assert.Throws<InvalidOperationException>(() => ((ITokenSequenceModel)model).Forward(default, 1, 1, default))
                : Assert.Throws<InvalidOperationException>(() => ((IFloatSequenceModel)model).Forward(default, 1, 1, default));
            Assert.StartsWith(expected, forward.Message, StringComparison.Ordinal);
        }
        finally
        {
            context.Unload();
        }
    }
}
