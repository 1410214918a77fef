using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Model;
using CodeGenLstm.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Tests.Analyzers;

/// <summary>
/// The runtime's GradientWatch names the rule that predicts a measured vanishing or explosion by evaluating
/// the rules' conditions again (CodeGenLstm.GradientRules: the runtime cannot reference the generator). These
/// tests keep the two in step: the same per-step factor as RecurrentSpectrum and FastGradientDecay, and the same
/// rules firing as the real GradientStabilityAnalyzer on a grid of declarations and sequence lengths. A change
/// to a rule's conditions fails here until the runtime's copy follows.
/// </summary>
public class GradientRuleMirrorTests
{
    /// <summary>The rules the runtime evaluates: those about the recurrence, on the layer's facts and T.</summary>
    private static readonly string[] s_timeRules = ["CGL1001", "CGL1002", "CGL1003", "CGL1004", "CGL1005", "CGL1006", "CGL1007", "CGL1011", "CGL1012", "CGL1017"];

    private sealed record Config(LayerKind Kind, ActivationKind Activation, InitKind Init, float Gain, float ForgetBias)
    {
        public string Attribute()
        {
            var c = CultureInfo.InvariantCulture;
            string facts = $"Init = RecurrentInit.{Init}, InitGain = {Gain.ToString("R", c)}f";
            return Kind switch
            {
                LayerKind.Rnn => $"[Rnn(inputSize: 4, hiddenSize: 32, Activation = Activation.{Activation}, {facts})]",
                LayerKind.Lstm => $"[Lstm(inputSize: 4, hiddenSize: 32, ForgetBias = {ForgetBias.ToString("R", c)}f, {facts})]",
                _ => $"[Gru(inputSize: 4, hiddenSize: 32, {facts})]",
            };
        }

        public LayerSpec Spec() => new(Kind, Kind.ToString().ToLowerInvariant(), 4, 32, 1, false, Activation, Init, Gain, ForgetBias, 0f, false, ReadoutKind.EachStep);

        public LayerArchitecture Architecture() =>
            new(Kind switch { LayerKind.Rnn => LayerType.Rnn, LayerKind.Lstm => LayerType.Lstm, _ => LayerType.Gru },
                Kind.ToString().ToLowerInvariant(), 4, 32, 32, 1, false, (Activation)(int)Activation, false, Readout.EachStep, 0f)
            { Init = (RecurrentInit)(int)Init, InitGain = Gain, ForgetBias = Kind == LayerKind.Lstm ? ForgetBias : 0f };
    }

    private static IEnumerable<Config> Grid()
    {
        float[] gains = [0.3f, 1f, 1.3f, 1.6f, 3f];
        foreach (ActivationKind activation in Enum.GetValues<ActivationKind>())
            foreach (InitKind init in Enum.GetValues<InitKind>())
                foreach (float gain in gains)
                    yield return new Config(LayerKind.Rnn, activation, init, gain, 1f);
        foreach (float bias in new[] { -1f, 0f, 0.49f, 0.5f, 1f, 2f, 4f })
            yield return new Config(LayerKind.Lstm, ActivationKind.Tanh, InitKind.Uniform, 1f, bias);
        foreach (InitKind init in new[] { InitKind.Uniform, InitKind.XavierUniform, InitKind.Orthogonal })
        {
            yield return new Config(LayerKind.Lstm, ActivationKind.Tanh, init, 1.7f, 1f);
            yield return new Config(LayerKind.Gru, ActivationKind.Tanh, init, 1.7f, 1f);
        }
        // CGL1017 around its factor limit 0.72 (1/2 + rho/4: Uniform gain 1 gives 0.644, Orthogonal gain 0.88 gives 0.72).
        foreach (InitKind init in new[] { InitKind.Uniform, InitKind.XavierUniform, InitKind.Orthogonal })
            foreach (float gain in new[] { 0.3f, 1f, 0.87f, 0.89f })
                yield return new Config(LayerKind.Gru, ActivationKind.Tanh, init, gain, 1f);
    }

    // Around every threshold: 20 (MediumSequence), 50 (LongSequence), CGL1012's onsets (205 at b_f = 1, 505 at 2,
    // 3,560 at 4), and T where CGL1003's bound crosses float32's epsilon for the small factors of the grid.
    private static readonly int[] s_steps = [2, 5, 15, 19, 20, 21, 49, 50, 100, 205, 206, 505, 3560, 3561];

