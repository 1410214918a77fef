using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Tests.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace CodeGenLstm.Generators.Tests.CodeFixes;

/// <summary>
/// A code-fix test with the offline setup of <see cref="TestSetup"/>. The framework applies the fix
/// one diagnostic at a time and, separately, with Fix All in document, project and solution, and
/// compares each result with <c>FixedCode</c>.
/// </summary>
internal sealed class FixTest<TFix> : FixTest<GradientStabilityAnalyzer, TFix>
    where TFix : CodeFixProvider, new()
{
    public FixTest(string source, string fixedSource, string equivalenceKey)
        : base(source, fixedSource, equivalenceKey)
    {
    }
}

/// <summary>As <see cref="FixTest{TFix}"/>, for the diagnostics of another analyzer (CGL0xxx: <see cref="ModelConfigurationAnalyzer"/>).</summary>
internal class FixTest<TAnalyzer, TFix> : CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
    where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
    where TFix : CodeFixProvider, new()
{
    public FixTest(string source, string fixedSource, string equivalenceKey)
    {
        TestCode = source;
        FixedCode = fixedSource;
        CodeActionEquivalenceKey = equivalenceKey;
        ReferenceAssemblies = TestSetup.NoPackages;
        TestSetup.Configure(TestState);
        TestSetup.Configure(FixedState);
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    public bool WithGenerator { get; set; }

    protected override CompilationOptions CreateCompilationOptions() => TestSetup.Options(base.CreateCompilationOptions());

    protected override IEnumerable<Type> GetSourceGenerators() => WithGenerator ? TestSetup.Generators : Array.Empty<Type>();

    public Task RunAsync() => RunAsync(CancellationToken.None);
}
