using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using CodeGenLstm.Generators.Diagnostics;
using CodeGenLstm.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CodeGenLstm.Generators.Analyzers;

/// <summary>
/// T for the models that do not declare it: read from the constant <c>steps</c> argument of their
/// training <c>Forward</c> calls (<see cref="TrainingCode"/> finds them), judged once every call has been
/// seen. With several constants the largest is T (the rules are about the longest sequence trained on),
/// and CGL1016 says which were found. With none, the rules about time stay silent and CGL1016 says which
/// of them would warn from which T, unless [Training] writes SequenceLength = 0 (unknown, as the user says).
/// </summary>
internal sealed class SequenceLengths
{
    /// <summary>A training step that provably does not clip, waiting for T to know whether clipping matters.</summary>
    private sealed record UnclippedStep(string Optimizer, Location Step, Location Declaration);

    private readonly ConcurrentDictionary<INamedTypeSymbol, ModelDeclaration> _waiting = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, ConcurrentBag<int>> _fromForward = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, ConcurrentBag<UnclippedStep>> _steps = new(SymbolEqualityComparer.Default);

    /// <summary>A model without a declared T: its rules about time are judged at the end of the compilation.</summary>
    public void Await(ModelDeclaration model) => _waiting.TryAdd(model.Type, model);

    /// <summary>A training Forward of <paramref name="model"/> with a constant number of steps.</summary>
    public void FoundForward(INamedTypeSymbol model, int steps) =>
        _fromForward.GetOrAdd(model, _ => new ConcurrentBag<int>()).Add(steps);

    /// <summary>
    /// An optimizer's Step right after Backward for a model without a declared T, where clipping does not
    /// matter without T (CGL1008 waits for T).
    /// </summary>
    public void FoundUnclippedStep(INamedTypeSymbol model, string optimizer, Location step, Location declaration) =>
        _steps.GetOrAdd(model, _ => new ConcurrentBag<UnclippedStep>()).Add(new UnclippedStep(optimizer, step, declaration));

    public void OnCompilationEnd(CompilationAnalysisContext context)
    {
        foreach (ModelDeclaration model in _waiting.Values.OrderBy(m => m.Type.Name, System.StringComparer.Ordinal))
            Judge(model, context);
    }

    private void Judge(ModelDeclaration model, CompilationAnalysisContext context)
    {
        var found = _fromForward.TryGetValue(model.Type, out ConcurrentBag<int>? bag)
            ? bag.Distinct().OrderBy(t => t).ToList()
            : new List<int>();
        int? steps = found.Count > 0 ? found[found.Count - 1] : null;
        List<UnclippedStep> unclipped = _steps.TryGetValue(model.Type, out ConcurrentBag<UnclippedStep>? s)
            ? s.OrderBy(x => x.Step.SourceSpan.Start).ToList()
            : new List<UnclippedStep>();

        if (steps is { } t)
        {
            GradientStabilityAnalyzer.ReportTimeRules(model, t, context.ReportDiagnostic, context.CancellationToken);
            // Clipping that matters whatever T is was reported where it was found; here only what T adds.
            if (GradientStabilityAnalyzer.ClippingMatters(model, model.Training?.Optimizer, null, out _).Count == 0)
                GradientStabilityAnalyzer.ReportClippingRules(model, t, context.ReportDiagnostic, context.CancellationToken);
        }
        foreach (UnclippedStep step in unclipped)
        {
            List<string> reasons = GradientStabilityAnalyzer.ClippingMatters(model, step.Optimizer, steps, out _);
            if (reasons.Count == 0) continue;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingClipping, step.Step, new[] { step.Declaration },
                model.Type.Name, $"this {step.Optimizer}.Step follows Backward directly", string.Join(", and ", reasons)));
        }

        // A written SequenceLength = 0 says T is unknown on purpose: with none read from code, CGL1016 would only repeat it.
        if (steps is null && model.Training is { SequenceLengthWritten: true }) return;

        // Only where some rule about time could speak: otherwise T changes nothing.
        IReadOnlyList<(string Id, int FromSteps)> onsets = TimeRuleOnsets.Of(model, unclipped.Count > 0);
        if (onsets.Count == 0) return;
        string what;
        if (steps is { } inferred)
        {
            string text = inferred.ToString(CultureInfo.InvariantCulture);
            what = found.Count == 1
                ? $"states no sequence length: T = {text} is read from the constant steps argument of its training Forward, and the rules about time judge T = {text}"
                : $"states no sequence length: its training Forward is called with the constant steps {string.Join(", ", found.Select(f => f.ToString(CultureInfo.InvariantCulture)))}, and the rules about time judge the largest, T = {text}";
        }
        else
        {
            what = "states no sequence length and no training Forward is called with a constant number of steps, so the rules that need T stay silent; they would warn: " +
                   TimeRuleOnsets.Text(onsets);
        }

        AttributeData anchor = model.Training?.Attribute ?? model.Layers.First(l => l.Layer.IsRecurrent).Attribute;
        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty;
        if (steps is { } value) properties = properties.Add(SequenceLengthProperty, value.ToString(CultureInfo.InvariantCulture));
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SequenceLengthNeeded,
            ProblemLocation.Of(anchor, null, model.Type, context.CancellationToken), properties, model.Type.Name, what));
    }

    /// <summary>The diagnostic property that carries the T read from code, for the code fix.</summary>
    public const string SequenceLengthProperty = "SequenceLength";
}
