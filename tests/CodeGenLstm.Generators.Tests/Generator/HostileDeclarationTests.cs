using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Tests.Fuzzing;
using CodeGenLstm.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The smallest reproducers of what fuzzing the generator found, each kept as a regression test. The
/// rule each one checks: for any input, either a CGL0 error that says why and no failing emitted
/// code, or emitted code that compiles; never a generator exception, never errors added to the user's.
/// </summary>
public class HostileDeclarationTests
{
    private const string Small = "[Lstm(inputSize: 2, hiddenSize: 3)]";

    private sealed record Checked(CaseOutcome Outcome, IReadOnlyDictionary<string, string> Generated, List<Diagnostic> Configuration);

    private static Checked Check(params string[] sources)
    {
        CaseOutcome outcome = GeneratorCaseRunner.Run(sources);
        var (result, output, _) = GeneratorHarness.Run(sources);
        var configuration = GeneratorHarness.Analyze(output, new ModelConfigurationAnalyzer(), new GradientStabilityAnalyzer())
            .Where(d => d.Id.StartsWith("CGL", System.StringComparison.Ordinal)).ToList();
        return new Checked(outcome, GeneratorHarness.Sources(result), configuration);
    }

    private static void AssertClean(Checked c) => Assert.True(c.Outcome.Class == CaseClass.Clean, c.Outcome.Class + ": " + c.Outcome.Detail);

    private static Diagnostic AssertError(Checked c, string id)
    {
        AssertClean(c);
        Diagnostic? found = c.Configuration.FirstOrDefault(d => d.Id == id);
        Assert.True(found is not null, $"expected {id}, got: {string.Join("; ", c.Configuration)}");
        Assert.Equal(DiagnosticSeverity.Error, found!.Severity);
        return found;
    }

    [Fact]
    public void TwoFileLocalModelsOfOneNameInTwoFiles()
    {
        // Was CS8785 (one hint name for both). A file-local class cannot take a part from another file: CGL0012.
        Checked c = Check($"using CodeGenLstm; {Small} file partial class M;", $"using CodeGenLstm; {Small} file partial class M;");
        Assert.Contains("file-local", AssertError(c, "CGL0012").GetMessage(), System.StringComparison.Ordinal);
        Assert.Empty(c.Generated);
    }

    [Fact]
    public void FileLocalModelBesideAnOrdinaryClassOfTheSameName()
    {
        // Was CS0260: the generated part joined the other file's ordinary class.
        Checked c = Check($"using CodeGenLstm; {Small} file partial class M;", "public class M { }");
        AssertError(c, "CGL0012");
        Assert.Empty(c.Generated);
    }

    [Fact]
    public void KeywordNamespaceGivesAValidHintName()
    {
        // Was CS8785: '@' in the hint name.
        Checked c = Check($"using CodeGenLstm; namespace @class; {Small} public partial class @event;");
        AssertClean(c);
        Assert.Equal(new[] { "class.event.g.cs" }, c.Generated.Keys);
    }

    [Fact]
    public void NamesThatDifferOnlyInCaseGetTwoFiles()
    {
        // Hint names must be unique ignoring case: the second name gets the positions of its capitals.
        Checked c = Check($"using CodeGenLstm; namespace Demo; {Small} public partial class Model;", $"using CodeGenLstm; namespace Demo; {Small} public partial class model;");
        AssertClean(c);
        Assert.Equal(2, c.Generated.Count);
        Assert.Equal(2, c.Generated.Keys.Select(k => k.ToUpperInvariant()).Distinct().Count());
        Assert.Contains("Demo.Model.case_0_5.g.cs", c.Generated.Keys);
    }

    [Fact]
    public void NestedModelKeepsItsDottedHintName()
    {
        Checked c = Check($"using CodeGenLstm; namespace Demo; public partial class Outer {{ {Small} public partial class Model; }}");
        AssertClean(c);
        Assert.Equal(new[] { "Demo.Outer.Model.g.cs" }, c.Generated.Keys);
    }

