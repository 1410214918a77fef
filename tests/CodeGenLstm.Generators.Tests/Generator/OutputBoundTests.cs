using System.Linq;
using System.Text;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Parsing;
using CodeGenLstm.Generators.Tests.Fuzzing;
using CodeGenLstm.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The generated source of any declaration the maxima allow stays under the bound stated in
/// docs/diagnostics/CGL0016.md. Source grows with the stages (stacked layers) and with the distinct
/// shapes (each gets its own kernels); the maxima bound both: at most 32 layers in all and at most 8
/// layer attributes, each bringing at most two shapes. The declarations below are the largest we could
/// build under them: every attribute recurrent, bidirectional, with dropout and residual connections,
/// distinct sizes everywhere so that no kernel is shared.
/// </summary>
public class OutputBoundTests
{
    /// <summary>The bound docs/diagnostics/CGL0016.md states (characters of generated source per model).</summary>
    internal const int StatedBound = 2_500_000;

    [Theory]
    [InlineData("Lstm", "Lstm", "Lstm", true, false)]
    [InlineData("Lstm", "Lstm", "Lstm", true, true)]
    [InlineData("Lstm", "Gru", "Rnn", true, true)]
    [InlineData("Gru", "Gru", "Gru", false, false)]
    [InlineData("Rnn", "Lstm", "Gru", false, true)]
    public void LargestDeclarationsUnderTheMaximaStayUnderTheStatedBound(string first, string second, string third, bool bidirectional, bool longestNames)
    {
        string[] kinds = { first, second, third };
        // The longest identifiers C# accepts (512 characters), nested: the class's name is written at every kernel call.
        string outer = "O" + new string('o', 511), model = "M" + new string('m', 511);
        var declaration = new StringBuilder("using CodeGenLstm;\nnamespace Demo;\n");
        if (longestNames) declaration.Append($"public partial class {outer}\n{{\n");
        for (int i = 0; i < ModelLimits.MaxLayerAttributes; i++)
        {
            // 8 attributes x 4 stacked layers = 32 layers in all; sizes distinct and odd (vector tails in every kernel).
            string input = i == 0 ? ", inputSize: 3" : "";
            // Names are written into every tensor name; the longest allowed, or the default.
            string name = longestNames ? $", Name = \"{(char)('a' + i)}{new string('x', ModelLimits.MaxNameLength - 1)}\"" : "";
            declaration.Append($"[{kinds[i % 3]}(hiddenSize: {1001 + 2 * i}, layers: 4, bidirectional: {(bidirectional ? "true" : "false")}{input}, Dropout = 0.5f, Residual = true{name})]\n");
        }
        string metadataName = longestNames ? $"Demo.{outer}+{model}" : "Demo.Largest";
        declaration.Append(longestNames ? $"public partial class {model};\n}}\n" : "public partial class Largest;\n");

        AssertAllowedAndBounded(declaration.ToString(), metadataName);
    }

    [Fact]
    public void EmbeddingAndDenseAroundSixRecurrentAttributesStayUnderTheStatedBound()
    {
        var declaration = new StringBuilder("using CodeGenLstm;\nnamespace Demo;\n[Embedding(vocabularySize: 50000, dimension: 999)]\n");
        for (int i = 0; i < 6; i++)
            declaration.Append($"[{(i % 2 == 0 ? "Lstm" : "Gru")}(hiddenSize: {1001 + 2 * i}, layers: 5, bidirectional: true, Dropout = 0.5f)]\n");
        declaration.Append("[Dense(outputSize: 77, Readout = Readout.LastStep)]\npublic partial class Largest;\n");

        AssertAllowedAndBounded(declaration.ToString(), "Demo.Largest");
    }

    [Fact]
    public void NameLongerThanTheMaximumIsCgl0016()
    {
        // Was about 2,400 characters of generated source per character of Name in a deep model, without limit.
        string name = new string('n', ModelLimits.MaxNameLength + 1);
        string source = $"using CodeGenLstm;\n[Lstm(inputSize: 1, hiddenSize: 1, Name = \"{name}\")]\npublic partial class M;";
        var (_, output, _) = GeneratorHarness.Run(source);
        Diagnostic error = Assert.Single(GeneratorHarness.Analyze(output, new ModelConfigurationAnalyzer()), d => d.Id == "CGL0016");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("the length of Name is 65; the most supported is 64", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void NineLayerAttributesIsCgl0016AndEmitsOnlyThePlaceholder()
    {
        // The smallest reproducer of 4.1 MB of generated source (15 to 40 s of build) from attributes
        // that each passed their own maxima: 31 single-layer attributes of distinct sizes.
        string source = "using CodeGenLstm;\n[Lstm(inputSize: 1, hiddenSize: 1)]" +
                        string.Concat(Enumerable.Range(2, 8).Select(h => $"[Lstm(hiddenSize: {h})]")) +
                        "\npublic partial class M;";
        CaseOutcome outcome = GeneratorCaseRunner.Run(new[] { source });
        Assert.True(outcome.Class == CaseClass.Clean, outcome.Class + ": " + outcome.Detail);
        Assert.True(outcome.OutputChars < 20_000, $"{outcome.OutputChars} chars");

        var (result, output, _) = GeneratorHarness.Run(source);
        Assert.Contains("Placeholder", GeneratorHarness.Sources(result).Values.Single(), System.StringComparison.Ordinal);
        Diagnostic error = Assert.Single(
            GeneratorHarness.Analyze(output, new ModelConfigurationAnalyzer()), d => d.Id == "CGL0016");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("the number of layer attributes of 'M' is 9; the most supported is 8", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        // Reported on the ninth attribute, the first past the maximum.
        Assert.Equal("Lstm(hiddenSize: 9)", source.Substring(error.Location.SourceSpan.Start, error.Location.SourceSpan.Length));
    }

    /// <summary>The declaration has no configuration problem, and what the generator writes for it is under the bound.</summary>
    private static void AssertAllowedAndBounded(string source, string metadataName)
    {
        CSharpCompilation input = GeneratorHarness.Compilation(source);
        Assert.Empty(input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        INamedTypeSymbol type = input.GetTypeByMetadataName(metadataName)!;
        ModelDeclaration declaration = ModelParser.Parse(type, default);
        Assert.True(declaration.Problems.Count == 0, string.Join("; ", declaration.Problems.Select(p => p.Id + " " + string.Join(", ", p.MessageArgs))));
        Assert.NotNull(declaration.Spec);

        var (result, _, diagnostics) = GeneratorHarness.Run(source);
        Assert.Empty(diagnostics);
        int chars = result.Results.SelectMany(r => r.GeneratedSources).Sum(s => s.SourceText.Length);
        // Far above a placeholder: the model itself was generated, and it is under the bound.
        Assert.InRange(chars, 500_000, StatedBound);
    }
}
