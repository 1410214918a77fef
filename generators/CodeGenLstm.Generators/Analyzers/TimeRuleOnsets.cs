using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Generators.Diagnostics;
using CodeGenLstm.Generators.Model;
using CodeGenLstm.Generators.Parsing;

namespace CodeGenLstm.Generators.Analyzers;

/// <summary>
/// For a model whose T is unknown: each rule about time that would warn at some T, with the smallest such
/// T, worked out from the conditions of <see cref="GradientStabilityAnalyzer"/>'s rules (a test declares
/// T - 1 and T and checks the rule's silence and its warning). CGL1016 prints them, so that the user
/// sees what declaring T would bring.
/// </summary>
internal static class TimeRuleOnsets
{
    /// <param name="model">The model.</param>
    /// <param name="unclippedStep">True when code trains the model with an optimizer's Step right after Backward.</param>
    public static IReadOnlyList<(string Id, int FromSteps)> Of(ModelDeclaration model, bool unclippedStep)
    {
        var onsets = new Dictionary<string, int>();
        void Add(string id, int steps)
        {
            if (!onsets.TryGetValue(id, out int known) || steps < known) onsets[id] = steps;
        }

        int medium = GradientThresholds.MediumSequence, longer = GradientThresholds.LongSequence;
        bool explodesWithoutClipping = false;
        foreach (LayerSpec layer in model.Layers.Select(l => l.Layer))
        {
            if (layer.Kind == LayerKind.Rnn)
            {
                var spectrum = RecurrentSpectrum.Of(layer);
                double product = RecurrentSpectrum.Gamma(layer.Activation) * spectrum.SigmaMax;
                if (layer.Activation != ActivationKind.Relu)
                {
                    Add(DiagnosticIds.PlainRnnMediumSequence, medium);
                    Add(DiagnosticIds.PlainRnnLongSequence, longer);
                }
                // CGL1003: (T - 1) ln(product) < ln(eps), so T - 1 > ln(eps) / ln(product).
                if (product < 1 && product > 0)
                {
                    double transitions = Math.Log(GradientThresholds.Float32Epsilon) / Math.Log(product);
                    if (transitions < int.MaxValue - 2) Add(DiagnosticIds.ProvableVanishing, (int)Math.Floor(transitions) + 2);
                }
                if (layer.Activation == ActivationKind.Sigmoid && product < 1) Add(DiagnosticIds.SigmoidRecurrence, medium);
                if (layer.Activation == ActivationKind.Relu && spectrum.Rho > 1) Add(DiagnosticIds.ReluExplosion, medium);
                if (layer.Activation == ActivationKind.Relu && layer.Init is InitKind.Uniform or InitKind.XavierUniform)
                    Add(DiagnosticIds.ReluWithoutIdentityInit, medium);
                if (layer.Activation == ActivationKind.Tanh && spectrum.Rho >= GradientThresholds.ChaoticRho) Add(DiagnosticIds.ChaoticTanhInit, medium);
                if (product > 1) explodesWithoutClipping = true;
            }
            else if (layer.Kind == LayerKind.Gru && GruGradientDecay.FirstStepFarFromLoss(model))
            {
                if (GruGradientDecay.Onset(layer) is { } onset) Add(DiagnosticIds.GruGradientDecay, onset);
            }
            else if (layer.Kind == LayerKind.Lstm)
            {
                if (layer.ForgetBias < GradientThresholds.ForgetBiasNearZero)
                {
                    Add(DiagnosticIds.ForgetBiasNearZero, medium);
                    continue;
                }
                // CGL1012: T > 64 horizons.
                double limit = GradientThresholds.HorizonRatio * RecurrentSpectrum.MemoryHorizon(layer.ForgetBias);
                if (limit < int.MaxValue - 1) Add(DiagnosticIds.ShortMemoryHorizon, (int)Math.Floor(limit) + 1);
            }
        }

        // CGL1008 / CGL1010 for a plain RNN that can explode: from [Training] without ClipNorm, or from an unclipped Step.
        if (explodesWithoutClipping)
        {
            if (model.Training is { ClipNorm: null } training)
                Add(training.ClipValue is null ? DiagnosticIds.MissingClipping : DiagnosticIds.ClipByValueOnly, longer);
            else if (model.Training is null && unclippedStep)
                Add(DiagnosticIds.MissingClipping, longer);
        }
        return onsets.Select(o => (o.Key, o.Value))
            .OrderBy(o => o.Value).ThenBy(o => o.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>"CGL1006 from T = 20; CGL1001, CGL1008 from T = 50": the onsets grouped by T.</summary>
    public static string Text(IReadOnlyList<(string Id, int FromSteps)> onsets) =>
        string.Join("; ", onsets.GroupBy(o => o.FromSteps)
            .Select(g => string.Join(", ", g.Select(o => o.Id)) + " from T = " + g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
