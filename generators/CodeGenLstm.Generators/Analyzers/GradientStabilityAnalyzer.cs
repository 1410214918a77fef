using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using CodeGenLstm.Generators.Diagnostics;
using CodeGenLstm.Generators.Model;
using CodeGenLstm.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CodeGenLstm.Generators.Analyzers;

/// <summary>
/// Reports CGL1xxx: configurations that will make gradients vanish or explode, with the numbers.
/// It reads the layer attributes and [Training] through the one <see cref="ModelParser"/>, and, where
/// a model class of this compilation is named explicitly, the constant arguments of the runtime's
/// optimizer constructors and Clip calls (<see cref="TrainingCode"/>). A rule whose fact is unknown
/// does not guess: when T is neither declared nor read from code, CGL1015 says what holds without T
/// and CGL1016 names the rules that wait for it. Only models the generator builds (no CGL0 error) are judged.
/// </summary>
/// <remarks>
/// Diagnostics from declared facts are local (reported from the symbol or operation they are about), so
/// that the IDE shows them as the user types and offers their code fixes. Only the rules about time for a
/// model whose T is not declared wait for the whole compilation (<see cref="SequenceLengths"/>): T may be
/// read from any call of its Forward.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GradientStabilityAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        DiagnosticDescriptors.GradientRules.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var code = new TrainingCode(start.Compilation);
            start.RegisterSymbolAction(symbol =>
            {
                var type = (INamedTypeSymbol)symbol.Symbol;
                if (code.Model(type, symbol.CancellationToken) is not { } model) return;
                ReportModelRules(model, symbol.ReportDiagnostic, symbol.CancellationToken);
                if (model.Training?.SequenceLength is null) code.SequenceLengths.Await(model);
            }, SymbolKind.NamedType);
            // T read from code (a constant steps argument of a training Forward anywhere in the
            // compilation) is known only once every call has been seen.
            start.RegisterCompilationEndAction(code.SequenceLengths.OnCompilationEnd);
            if (!code.RuntimeReferenced) return;
            start.RegisterOperationAction(code.OnInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(code.OnObjectCreation, OperationKind.ObjectCreation);
        });
    }

    // ----------------------------------------------------------------------------------------------
    // Rules on the declaration alone (layers and [Training]).
    // ----------------------------------------------------------------------------------------------

    private static void ReportModelRules(ModelDeclaration model, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        if (model.Training?.SequenceLength is { } steps)
        {
            ReportTimeRules(model, steps, report, cancellationToken);
            ReportClippingRules(model, steps, report, cancellationToken);
        }
        else
        {
            // T undeclared: the rules about time wait for T read from code (SequenceLengths); what does
            // not need T is said now: CGL1015, and clipping when it matters whatever T is (SGD).
            FastGradientDecay.Report(model, report, cancellationToken);
            ReportClippingRules(model, null, report, cancellationToken);
        }
        ReportDepth(model, report, cancellationToken);
        if (model.Training is { Optimizer: { } optimizer, LearningRate: { } rate } training)
        {
            Location location = ProblemLocation.Of(training.Attribute, "LearningRate", model.Type, cancellationToken);
            if (LearningRateDiagnostic(model, optimizer, rate, location) is { } diagnostic)
                report(diagnostic);
        }
    }

    /// <summary>The rules about behaviour over T steps (CGL1001-CGL1007, CGL1011, CGL1012, CGL1017), layer by layer.</summary>
    internal static void ReportTimeRules(ModelDeclaration model, int steps, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        foreach (ParsedLayer parsed in model.Layers)
        {
            if (parsed.Layer.Kind == LayerKind.Rnn)
                ReportRnnRules(parsed, steps, report, cancellationToken);
            else if (parsed.Layer.Kind == LayerKind.Lstm)
                ReportLstmRules(parsed, steps, report, cancellationToken);
            else if (parsed.Layer.Kind == LayerKind.Gru && GruGradientDecay.FirstStepFarFromLoss(model))
                GruGradientDecay.Report(parsed, steps, report, cancellationToken);
        }
    }

    private static void ReportRnnRules(ParsedLayer parsed, int steps, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        LayerSpec layer = parsed.Layer;
        AttributeData attribute = parsed.Attribute;
        Location Where(string? argument) => ProblemLocation.Of(attribute, argument, attribute.AttributeClass!, cancellationToken);
        var spectrum = RecurrentSpectrum.Of(layer);
        double gamma = RecurrentSpectrum.Gamma(layer.Activation);
        double product = gamma * spectrum.SigmaMax;
        string activation = RecurrentSpectrum.ActivationText(layer.Activation);
        string init = RecurrentSpectrum.InitText(layer);
        bool longRange = steps >= GradientThresholds.MediumSequence;

        // CGL1001 / CGL1002: saturating plain RNNs over long sequences (IRNN-style ReLU RNNs are CGL1005/CGL1006's).
        if (layer.Activation != ActivationKind.Relu && longRange)
        {
            DiagnosticDescriptor descriptor = steps >= GradientThresholds.LongSequence
                ? DiagnosticDescriptors.PlainRnnLongSequence
                : DiagnosticDescriptors.PlainRnnMediumSequence;
            report(Diagnostic.Create(descriptor, Where(null), layer.Name, activation, steps));
        }

        // CGL1003: Pascanu et al.'s sufficient condition, gamma * sigma_max < 1, and a bound below float32 precision.
        int transitions = steps - 1;
        if (product < 1 && transitions > 0 && transitions * Math.Log(product) < Math.Log(GradientThresholds.Float32Epsilon))
        {
            report(Diagnostic.Create(DiagnosticDescriptors.ProvableVanishing, Where(null),
                layer.Name, Numbers.Format(spectrum.SigmaMax), init, RecurrentSpectrum.GammaText(layer.Activation), activation,
                Numbers.Format(product), transitions, steps, Numbers.Power(product, transitions)));
        }

        if (!longRange) return;

        // CGL1004: the sigmoid's derivative bound 1/4 (Hochreiter 1991).
        if (layer.Activation == ActivationKind.Sigmoid && product < 1)
        {
            report(Diagnostic.Create(DiagnosticDescriptors.SigmoidRecurrence, Where("Activation"),
                layer.Name, Numbers.Format(spectrum.SigmaMax), init, Numbers.Format(product), steps));
        }

        if (layer.Activation == ActivationKind.Relu)
        {
            // CGL1005: ReLU is unbounded; rho > 1 grows the state and the gradient geometrically.
            if (spectrum.Rho > 1)
            {
                report(Diagnostic.Create(DiagnosticDescriptors.ReluExplosion, Where(layer.InitGain != 1f ? "InitGain" : null),
                    layer.Name, Numbers.Format(spectrum.Rho), init, transitions, Numbers.Power(spectrum.Rho, transitions), steps));
            }
            // CGL1006: IRNN (Le et al. 2015).
            if (layer.Init is InitKind.Uniform or InitKind.XavierUniform)
            {
                report(Diagnostic.Create(DiagnosticDescriptors.ReluWithoutIdentityInit, Where("Activation"),
                    layer.Name, layer.Init.ToString(), Numbers.Format(spectrum.Rho), Numbers.Format(spectrum.SigmaMax), steps));
            }
        }

        // CGL1007: chaotic tanh initialisation.
        if (layer.Activation == ActivationKind.Tanh && spectrum.Rho >= GradientThresholds.ChaoticRho)
        {
            report(Diagnostic.Create(DiagnosticDescriptors.ChaoticTanhInit, Where(layer.InitGain != 1f ? "InitGain" : "Init"),
                layer.Name, Numbers.Format(spectrum.Rho), init, Numbers.Format(spectrum.SigmaMax), steps));
        }
    }

    private static void ReportLstmRules(ParsedLayer parsed, int steps, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        LayerSpec layer = parsed.Layer;
        AttributeData attribute = parsed.Attribute;
        double bias = layer.ForgetBias;
        Location where = ProblemLocation.Of(attribute, "ForgetBias", attribute.AttributeClass!, cancellationToken);

        // CGL1011: effective forget bias near 0 (Jozefowicz et al. 2015).
        if (bias < GradientThresholds.ForgetBiasNearZero)
        {
            if (steps < GradientThresholds.MediumSequence) return;
            double keep = RecurrentSpectrum.Sigmoid(bias);
            report(Diagnostic.Create(DiagnosticDescriptors.ForgetBiasNearZero, where,
                layer.Name, Numbers.Format(bias), Numbers.Format(keep), steps - 1, Numbers.Power(keep, steps - 1), steps));
            return;
        }

        // CGL1012: initial memory horizon far below T (Tallec and Ollivier 2018).
        double horizon = RecurrentSpectrum.MemoryHorizon(bias);
        if (steps > GradientThresholds.HorizonRatio * horizon)
        {
            double target = steps / GradientThresholds.HorizonRatio;
            double keep = Math.Exp(-1 / target);
            double chrono = Math.Log(keep / (1 - keep));
            report(Diagnostic.Create(DiagnosticDescriptors.ShortMemoryHorizon, where,
                layer.Name, Numbers.Format(bias), Numbers.Format(horizon), steps, Numbers.Format(chrono), Numbers.Format(target)));
        }
    }

    /// <summary>
    /// CGL1014: the recurrent stages that no residual connection bridges (a stage is bridged when its
    /// layer has Residual and the stage's input and output sizes match, as the generated code adds them).
    /// </summary>
    private static void ReportDepth(ModelDeclaration model, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        int total = 0, plain = 0;
        ParsedLayer? worst = null;
        int worstPlain = 0;
        foreach (ParsedLayer parsed in model.Layers)
        {
            LayerSpec layer = parsed.Layer;
            if (!layer.IsRecurrent) continue;
            int plainHere = 0;
            for (int k = 0; k < layer.StackedLayers; k++)
            {
                int input = k == 0 ? layer.InputSize : layer.OutputSize;
                if (!(layer.Residual && input == layer.OutputSize)) plainHere++;
            }
            total += layer.StackedLayers;
            plain += plainHere;
            if (!layer.Residual && plainHere > worstPlain)
            {
                worst = parsed;
                worstPlain = plainHere;
            }
        }
        if (plain <= GradientThresholds.PlainStackDepth || worst is null) return;
        report(Diagnostic.Create(DiagnosticDescriptors.DeepStackWithoutResidual,
            ProblemLocation.Of(worst.Attribute, null, model.Type, cancellationToken),
            model.Type.Name, total, plain, worst.Layer.Name));
    }

    /// <summary>CGL1013 for a learning rate stated in [Training] or in an optimizer's constructor.</summary>
    internal static Diagnostic? LearningRateDiagnostic(ModelDeclaration model, string optimizer, double rate, Location location)
    {
        // A rate that is not a finite number is not "too high": [Training] reports it as CGL0013 and the
        // optimizers reject it when constructed; no ratio of it means anything.
        if (double.IsNaN(rate) || double.IsInfinity(rate)) return null;
        if (optimizer is not ("Adam" or "AdamW" or "RmsProp") || !(rate > GradientThresholds.AdaptiveLearningRate)) return null;
        LayerSpec? widest = model.Layers.Select(l => l.Layer).Where(l => l.IsRecurrent).OrderByDescending(l => l.Units).FirstOrDefault();
        if (widest is null) return null;
        double scale = 1 / Math.Sqrt(widest.Units);
        return Diagnostic.Create(DiagnosticDescriptors.LearningRateTooHigh, location,
            optimizer, Numbers.Format(rate), Numbers.Format(rate / scale), Numbers.Format(scale), widest.Name, widest.Units);
    }

    // ----------------------------------------------------------------------------------------------
    // Rules on clipping, from [Training]: ClipNorm = 0 states "no global-norm clipping" (API.md).
    // ----------------------------------------------------------------------------------------------

    internal static void ReportClippingRules(ModelDeclaration model, int? steps, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        if (model.Training is not { } training || training.ClipNorm is not null) return;
        List<string> reasons = ClippingMatters(model, training.Optimizer, steps, out _);
        if (reasons.Count == 0) return;
        string why = string.Join(", and ", reasons);
        if (training.ClipValue is { } clipValue)
        {
            // CGL1010: only element-wise clipping.
            report(Diagnostic.Create(DiagnosticDescriptors.ClipByValueOnly,
                ProblemLocation.Of(training.Attribute, "ClipValue", model.Type, cancellationToken),
                model.Type.Name, "ClipValue = " + Numbers.Format(clipValue) + " in [Training]", why));
            return;
        }
        // CGL1008: no clipping at all.
        report(Diagnostic.Create(DiagnosticDescriptors.MissingClipping,
            ProblemLocation.Of(training.Attribute, null, model.Type, cancellationToken),
            model.Type.Name, "[Training] states neither ClipNorm nor ClipValue", why));
    }

    /// <summary>
    /// Why clipping matters for this model, or nothing: a plain RNN over at least 50 steps whose
    /// gamma * sigma_max exceeds 1 (Pascanu et al.'s necessary condition for explosion), or SGD.
    /// <paramref name="sequenceLength"/> is T, declared or read from code; null when unknown.
    /// </summary>
    internal static List<string> ClippingMatters(ModelDeclaration model, string? optimizer, int? sequenceLength, out ParsedLayer? blamed)
    {
        var reasons = new List<string>();
        blamed = null;
        if (!model.Layers.Any(l => l.Layer.IsRecurrent)) return reasons;  // no recurrence: nothing to explode through time
        if (sequenceLength is { } steps && steps >= GradientThresholds.LongSequence)
        {
            foreach (ParsedLayer parsed in model.Layers.Where(l => l.Layer.Kind == LayerKind.Rnn))
            {
                double product = RecurrentSpectrum.Gamma(parsed.Layer.Activation) * RecurrentSpectrum.Of(parsed.Layer).SigmaMax;
                if (!(product > 1)) continue;
                blamed ??= parsed;
                reasons.Add($"the plain RNN '{parsed.Layer.Name}' runs T = {steps} steps with gamma * sigma_max(W_hh) ~ {Numbers.Format(product)} > 1, " +
                            $"so the gradient can grow up to {Numbers.Format(product)}^{steps - 1} ~ {Numbers.Power(product, steps - 1)}");
            }
        }
        if (optimizer is "Sgd" or "SgdMomentum")
        {
            string rate = model.Training?.LearningRate is { } lr ? $" (learning rate {Numbers.Format(lr)})" : "";
            reasons.Add($"it is trained with SGD{rate}, whose step is proportional to the raw gradient");
        }
        return reasons;
    }

}
