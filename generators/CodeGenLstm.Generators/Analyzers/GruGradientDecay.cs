using System;
using System.Linq;
using System.Threading;
using CodeGenLstm.Generators.Diagnostics;
using CodeGenLstm.Generators.Model;
using CodeGenLstm.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Analyzers;

/// <summary>
/// CGL1017: a GRU whose gradient, at initialisation, falls below 1/1000 of its size over the T - 1 steps of the
/// sequence. One step back multiplies the gradient by the Jacobian
/// diag(z) + diag((1 - z)(1 - n^2) r) W_hn + (terms through the gates, proportional to h - n and W_hn h + b_hn);
/// at initialisation every gate pre-activation is near 0 (weights and biases within +-1/sqrt(H), h starting at 0),
/// so z ~ r ~ 1/2, 1 - n^2 ~ 1 and the gate terms are small: the Jacobian is about I/2 + W_hn/4, whose
/// eigenvalues are 1/2 + lambda/4 and whose largest modulus is 1/2 + rho(W_hn)/4 (the derivation and its
/// measurement are on docs/diagnostics/CGL1017.md). It speaks only where the loss reads the last step alone
/// (a Dense layer with Readout.LastStep) and every recurrent layer is unidirectional: with a loss at every step,
/// each step's loss is near its own inputs; a bidirectional layer's read-out takes the backward state at step 0
/// (PyTorch's h_n), so the start of the sequence is next to the loss.
/// </summary>
internal static class GruGradientDecay
{
    /// <summary>
    /// True when the loss reaches the first step only across the whole sequence: the output is read at the last
    /// step only (the last layer is a Dense with Readout.LastStep) and no recurrent layer is bidirectional.
    /// </summary>
    public static bool FirstStepFarFromLoss(ModelDeclaration model) =>
        model.Spec is { LastStep: true } spec && !spec.Layers.Any(l => l.IsRecurrent && l.Bidirectional);

    /// <summary>The per-step factor 1/2 + rho(W_hn)/4 of a GRU at initialisation.</summary>
    public static double Factor(LayerSpec layer) => 0.5 + RecurrentSpectrum.Of(layer).Rho / 4;

    /// <summary>True when the rule fires for this GRU layer at T steps.</summary>
    public static bool Vanishes(LayerSpec layer, int steps)
    {
        double factor = Factor(layer);
        return factor < GradientThresholds.GruFactorLimit && steps >= GradientThresholds.MediumSequence
            && (steps - 1) * Math.Log(factor) < Math.Log(GradientThresholds.VanishedShare);
    }

    /// <summary>The smallest T at which <see cref="Vanishes"/> holds, or null when it holds at no T.</summary>
    public static int? Onset(LayerSpec layer)
    {
        double factor = Factor(layer);
        if (!(factor > 0 && factor < GradientThresholds.GruFactorLimit)) return null;
        // (T - 1) ln(factor) < ln(share): T - 1 > ln(share) / ln(factor).
        int steps = (int)Math.Floor(Math.Log(GradientThresholds.VanishedShare) / Math.Log(factor)) + 2;
        return Math.Max(steps, GradientThresholds.MediumSequence);
    }

    public static void Report(ParsedLayer parsed, int steps, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        LayerSpec layer = parsed.Layer;
        if (layer.Kind != LayerKind.Gru || !Vanishes(layer, steps)) return;
        AttributeData attribute = parsed.Attribute;
        double factor = Factor(layer);
        report(Diagnostic.Create(DiagnosticDescriptors.GruGradientDecay,
            ProblemLocation.Of(attribute, layer.InitGain != 1f ? "InitGain" : layer.Init != InitKind.Uniform ? "Init" : null, attribute.AttributeClass!, cancellationToken),
            layer.Name, Numbers.Format(factor), RecurrentSpectrum.InitText(layer), steps - 1, Numbers.Power(factor, steps - 1), steps));
    }
}