    [Fact]
    public void NothingIsGeneratedForAClassWithoutANameYet()
    {
        // Was 396 errors under the user's one CS1001.
        Checked c = Check($"using CodeGenLstm; {Small} public partial class ");
        AssertClean(c);
        Assert.Empty(c.Generated);
    }

    [Fact]
    public void HugeHiddenSizeIsAnErrorBeforeEmission()
    {
        // Was a passed parameter check (overflowed long arithmetic) and `new float[-195]`.
        Checked c = Check("using CodeGenLstm; [Gru(int.MaxValue, inputSize: 64)] public partial class M;");
        Diagnostic error = AssertError(c, "CGL0016");
        Assert.Contains("hiddenSize is 2147483647; the most supported is 16777216", error.GetMessage(), System.StringComparison.Ordinal);
        AssertError(c, "CGL0011");
        Assert.DoesNotContain("new float[-", string.Concat(c.Generated.Values), System.StringComparison.Ordinal);
    }

    [Fact]
    public void ParameterCountOfMaximalIntSizesSaturatesInsteadOfOverflowing()
    {
        // 3 * (2^31 - 1) * (2 * (2^31 - 1) + 2) is about 2.8e19, past long.MaxValue (9.2e18).
        var layer = new global::CodeGenLstm.Generators.Model.LayerSpec(global::CodeGenLstm.Generators.Model.LayerKind.Gru, "gru", int.MaxValue, int.MaxValue, int.MaxValue, true,
            global::CodeGenLstm.Generators.Model.ActivationKind.Tanh, global::CodeGenLstm.Generators.Model.InitKind.Uniform, 1f, 1f, 0f, false,
            global::CodeGenLstm.Generators.Model.ReadoutKind.EachStep);
        Assert.Equal(long.MaxValue, Parsing.ModelParser.LayerParameterCount(layer));
        var small = layer with { InputSize = 2, Units = 3, StackedLayers = 1, Bidirectional = false };
        Assert.Equal(3L * 3 * (2 + 3 + 2), Parsing.ModelParser.LayerParameterCount(small));  // 3 gates x H rows x (I + H + 2 biases)
    }

