using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace CodeGenLstm.Generators.Tests.Analyzers;

/// <summary>
/// Every id has its help link, its page under docs/diagnostics, its row in the index and in the release
/// tracking file; the pages state the thresholds the code uses; every id is configurable in .editorconfig.
/// </summary>
public class DocumentationTests
{
    private static readonly string s_root = FindRoot();

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CodeGenLstm.sln"))) return dir.FullName;
        throw new InvalidOperationException("CodeGenLstm.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Docs => Path.Combine(s_root, "docs", "diagnostics");

    public static IEnumerable<object[]> Ids() => DiagnosticDescriptors.All.Select(d => new object[] { d.Id });

    [Theory]
    [MemberData(nameof(Ids))]
    public void EachIdHasItsPageAndLinks(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        Assert.Equal(DiagnosticDescriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        Assert.StartsWith("https://", DiagnosticDescriptors.HelpLinkBase, StringComparison.Ordinal);

        string page = File.ReadAllText(Path.Combine(Docs, id + ".md"));
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page, StringComparison.Ordinal);
        Assert.Contains($"| severity | {descriptor.DefaultSeverity} |", page, StringComparison.Ordinal);
        Assert.Contains($"| category | {descriptor.Category} |", page, StringComparison.Ordinal);
        foreach (string section in new[] { "## What it means", "## How to fix", "## How to silence", "## Example" })
            Assert.Contains(section, page, StringComparison.Ordinal);
        Assert.Contains($"dotnet_diagnostic.{id}.severity", page, StringComparison.Ordinal);
        if (id.StartsWith("CGL1", StringComparison.Ordinal))
        {
            Assert.Contains("## Evidence and threshold", page, StringComparison.Ordinal);
            Assert.Contains("## When it stays silent", page, StringComparison.Ordinal);
            int references = page.IndexOf("## References", StringComparison.Ordinal);
            Assert.True(references > 0 && page.IndexOf("\n- ", references, StringComparison.Ordinal) > 0, $"{id}: no references");
        }

        string index = File.ReadAllText(Path.Combine(Docs, "README.md"));
        Assert.Contains($"| [{id}]({id}.md) | {descriptor.DefaultSeverity} |", index, StringComparison.Ordinal);

        string releases = File.ReadAllText(Path.Combine(s_root, "generators", "CodeGenLstm.Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} | {descriptor.Title}", releases, StringComparison.Ordinal);
    }

    [Fact]
    public void NoPageWithoutADiagnostic()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToHashSet();
        var pages = Directory.GetFiles(Docs, "CGL*.md").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.All(pages, p => Assert.Contains(p!, ids));
        Assert.Equal(ids.Count, pages.Count);
    }

    [Fact]
    public void TheAnalyzersSupportEveryIdOnce()
    {
        var supported = new ModelConfigurationAnalyzer().SupportedDiagnostics.Concat(new GradientStabilityAnalyzer().SupportedDiagnostics)
            .Select(d => d.Id).ToList();
        Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal), supported.OrderBy(i => i, StringComparer.Ordinal));
    }

    public static IEnumerable<object[]> Thresholds()
    {
        string F(double x) => x.ToString(CultureInfo.InvariantCulture);
        yield return new object[] { "CGL1001", $"T >= {GradientThresholds.LongSequence}" };
        yield return new object[] { "CGL1002", $"{GradientThresholds.MediumSequence} <= T < {GradientThresholds.LongSequence}" };
        yield return new object[] { "CGL1003", "(gamma sigma_max)^(T-1) < 2^-23" };
        yield return new object[] { "CGL1007", $"rho >= {F(GradientThresholds.ChaoticRho)}" };
        yield return new object[] { "CGL1011", $"ForgetBias < {F(GradientThresholds.ForgetBiasNearZero)}" };
        yield return new object[] { "CGL1012", $"T > {F(GradientThresholds.HorizonRatio)} horizons" };
        yield return new object[] { "CGL1013", $"lr > 1e-2" };
        yield return new object[] { "CGL1014", $"more than {GradientThresholds.PlainStackDepth} layers" };
        yield return new object[] { "CGL1017", $"k < {F(GradientThresholds.GruFactorLimit)}**" };
    }

    [Theory]
    [MemberData(nameof(Thresholds))]
    public void PagesStateTheThresholdsTheCodeUses(string id, string threshold)
    {
        Assert.Equal(Math.Pow(2, -23), GradientThresholds.Float32Epsilon);
        Assert.Equal(1e-2, GradientThresholds.AdaptiveLearningRate);
        Assert.Equal(1e-3, GradientThresholds.VanishedShare);
        string page = File.ReadAllText(Path.Combine(Docs, id + ".md"));
        Assert.Contains("**Threshold: " + threshold, page, StringComparison.Ordinal);
    }

    private const string Triggers = """
        using CodeGenLstm;
        [Rnn(inputSize: 2, hiddenSize: 32)]
        [Training(SequenceLength = 60, ClipNorm = 1f)]
        public partial class Plain;

        [Lstm(inputSize: 8, hiddenSize: 16, layers: 5, ForgetBias = 0f)]
        [Training(SequenceLength = 20, Optimizer = Optimizer.Adam, LearningRate = 0.5f)]
        public partial class Leaky;
        """;

    [Fact]
    public Task EveryIdCanBeTurnedOffInEditorConfig()
    {
        var test = new GradientTest(Triggers);
        string config = "root = true\n[*.cs]\n" + string.Concat(DiagnosticDescriptors.All.Select(d => $"dotnet_diagnostic.{d.Id}.severity = none\n"));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", config));
        return test.RunAsync();
    }

    // Raising and lowering severities is checked where the compiler applies them, in a real build:
    // BuildOutputTests.TheWarningReachesTheBuildOutput.
}
