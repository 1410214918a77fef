using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using CodeGenLstm.Generators.Diagnostics;
using CodeGenLstm.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CodeGenLstm.Generators.Analyzers;

/// <summary>
/// Training facts read from code, for one compilation. Only calls that name a model class of this
/// compilation explicitly count; anything else stays unknown:
/// <list type="bullet">
/// <item><c>Clip.GlobalNorm(g, c)</c> / <c>Clip.Value(g, c)</c> with a constant threshold that is not above
/// 0 is CGL1009, whatever g is: the call throws.</item>
/// <item><c>new Adam(M.ParameterCount, learningRate: c)</c> (Sgd, AdamW, RmsProp likewise) with M a model
/// class: a constant rate is checked by CGL1013 for M.</item>
/// <item><c>x.Backward(...);</c> immediately followed by <c>o.Step(x.Parameters, x.Gradients);</c>, with x
/// of a model class and o of a runtime optimizer class: that training step provably does not clip
/// (nothing runs in between, and the runtime's optimizers do not clip), and o's class is the
/// optimizer. CGL1008 is reported on the Step when clipping matters for the model.</item>
/// <item><c>x.Forward(input, batch, steps, output, ..., training: true)</c> with x of a model class that
/// declares no sequence length and a constant <c>steps</c> (a literal, a const, or a local initialised
/// with a constant and never assigned again): T for the rules about time (<see cref="SequenceLengths"/>).</item>
/// </list>
/// Every diagnostic is reported from the operation it is about (local), never at compilation end.
/// </summary>
internal sealed class TrainingCode
{
    private static readonly string[] s_optimizers = { "Sgd", "Adam", "AdamW", "RmsProp" };

    private readonly ConcurrentDictionary<INamedTypeSymbol, ModelDeclaration?> _models = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _clip;

    public TrainingCode(Compilation compilation)
    {
        _clip = compilation.GetTypeByMetadataName("CodeGenLstm.Clip");
    }

    /// <summary>T for the models that do not declare it, and the checks that wait for it.</summary>
    public SequenceLengths SequenceLengths { get; } = new();

    /// <summary>True when the CodeGenLstm runtime (its Clip class) is referenced: only then can code train a model.</summary>
    public bool RuntimeReferenced => _clip is not null;

    /// <summary>The parsed model for a class, or null when it is not a model or has configuration errors.</summary>
    public ModelDeclaration? Model(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (_models.TryGetValue(type, out ModelDeclaration? known)) return known;
        ModelDeclaration? model = null;
        if (type.TypeKind == TypeKind.Class && type.GetAttributes().Any(a => ModelParser.IsLayerAttribute(a.AttributeClass)))
        {
            ModelDeclaration parsed = ModelParser.Parse(type, cancellationToken);
            if (parsed.Spec is not null) model = parsed;
        }
        return _models.GetOrAdd(type, model);
    }

