using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using CodeGenLstm.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace CodeGenLstm.Generators.Tests.Analyzers;

/// <summary>
/// Microsoft.CodeAnalysis.Testing set up to work offline: no reference-assembly package is resolved
/// (ReferenceAssemblies.Net.Net100 would download one); the .NET 10 reference assemblies come from
/// Basic.Reference.Assemblies and the CodeGenLstm runtime from its build output. The generator runs,
/// as in a user's build, so the analyzers see the generated members (ParameterCount, Gradients, ...).
/// User code is compiled with nullable on, and any compiler error fails the test.
/// </summary>
internal static class TestSetup
{
    /// <summary>A framework with no package: nothing to download, the references are added explicitly.</summary>
    public static readonly ReferenceAssemblies NoPackages = new("net10.0");

    public static readonly ImmutableArray<MetadataReference> References =
        Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(LstmAttribute).Assembly.Location))
            .ToImmutableArray();

    public static void Configure(SolutionState state)
    {
        state.AdditionalReferences.AddRange(References);
    }

    public static CompilationOptions Options(CompilationOptions options) =>
        ((CSharpCompilationOptions)options).WithNullableContextOptions(NullableContextOptions.Enable);

    public static readonly IEnumerable<Type> Generators = new[] { typeof(ModelGenerator) };
}

/// <summary>Runs <see cref="GradientStabilityAnalyzer"/> (and the generator) on source with markup.</summary>
internal sealed class GradientTest : CSharpAnalyzerTest<GradientStabilityAnalyzer, DefaultVerifier>
{
    public GradientTest(string source, params DiagnosticResult[] expected)
    {
        TestCode = source;
        ReferenceAssemblies = TestSetup.NoPackages;
        TestSetup.Configure(TestState);
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        ExpectedDiagnostics.AddRange(expected);
    }

    protected override CompilationOptions CreateCompilationOptions() => TestSetup.Options(base.CreateCompilationOptions());

    /// <summary>
    /// Run the generator too. Needed only where the test code uses generated members; compiling the
    /// generated kernels is most of a test's time, so the attribute-only tests leave it off.
    /// </summary>
    public bool WithGenerator { get; set; }

    protected override IEnumerable<Type> GetSourceGenerators() => WithGenerator ? TestSetup.Generators : Array.Empty<Type>();

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        new GradientTest(source, expected).RunAsync(CancellationToken.None);

    /// <summary>As <see cref="VerifyAsync"/>, with the generator: for code that uses generated members.</summary>
    public static Task VerifyWithGeneratorAsync(string source, params DiagnosticResult[] expected) =>
        new GradientTest(source, expected) { WithGenerator = true }.RunAsync(CancellationToken.None);

    /// <summary>
    /// CGL1012's onset for an LSTM at this library's default forget bias 1, worked by hand: sigma(1) = 0.731059,
    /// horizon -1/ln(0.731059) = 3.19453, 64 horizons = 204.45, so the rule warns from T = 205.
    /// </summary>
    public const string DefaultLstmOnsets = "CGL1012 from T = 205";

    /// <summary>CGL1016 for a model that states no T and whose T cannot be read from code.</summary>
    public static DiagnosticResult ExpectUnknownT(int markup, string model, string onsets) => Expect("CGL1016", markup,
        $"'{model}' states no sequence length and no training Forward is called with a constant number of steps, so the rules that need T stay silent; they would warn: {onsets}; declare it with [Training(SequenceLength = ...)]");

    /// <summary>CGL1016 for a model whose T is read from one constant steps argument of a training Forward.</summary>
    public static DiagnosticResult ExpectReadT(int markup, string model, int steps) => Expect("CGL1016", markup,
        $"'{model}' states no sequence length: T = {steps} is read from the constant steps argument of its training Forward, and the rules about time judge T = {steps}; declare it with [Training(SequenceLength = ...)]");

    /// <summary>An expected diagnostic with its exact message, at markup location <paramref name="markup"/>.</summary>
    public static DiagnosticResult Expect(string id, int markup, string message)
    {
        DiagnosticDescriptor descriptor = Diagnostics.DiagnosticDescriptors.GradientRules[id];
        return new DiagnosticResult(descriptor).WithLocation(markup).WithMessage(message);
    }
}