    [Fact]
    public void HundredThousandLayersIsAnErrorAndEmitsOnlyThePlaceholder()
    {
        // Was no answer at all (20 KB of source per stacked layer).
        Checked c = Check("using CodeGenLstm; [Lstm(inputSize: 1, hiddenSize: 1, layers: 100000)] public partial class M;");
        Assert.Contains("layers is 100000; the most supported is 16", AssertError(c, "CGL0016").GetMessage(), System.StringComparison.Ordinal);
        Assert.True(c.Outcome.OutputChars < 20_000, $"{c.Outcome.OutputChars} chars");
        Assert.Contains("Placeholder", c.Generated.Values.Single(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyLayersInAllIsAnError()
    {
        Checked c = Check("using CodeGenLstm; [Lstm(inputSize: 1, hiddenSize: 1, layers: 16)][Gru(hiddenSize: 1, layers: 16)][Dense(1)] public partial class M;");
        Assert.Contains("the most supported is 32", AssertError(c, "CGL0016").GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("float.PositiveInfinity")]
    [InlineData("float.NaN")]
    public void NonFiniteLearningRateIsCgl0013AndNeverAGarbageCgl1013(string rate)
    {
        Checked c = Check($"using CodeGenLstm; {Small}[Training(Optimizer = Optimizer.Adam, LearningRate = {rate})] public partial class M;");
        AssertError(c, "CGL0013");
        Assert.DoesNotContain(c.Configuration, d => d.Id == "CGL1013");
    }

    [Fact]
    public void NonFiniteLearningRateInCodeGivesNoCgl1013()
    {
        // Was "infinity > 1e-2 ... infinityx".
        Checked c = Check($"using CodeGenLstm; {Small} public partial class M; public static class Use {{ public static Adam Make() => new Adam(M.ParameterCount, learningRate: float.PositiveInfinity); }}");
        AssertClean(c);
        Assert.DoesNotContain(c.Configuration, d => d.Id == "CGL1013");
    }

    [Fact]
    public void PowerOfANonFiniteBaseIsPrintedInWords()
    {
        Assert.Equal("NaN", global::CodeGenLstm.Generators.Analyzers.Numbers.Power(double.NaN, 3));
        Assert.Equal("infinity", global::CodeGenLstm.Generators.Analyzers.Numbers.Power(double.PositiveInfinity, 3));
    }

    [Fact]
    public void PrimaryConstructorIsCgl0012()
    {
        // Was CS0111 and CS8862 in generated code.
        Checked c = Check($"using CodeGenLstm; {Small} public partial class M(int x) {{ public int X => x; }}");
        Assert.Contains("primary constructor", AssertError(c, "CGL0012").GetMessage(), System.StringComparison.Ordinal);
        Assert.Empty(c.Generated);
    }

    [Fact]
    public void BaseClassWithoutAParameterlessConstructorIsCgl0012()
    {
        Checked c = Check($"using CodeGenLstm; public class B {{ public B(int x) {{ _ = x; }} }} {Small} public partial class M : B;");
        Assert.Contains("'B'", AssertError(c, "CGL0012").GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void BaseClassWithAnOptionalArgumentConstructorIsFine() =>
        AssertClean(Check($"using CodeGenLstm; public class B {{ protected B(int x = 1) {{ _ = x; }} }} {Small} public partial class M : B;"));

    [Theory]
    [InlineData("private int _batch;", "'_batch'")]
    [InlineData("private void RunStage(int stage, bool backward, long flops) { }", "'RunStage(int,bool,long)'")]
    [InlineData("private sealed class StageWork { }", "'StageWork'")]
    [InlineData("public int Forward;", "'Forward(")]
    [InlineData("public M() { }", "the constructor M()")]
    [InlineData("private int nameof(int x) => x;", "nameof")]
    [InlineData("private long _callThread;", "'_callThread'")]
    [InlineData("private void CarryFinalState(int batch) { }", "'CarryFinalState(int)'")]
    [InlineData("public int GrowWorkspace;", "'GrowWorkspace(")]
    public void UserMemberNamedLikeAGeneratedOneIsCgl0017(string member, string named)
    {
        // Was CS0102 / CS0111 / CS0542 in generated code, with no CGL error.
        Checked c = Check($"using CodeGenLstm; {Small} public partial class M {{ {member} }}");
        Assert.Contains(named, AssertError(c, "CGL0017").GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void MemberInTheOtherPartialPartIsCgl0017()
    {
        Checked c = Check($"using CodeGenLstm; {Small} public partial class M;", "public partial class M { private int _steps; }");
        Assert.Contains("'_steps'", AssertError(c, "CGL0017").GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void ClassNamedLikeAGeneratedMemberIsCgl0017()
    {
        Checked c = Check($"using CodeGenLstm; {Small} public partial class Forward;");
        Assert.Contains("own name 'Forward'", AssertError(c, "CGL0017").GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public void Forward(float[] x) { _ = x; }")]
    [InlineData("public override string ToString() => \"model\";")]
    [InlineData("private int _hidden;")]
    public void OverloadsAndOtherMembersCompile(string member) =>
        AssertClean(Check($"using CodeGenLstm; {Small} public partial class M {{ {member} }}"));

    [Theory]
    [InlineData("public class MKernels { }")]
    [InlineData("public class var { }")]
    [InlineData("public class Rng { }")]
    [InlineData("public class RecurrentBuffers { }")]
    [InlineData("public class Span<T> { }")]
    public void TypesOfTheUsersNamespaceDoNotCaptureGeneratedReferences(string sibling)
    {
        Checked c = Check($"using CodeGenLstm; namespace Demo; {Small} public partial class M; {sibling}");
        AssertClean(c);
        Assert.DoesNotContain(c.Configuration, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Single(c.Generated);
    }

    [Fact]
    public void GlobalTypeNamedSystemIsCgl0017AndNothingIsEmitted()
    {
        Checked c = Check($"using CodeGenLstm; {Small} public partial class M; public class System {{ }}");
        Assert.Contains("'System'", AssertError(c, "CGL0017").GetMessage(), System.StringComparison.Ordinal);
        Assert.Empty(c.Generated);
    }
}
