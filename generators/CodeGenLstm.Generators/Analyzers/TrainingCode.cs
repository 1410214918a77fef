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
/// Training facts read from code, for one compilation. Only what names a model class of this
/// compilation explicitly counts; anything else leaves the fact unknown:
/// <list type="bullet">
/// <item><c>Clip.GlobalNorm(x.Gradients, c)</c> / <c>Clip.Value(x.Gradients, c)</c> with x of a model type:
/// that model is clipped. A Clip call on anything else (a local span, an interface) could serve any
/// model, so it makes clipping unknown for all of them. A constant threshold that is not above 0 is
/// CGL1009 wherever it is.</item>
/// <item><c>new Adam(M.ParameterCount, learningRate: c)</c> (Sgd, AdamW, RmsProp likewise) with M a model
/// class: M is trained with that optimizer; a constant rate is checked by CGL1013.</item>
/// <item><c>x.Backward(...);</c> immediately followed by <c>o.Step(x.Parameters, x.Gradients);</c> with o
/// of a runtime optimizer class: that training step does not clip (nothing runs in between, and the
/// runtime's optimizers do not clip), and the model is trained with o's optimizer.</item>
/// </list>
/// </summary>
internal sealed class TrainingCode
{
    private static readonly string[] s_optimizers = { "Sgd", "Adam", "AdamW", "RmsProp" };

    private readonly ConcurrentDictionary<INamedTypeSymbol, ModelDeclaration?> _models = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, ModelFacts> _facts = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _clip;
    private int _unattributedClipping;

    public TrainingCode(Compilation compilation)
    {
        _clip = compilation.GetTypeByMetadataName("CodeGenLstm.Clip");
    }

    /// <summary>True when the CodeGenLstm runtime (its Clip class) is referenced: only then can code train a model.</summary>
    public bool RuntimeReferenced => _clip is not null;

    /// <summary>True when a Clip call was found whose gradients cannot be tied to one model.</summary>
    public bool UnattributedClipping => Volatile.Read(ref _unattributedClipping) != 0;

    /// <summary>Every model class seen, with a declaration the generator builds.</summary>
    public IEnumerable<ModelDeclaration> Models =>
        _models.Values.Where(m => m is not null).Select(m => m!).OrderBy(m => m.Type.ToDisplayString(), StringComparer.Ordinal);

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

    public ModelFacts FactsOf(INamedTypeSymbol type) => _facts.GetOrAdd(type, _ => new ModelFacts());

    /// <summary>The optimizer: [Training]'s, else the one the code uses, when all of the code agrees.</summary>
    public string? OptimizerOf(ModelDeclaration model)
    {
        if (model.Training?.Optimizer is { } stated) return stated;
        ModelFacts facts = FactsOf(model.Type);
        string[] kinds;
        lock (facts) kinds = facts.Optimizers.Distinct().ToArray();
        return kinds.Length == 1 ? kinds[0] : null;
    }

    public void OnInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, _clip) && method.Name is "GlobalNorm" or "Value")
            OnClip(context, invocation);
        else if (method.Name == "Step" && OptimizerName(method.ContainingType) is { } optimizer)
            OnStep(context, invocation, optimizer);
    }

    private void OnClip(OperationAnalysisContext context, IInvocationOperation invocation)
    {
        IArgumentOperation? gradients = Argument(invocation.Arguments, 0);
        IArgumentOperation? threshold = Argument(invocation.Arguments, 1);
        if (gradients is null || threshold is null) return;

        double? value = Constant(threshold.Value);
        if (value is { } v && !(v > 0))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ClipThresholdNotPositive, threshold.Syntax.GetLocation(),
                invocation.TargetMethod.Name, threshold.Parameter?.Name ?? "threshold", Numbers.Format(v)));
            return;
        }
        if (value is { } off && double.IsPositiveInfinity(off)) return;  // +inf turns clipping off

        if (Unwrap(gradients.Value) is IPropertyReferenceOperation { Property.Name: "Gradients", Instance: { } instance }
            && instance.Type is INamedTypeSymbol type && Model(type, context.CancellationToken) is not null)
        {
            ModelFacts facts = FactsOf(type);
            lock (facts)
            {
                if (invocation.TargetMethod.Name == "GlobalNorm") facts.NormClips.Add(invocation.Syntax.GetLocation());
                else facts.ValueClips.Add(invocation.Syntax.GetLocation());
            }
        }
        else
        {
            Interlocked.Exchange(ref _unattributedClipping, 1);
        }
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

        ModelFacts facts = FactsOf(type);
        lock (facts)
        {
            facts.UnclippedSteps.Add(step.Syntax.GetLocation());
            facts.Optimizers.Add(optimizer);
        }
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
        ModelFacts facts = FactsOf(model.Type);
        lock (facts) facts.Optimizers.Add(optimizer);
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

    /// <summary>What the code says about one model. Lists are guarded by locking the instance.</summary>
    internal sealed class ModelFacts
    {
        public List<Location> NormClips { get; } = new();
        public List<Location> ValueClips { get; } = new();
        public List<Location> UnclippedSteps { get; } = new();
        public List<string> Optimizers { get; } = new();
    }
}