    [Fact]
    public void TheRuntimeGivesTheAnalyzersPerStepFactor()
    {
        foreach (Config config in Grid())
        {
            LayerSpec spec = config.Spec();
            LayerArchitecture layer = config.Architecture();
            var spectrum = RecurrentSpectrum.Of(spec);
            var (rho, sigmaMax) = GradientRules.Spectrum(layer);
            Assert.Equal(spectrum.Rho, rho, 12);
            Assert.Equal(spectrum.SigmaMax, sigmaMax, 12);
            double factor = GradientRules.PredictedFactor(layer);
            if (config.Kind == LayerKind.Rnn)
            {
                double analyzers = RecurrentSpectrum.Gamma(spec.Activation) * spectrum.Rho;
                Assert.Equal(analyzers, factor, 12);
                Assert.Equal(FastGradientDecay.StepsToFall(analyzers), GradientRules.StepsToFall(factor));
            }
            else if (config.Kind == LayerKind.Lstm)
                Assert.Equal(RecurrentSpectrum.Sigmoid(spec.ForgetBias), factor, 12);
            else
                Assert.Equal(GruGradientDecay.Factor(spec), factor, 12);
        }
    }

    [Fact]
    public void TheRuntimePrintsNumbersAsTheAnalyzersMessages()
    {
        double[] values = [0, 5.12e-7, -3.3e-12, 0.000999, 0.001, 0.0123, 0.577, 1, 1.5, 99.96, 100, 12345.6, 99999.4, 1e5, 9.1e4, 9.96e7, 1e300,
                           double.NaN, double.PositiveInfinity, double.NegativeInfinity];
        foreach (double value in values)
            Assert.Equal(Numbers.Format(value), GradientRules.Format(value));
    }

    [Fact]
    public void TheRuntimeNamesTheRulesTheAnalyzerReports()
    {
        Config[] configs = Grid().ToArray();
        var sources = new List<string>();
        var expected = new List<(Config Config, int? Steps)>();
        foreach (Config config in configs)
        {
            foreach (int steps in s_steps)
            {
                sources.Add(Declaration(config, sources.Count, $"[Training(SequenceLength = {steps})]"));
                expected.Add((config, steps));
            }
            sources.Add(Declaration(config, sources.Count, ""));  // no T: CGL1015's case
            expected.Add((config, null));
        }
        var reported = new Dictionary<int, SortedSet<string>>();
        foreach (Diagnostic diagnostic in GeneratorHarness.Analyze(GeneratorHarness.Compilation(sources.ToArray()), new GradientStabilityAnalyzer()))
        {
            string path = diagnostic.Location.SourceTree!.FilePath;  // "Source{i}.cs"
            int index = int.Parse(path["Source".Length..^".cs".Length], CultureInfo.InvariantCulture);
            if (!reported.TryGetValue(index, out var ids)) reported[index] = ids = new SortedSet<string>(StringComparer.Ordinal);
            ids.Add(diagnostic.Id);
        }

        var differences = new List<string>();
        int fired = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            var (config, steps) = expected[i];
            var analyzer = reported.TryGetValue(i, out var all) ? all : new SortedSet<string>();
            var runtimeIds = new List<string>();
            LayerArchitecture layer = config.Architecture();
            SortedSet<string> analyzerIds, runtime;
            if (steps is { } t)
            {
                GradientRules.Predicting(layer, t, GradientFlowProblem.Vanished, firstStepFarFromLoss: true, runtimeIds);
                GradientRules.Predicting(layer, t, GradientFlowProblem.Exploded, firstStepFarFromLoss: true, runtimeIds);
                analyzerIds = new SortedSet<string>(analyzer.Where(s_timeRules.Contains), StringComparer.Ordinal);
                runtime = new SortedSet<string>(runtimeIds.Where(s_timeRules.Contains), StringComparer.Ordinal);
            }
            else
            {
                // CGL1015 does not depend on T; any T shows whether the runtime's copy of it fires.
                GradientRules.Predicting(layer, 2, GradientFlowProblem.Vanished, firstStepFarFromLoss: true, runtimeIds);
                analyzerIds = new SortedSet<string>(analyzer.Where(id => id == "CGL1015"), StringComparer.Ordinal);
                runtime = new SortedSet<string>(runtimeIds.Where(id => id == "CGL1015"), StringComparer.Ordinal);
            }
            fired += analyzerIds.Count;
            if (!analyzerIds.SetEquals(runtime))
                differences.Add($"{config.Attribute()} T = {steps?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}: analyzer {string.Join(",", analyzerIds)}, runtime {string.Join(",", runtime)}");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        // The grid must exercise the rules, not agree on silence: every rule fires somewhere.
        var seen = reported.Values.SelectMany(s => s).ToHashSet();
        Assert.All(s_timeRules.Append("CGL1015"), id => Assert.Contains(id, seen));
        Assert.True(fired > 100, $"only {fired} rule firings in the grid");
    }

    private static string Declaration(Config config, int index, string training) => $$"""
        using CodeGenLstm;
        {{config.Attribute()}}
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        {{training}}
        public partial class Mirror{{index}};
        """;
}