    public void OnInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, _clip) && method.Name is "GlobalNorm" or "Value")
            OnClip(context, invocation);
        else if (method.Name == "Step" && OptimizerName(method.ContainingType) is { } optimizer)
            OnStep(context, invocation, optimizer);
        else if (method.Name == "Forward")
            OnForward(context, invocation);
    }

    private void OnForward(OperationAnalysisContext context, IInvocationOperation forward)
    {
        if (forward.Instance?.Type is not INamedTypeSymbol type || Model(type, context.CancellationToken) is not { } model) return;
        if (model.Training?.SequenceLength is not null) return;
        IArgumentOperation? training = forward.Arguments.FirstOrDefault(a => a.Parameter?.Name == "training");
        if (training is null || training.Value.ConstantValue is not { HasValue: true, Value: true }) return;
        IArgumentOperation? steps = forward.Arguments.FirstOrDefault(a => a.Parameter?.Name == "steps");
        if (steps is null || ConstantSteps.Of(steps.Value, context.CancellationToken) is not { } value || value < 1) return;
        SequenceLengths.FoundForward(type, value);
    }

    private static void OnClip(OperationAnalysisContext context, IInvocationOperation invocation)
    {
        if (Argument(invocation.Arguments, 1) is not { } threshold || Constant(threshold.Value) is not { } value || value > 0) return;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ClipThresholdNotPositive, threshold.Syntax.GetLocation(),
            invocation.TargetMethod.Name, threshold.Parameter?.Name ?? "threshold", Numbers.Format(value)));
    }

    private void OnStep(OperationAnalysisContext context, IInvocationOperation step, string optimizer)
    {
        if (Argument(step.Arguments, 0) is not { } parametersArgument || Argument(step.Arguments, 1) is not { } gradientsArgument) return;
        if (Unwrap(parametersArgument.Value) is not IPropertyReferenceOperation { Property.Name: "Parameters", Instance: { } parametersOf } ||
            Unwrap(gradientsArgument.Value) is not IPropertyReferenceOperation { Property.Name: "Gradients", Instance: { } gradientsOf })
            return;
        ISymbol? model = Referenced(parametersOf);
        if (model is null || !SymbolEqualityComparer.Default.Equals(model, Referenced(gradientsOf))) return;
        if (parametersOf.Type is not INamedTypeSymbol type || Model(type, context.CancellationToken) is null) return;

        // The statement just before must be model.Backward(...): then nothing clipped in between.
        if (step.Parent is not IExpressionStatementOperation statement || statement.Parent is not IBlockOperation block) return;
        int index = block.Operations.IndexOf(statement);
        if (index < 1 || block.Operations[index - 1] is not IExpressionStatementOperation { Operation: IInvocationOperation backward }) return;
        if (backward.TargetMethod.Name != "Backward" || backward.Instance is null ||
            !SymbolEqualityComparer.Default.Equals(Referenced(backward.Instance), model))
            return;

        ModelDeclaration declaration = Model(type, context.CancellationToken)!;
        int? steps = declaration.Training?.SequenceLength;
        List<string> reasons = GradientStabilityAnalyzer.ClippingMatters(declaration, optimizer, steps, out ParsedLayer? blamed);

        // The fix adds ClipNorm to [Training] (or creates it next to the layers): point it there.
        if (!declaration.Layers.Any(l => l.Layer.IsRecurrent)) return;
        AttributeData anchor = declaration.Training?.Attribute ?? (blamed ?? declaration.Layers.First(l => l.Layer.IsRecurrent)).Attribute;
        Location declarationLocation = ProblemLocation.Of(anchor, null, type, context.CancellationToken);
        if (steps is null && reasons.Count == 0)
        {
            // T may still be read from a Forward elsewhere: judge at the end of the compilation.
            SequenceLengths.FoundUnclippedStep(type, optimizer, step.Syntax.GetLocation(), declarationLocation);
            return;
        }
        if (reasons.Count == 0) return;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingClipping, step.Syntax.GetLocation(),
            new[] { declarationLocation }, type.Name, $"this {optimizer}.Step follows Backward directly", string.Join(", and ", reasons)));
    }

    public void OnObjectCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Constructor is not { } constructor || OptimizerName(constructor.ContainingType) is not { } optimizer) return;
        if (Argument(creation.Arguments, 0) is not { } count ||
            Unwrap(count.Value) is not IFieldReferenceOperation { Field: { Name: "ParameterCount", IsConst: true } field })
            return;
        if (Model(field.ContainingType, context.CancellationToken) is not { } model) return;

        IArgumentOperation? rateArgument = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "learningRate");
        if (rateArgument is null || rateArgument.ArgumentKind == ArgumentKind.DefaultValue || Constant(rateArgument.Value) is not { } rate) return;
        if (GradientStabilityAnalyzer.LearningRateDiagnostic(model, optimizer, rate, rateArgument.Syntax.GetLocation()) is { } diagnostic)
            context.ReportDiagnostic(diagnostic);
    }

    private static string? OptimizerName(INamedTypeSymbol? type) =>
        type is { ContainingNamespace: { Name: ModelParser.Namespace, ContainingNamespace.IsGlobalNamespace: true } } && s_optimizers.Contains(type.Name)
            ? type.Name
            : null;

    /// <summary>The argument bound to the parameter at <paramref name="ordinal"/>, whatever the order at the call site.</summary>
    private static IArgumentOperation? Argument(IEnumerable<IArgumentOperation> arguments, int ordinal) =>
        arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal);

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion) operation = conversion.Operand;
        return operation;
    }

    private static double? Constant(IOperation operation)
    {
        Optional<object?> constant = operation.ConstantValue;
        if (!constant.HasValue || constant.Value is null or bool or string or char) return null;
        return constant.Value is IConvertible convertible ? convertible.ToDouble(CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The variable an expression reads (a local, parameter, field or property), or null.</summary>
    private static ISymbol? Referenced(IOperation operation) => Unwrap(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field when field.Instance is null or IInstanceReferenceOperation => field.Field,
        IPropertyReferenceOperation property when property.Instance is null or IInstanceReferenceOperation => property.Property,
        _ => null,
    };
}
