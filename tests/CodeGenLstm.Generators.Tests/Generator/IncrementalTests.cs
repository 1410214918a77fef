using System.Linq;
using CodeGenLstm.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The parse step is cached: an edit that does not touch a model leaves its step Cached (another file)
/// or Unchanged (the same file, re-parsed to an equal model), and nothing is regenerated; a size change
/// regenerates.
/// </summary>
public class IncrementalTests
{
    private const string Model = """
        using CodeGenLstm;
        namespace Demo;

        [Lstm(inputSize: 8, hiddenSize: 16, layers: 2)]
        public partial class Encoder;

        public static class Helpers { public static int One() => 1; }
        """;

    private const string Other = """
        namespace Demo;
        public static class Program { public static int Main() => 0; }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Model, Other);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        return (driver, compilation);
    }

    private static IncrementalStepRunReason[] ModelStepReasons(GeneratorDriver driver) =>
        driver.GetRunResult().Results[0].TrackedSteps[ModelGenerator.ModelSpecStep]
            .SelectMany(step => step.Outputs)
            .Select(output => output.Reason)
            .ToArray();

    private static IncrementalStepRunReason[] SourceOutputReasons(GeneratorDriver driver) =>
        driver.GetRunResult().Results[0].TrackedOutputSteps
            .SelectMany(step => step.Value)
            .SelectMany(step => step.Outputs)
            .Select(output => output.Reason)
            .ToArray();

    [Fact]
    public void AnEditInAnotherFileLeavesTheModelCached()
    {
        var (driver, compilation) = FirstRun();
        SyntaxTree other = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(other,
            CSharpSyntaxTree.ParseText(Other + "\npublic static class More { }", GeneratorHarness.ParseOptions, path: other.FilePath));

        driver = driver.RunGenerators(edited);

        Assert.NotEmpty(ModelStepReasons(driver));
        Assert.All(ModelStepReasons(driver), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(SourceOutputReasons(driver), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void AnUnrelatedEditInTheModelsFileLeavesTheModelUnchanged()
    {
        var (driver, compilation) = FirstRun();
        SyntaxTree modelTree = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(modelTree,
            CSharpSyntaxTree.ParseText(Model.Replace("=> 1;", "=> 2;"), GeneratorHarness.ParseOptions, path: modelTree.FilePath));

        driver = driver.RunGenerators(edited);

        Assert.NotEmpty(ModelStepReasons(driver));
        Assert.All(ModelStepReasons(driver), reason =>
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, reason.ToString()));
        Assert.All(SourceOutputReasons(driver), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void ASizeChangeRegeneratesTheModel()
    {
        var (driver, compilation) = FirstRun();
        string before = GeneratorHarness.Sources(driver.GetRunResult()).Single().Value;
        SyntaxTree modelTree = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(modelTree,
            CSharpSyntaxTree.ParseText(Model.Replace("hiddenSize: 16", "hiddenSize: 24"), GeneratorHarness.ParseOptions, path: modelTree.FilePath));

        driver = driver.RunGenerators(edited);

        Assert.Contains(IncrementalStepRunReason.Modified, ModelStepReasons(driver));
        string after = GeneratorHarness.Sources(driver.GetRunResult()).Single().Value;
        Assert.NotEqual(before, after);
        Assert.Contains("public const int ParameterCount = " + (4 * 24 * (8 + 24 + 2) + 4 * 24 * (24 + 24 + 2)).ToString(System.Globalization.CultureInfo.InvariantCulture), after);
    }

    private const string Broken = """
        using CodeGenLstm;
        namespace Demo;

        [Lstm(inputSize: 8, hiddenSize: 0)]
        public partial class Encoder;

        public static class Helpers { public static int One() => 1; }
        """;

    private static IncrementalStepRunReason[] PlaceholderStepReasons(GeneratorDriver driver) =>
        driver.GetRunResult().Results[0].TrackedSteps[ModelGenerator.PlaceholderStep]
            .SelectMany(step => step.Outputs)
            .Select(output => output.Reason)
            .ToArray();

    [Fact]
    public void APlaceholderIsCachedAsAModelIsAndReplacedByTheModelOnceTheErrorIsFixed()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Broken, Other);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Assert.Contains("placeholder, not a model", GeneratorHarness.Sources(driver.GetRunResult()).Single().Value, System.StringComparison.Ordinal);

        // An unrelated edit in the same file: re-parsed to an equal placeholder, nothing regenerated.
        SyntaxTree modelTree = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(modelTree,
            CSharpSyntaxTree.ParseText(Broken.Replace("=> 1;", "=> 2;"), GeneratorHarness.ParseOptions, path: modelTree.FilePath));
        driver = driver.RunGenerators(edited);
        Assert.NotEmpty(PlaceholderStepReasons(driver));
        Assert.All(PlaceholderStepReasons(driver), reason =>
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, reason.ToString()));
        Assert.All(SourceOutputReasons(driver), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));

        // The fix: the model replaces the placeholder under the same hint name.
        CSharpCompilation fixedCompilation = edited.ReplaceSyntaxTree(edited.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText(Broken.Replace("hiddenSize: 0", "hiddenSize: 16"), GeneratorHarness.ParseOptions, path: modelTree.FilePath));
        driver = driver.RunGenerators(fixedCompilation);
        var (hint, text) = GeneratorHarness.Sources(driver.GetRunResult()).Single();
        Assert.Equal("Demo.Encoder.g.cs", hint);
        Assert.DoesNotContain("placeholder", text, System.StringComparison.Ordinal);
        Assert.Contains(IncrementalStepRunReason.New, ModelStepReasons(driver));
    }
}
