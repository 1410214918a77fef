using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Generators.Tests.Infrastructure;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>The generated code of every kind of declaration compiles at warning level 9999 with warnings as errors.</summary>
public class CompilationTests
{
    public static IEnumerable<object[]> Declarations()
    {
        string[] cells = { "Lstm", "Gru", "Rnn" };
        foreach (string cell in cells)
            foreach (bool bidirectional in new[] { false, true })
                foreach (int layers in new[] { 1, 3 })
                {
                    string b = bidirectional ? "true" : "false";
                    yield return new object[] { $"[{cell}(inputSize: 5, hiddenSize: 4, layers: {layers}, bidirectional: {b})]" };
                    yield return new object[] { $"[Embedding(vocabularySize: 11, dimension: 3)][{cell}(hiddenSize: 17, layers: {layers}, bidirectional: {b}, Dropout = 0.5f, Residual = true)][Dense(outputSize: 2, Readout = Readout.LastStep)]" };
                    yield return new object[] { $"[{cell}(inputSize: 1, hiddenSize: 33, layers: {layers}, bidirectional: {b}, Init = RecurrentInit.Orthogonal)][Dense(outputSize: 3)][{cell}(hiddenSize: 2)]" };
                }
        yield return new object[] { "[Rnn(inputSize: 4, hiddenSize: 4, Activation = Activation.Sigmoid, Init = RecurrentInit.Identity)]" };
        yield return new object[] { "[Embedding(vocabularySize: 3, dimension: 2)]" };
        yield return new object[] { "[Embedding(vocabularySize: 3, dimension: 2)][Dense(outputSize: 1)]" };
        yield return new object[] { "[Lstm(inputSize: 3, hiddenSize: 2, Name = \"a\\\"b\\\\c.d\")][Lstm(hiddenSize: 2, Name = \"a_b_c_d\")]" };
    }

    [Theory]
    [MemberData(nameof(Declarations))]
    public void GeneratedCodeCompilesWithEveryWarningAnError(string attributes)
    {
        var (result, output, _) = GeneratorHarness.Run($$"""
            using CodeGenLstm;
            namespace User;
            {{attributes}}
            public partial class Model { }
            """);
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        Assert.Single(GeneratorHarness.Sources(result));
        Assert.Empty(GeneratorHarness.CompileErrors(output));
        Assert.NotEmpty(GeneratorHarness.Emit(output));
    }

    [Fact]
    public void TwoModelsWithTheSameNameInTwoNamespacesDoNotClash()
    {
        var (result, output, _) = GeneratorHarness.Run(
            "using CodeGenLstm; namespace A { [Lstm(inputSize: 2, hiddenSize: 3)] public partial class M; }",
            "using CodeGenLstm; namespace B { [Gru(inputSize: 2, hiddenSize: 3)] public partial class M; }",
            "using CodeGenLstm; [Rnn(inputSize: 2, hiddenSize: 3)] public partial class M;");
        Assert.Equal(new[] { "A.M.g.cs", "B.M.g.cs", "M.g.cs" }, GeneratorHarness.Sources(result).Keys.OrderBy(k => k));
        Assert.Empty(GeneratorHarness.CompileErrors(output));
    }

    [Fact]
    public void AModelFoundThroughSeveralAttributeTypesIsGeneratedOnce()
    {
        var (result, output, diagnostics) = GeneratorHarness.Run(
            "using CodeGenLstm; [Gru(inputSize: 2, hiddenSize: 3)][Lstm(hiddenSize: 4)][Rnn(hiddenSize: 2)][Dense(outputSize: 1)] public partial class M;");
        Assert.Single(GeneratorHarness.Sources(result));
        Assert.DoesNotContain(diagnostics, d => d.Id == "CS8785");
        Assert.Empty(GeneratorHarness.CompileErrors(output));
    }

    [Fact]
    public void UserTypesNamedLikeFrameworkTypesDoNotCaptureGeneratedNames()
    {
        var (result, output, _) = GeneratorHarness.Run("""
            using CodeGenLstm;
            namespace User
            {
                public class Span { }
                public class Array { }
                public class Math { }
                public class NamedTensor { }
                public class Rng { }
                [Lstm(inputSize: 2, hiddenSize: 3, Init = RecurrentInit.Orthogonal)]
                public partial class Model;
            }
            """);
        Assert.Single(GeneratorHarness.Sources(result));
        Assert.Empty(GeneratorHarness.CompileErrors(output));
    }
}
