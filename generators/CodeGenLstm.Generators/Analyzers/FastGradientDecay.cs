using System;
using System.Threading;
using CodeGenLstm.Generators.Diagnostics;
using CodeGenLstm.Generators.Model;
using CodeGenLstm.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Analyzers;

/// <summary>
/// CGL1015, the rule that needs no T: a plain RNN whose per-step factor at initialisation, gamma * rho(W_hh),
/// makes the gradient fall below 1% of its size within fewer steps back than a long-range dependency spans
/// (20, <see cref="GradientThresholds.MediumSequence"/>). It speaks only where T is not declared: with T,
/// CGL1001-CGL1007 say more. rho, not sigma_max: rho is the rate the gradient actually decays at over many
/// steps (measured on docs/diagnostics/CGL1015.md), sigma_max only bounds it.
/// </summary>
internal static class FastGradientDecay
{
    /// <summary>The share of its size the gradient falls below ("1%").</summary>
    public const double Remaining = 0.01;

    public static void Report(ModelDeclaration model, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        foreach (ParsedLayer parsed in model.Layers)
        {
            LayerSpec layer = parsed.Layer;
            if (layer.Kind != LayerKind.Rnn) continue;
            double factor = RecurrentSpectrum.Gamma(layer.Activation) * RecurrentSpectrum.Of(layer).Rho;
            if (StepsToFall(factor) is not { } steps || steps >= GradientThresholds.MediumSequence) continue;
            AttributeData attribute = parsed.Attribute;
            report(Diagnostic.Create(DiagnosticDescriptors.FastGradientDecay,
                ProblemLocation.Of(attribute, null, attribute.AttributeClass!, cancellationToken),
                layer.Name, Numbers.Format(factor), RecurrentSpectrum.ActivationText(layer.Activation),
                RecurrentSpectrum.InitText(layer), steps, Remedy(layer.Activation)));
        }
    }

    /// <summary>
    /// The fewest steps k with factor^k below 1%: floor(ln 0.01 / ln factor) + 1; null when the factor
    /// is not below 1 (the gradient does not fall).
    /// </summary>
    public static int? StepsToFall(double factor)
    {
        if (!(factor > 0 && factor < 1)) return factor == 0 ? 1 : null;
        double steps = Math.Log(Remaining) / Math.Log(factor);
        return steps >= int.MaxValue ? null : (int)Math.Floor(steps) + 1;
    }

    private static string Remedy(ActivationKind activation) => activation switch
    {
        ActivationKind.Relu => "start at rho = 1 with Init = RecurrentInit.Identity, InitGain = 1 (IRNN, Le et al. 2015)",
        ActivationKind.Sigmoid => "Activation.Tanh with Init = RecurrentInit.Orthogonal (the sigmoid's derivative bound 1/4 keeps the factor at or below 1/4 even at rho = 1)",
        _ => "start at rho = 1 with Init = RecurrentInit.Orthogonal, InitGain = 1 (Saxe et al. 2014)",
    };
}
