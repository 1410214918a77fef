using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CodeGenLstm.Generators.Diagnostics;
using CodeGenLstm.Generators.Emitting;
using CodeGenLstm.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeGenLstm.Generators.Parsing;

/// <summary>
/// Reads a class's layer attributes into a <see cref="ModelDeclaration"/>. The generator and the
/// analyzers share this one parser, so they agree on every size. It never throws on malformed
/// input: an attribute the compiler could not bind is skipped (the compiler reports it), a value out
/// of range becomes a <see cref="ModelProblem"/>.
/// </summary>
internal static class ModelParser
{
    public const string Namespace = "CodeGenLstm";

    /// <summary>Metadata names of the attributes that declare layers; any one of them makes a class a model.</summary>
    public static readonly string[] LayerAttributeNames =
    {
        "CodeGenLstm.LstmAttribute",
        "CodeGenLstm.GruAttribute",
        "CodeGenLstm.RnnAttribute",
        "CodeGenLstm.EmbeddingAttribute",
        "CodeGenLstm.DenseAttribute",
    };

    /// <summary>The largest parameter count a model may have (<see cref="ModelLimits.MaxParameterCount"/>).</summary>
    public const long MaxParameterCount = ModelLimits.MaxParameterCount;

    public static ModelDeclaration Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var declaration = new ModelDeclaration(type);
        var problems = declaration.Problems;

        // A class whose name is still being typed (`public partial class ` and nothing yet): the
        // compiler reports the missing name; generating for it would only add errors under that one.
        if (IsStillBeingTyped(type, cancellationToken)) return declaration;

        CheckClass(type, declaration, cancellationToken);
        int classProblems = problems.Count;

        // [Dense] written above the recurrent layers (or above [Embedding]): the attributes are read top to
        // bottom, so it would be the first layer. The likely intent is a read-out below them, so these Dense
        // layers get CGL0015, which says to move them, and the layers below are checked as if the Dense
        // layers were not above them (no CGL0007 or CGL0005 that only the misplaced Dense causes).
        var layerAttributes = type.GetAttributes().Where(a => LayerKindOf(a.AttributeClass) is not null).ToList();
        int leadingDense = layerAttributes.TakeWhile(a => LayerKindOf(a.AttributeClass) == LayerKind.Dense).Count();
        AttributeData? moveBelow = leadingDense == 0 ? null :
            layerAttributes.Skip(leadingDense).LastOrDefault(a => LayerKindOf(a.AttributeClass) is LayerKind.Lstm or LayerKind.Gru or LayerKind.Rnn) ??
            layerAttributes.Skip(leadingDense).FirstOrDefault(a => LayerKindOf(a.AttributeClass) == LayerKind.Embedding);
        var misplaced = new List<(AttributeData Attribute, string Name)>();

        // Layers in source order, each resolved against the previous layer's output.
        int previousOutput = 0;
        LayerSpec? previous = null;
        var kindCounts = new Dictionary<LayerKind, int>();
        bool broken = false;
        int position = 0, index = 0;  // among the layer attributes; among the layers checked as a sequence
        foreach (AttributeData attribute in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            LayerKind? kind = LayerKindOf(attribute.AttributeClass);
            if (kind is null)
            {
                if (IsAttribute(attribute.AttributeClass, "TrainingAttribute"))
                    declaration.Training = ReadTraining(attribute, problems);
                continue;
            }
            bool isMisplaced = moveBelow is not null && position < leadingDense;
            if (moveBelow is not null && position == leadingDense)
            {
                // The first layer below the misplaced Dense layers: checked as the first layer.
                previous = null;
                previousOutput = 0;
                index = 0;
            }
            position++;
            if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
            {
                broken = true;  // the compiler reports the binding error; nothing sensible to generate
                continue;
            }

            LayerSpec? layer = ReadLayer(kind.Value, attribute, isMisplaced ? -1 : index, previous, previousOutput, kindCounts, problems);
            if (layer is null)
            {
                broken = true;
                continue;
            }
            declaration.Layers.Add(new ParsedLayer(attribute, layer));
            if (isMisplaced) misplaced.Add((attribute, layer.Name));
            previous = layer;
            previousOutput = layer.OutputSize;
            index++;
        }

        if (moveBelow is not null)
        {
            LayerKind belowKind = LayerKindOf(moveBelow.AttributeClass)!.Value;
            string belowName = declaration.Layers.FirstOrDefault(l => ReferenceEquals(l.Attribute, moveBelow))?.Layer.Name ?? belowKind.ToString().ToLowerInvariant();
            string below = belowKind == LayerKind.Embedding ? $"[Embedding] '{belowName}'" : $"the last recurrent layer, [{belowKind}] '{belowName}'";
            string next = LayerKindOf(layerAttributes[leadingDense].AttributeClass)!.Value.ToString();
            problems.InsertRange(classProblems, misplaced.Select(m =>
                new ModelProblem(DiagnosticIds.DenseAboveRecurrent, m.Attribute, null, new object[] { m.Name, next, below })));
        }

        if (declaration.Layers.Count == 0 && !broken)
        {
            if (declaration.Training is { } training)
                problems.Add(new ModelProblem(DiagnosticIds.TrainingWithoutLayers, training.Attribute, null, new object[] { type.Name }));
            return declaration;
        }

        if (declaration.Layers.Count > 0)
        {
            CheckNames(declaration, problems);
            CheckModelLayers(declaration, problems);
            CheckParameterCount(declaration, problems);
        }

        string? namespaceName = type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null;
        string hintName = HintNames.Of(type) + ".g.cs";
        AttributeData? firstLayer = type.GetAttributes().FirstOrDefault(a => LayerKindOf(a.AttributeClass) is not null);
        // A type named System or CodeGenLstm in the global namespace hides the namespace that every
        // global:: reference of generated code (model or placeholder) starts with: nothing can be emitted.
        List<string> hidden = MemberClashes.HiddenNamespaces(type);
        if (hidden.Count > 0)
        {
            problems.Add(new ModelProblem(DiagnosticIds.GeneratedNameTaken, firstLayer, null, new object[] { type.Name, string.Join(", ", hidden) }));
            return declaration;
        }
        if (!broken && problems.All(p => !DiagnosticDescriptors.IsError(p.Id)))
        {
            var spec = new ModelSpec(
                namespaceName,
                ContainingTypes(type),
                type.Name,
                declaration.Layers.Select(l => l.Layer).ToImmutableEquatableArray(),
                hintName);
            // The user's own members (and the class's name) against what the model part declares.
            List<string> clashes = MemberClashes.Find(type, spec, () => ModelEmitter.Emit(spec), cancellationToken);
            if (clashes.Count == 0)
            {
                declaration.Spec = spec;
                return declaration;
            }
            problems.Add(new ModelProblem(DiagnosticIds.GeneratedNameTaken, firstLayer, null, new object[] { type.Name, string.Join(", ", clashes) }));
        }
        if (CanHoldPlaceholder(problems))
        {
            var placeholder = new PlaceholderSpec(
                namespaceName,
                ContainingTypes(type),
                type.Name,
                TakesTokens: firstLayer is not null && LayerKindOf(firstLayer.AttributeClass) == LayerKind.Embedding,
                problems.Where(p => DiagnosticDescriptors.IsError(p.Id)).Select(p => p.Id).Distinct().ToImmutableEquatableArray(),
                hintName);
            List<string> clashes = MemberClashes.Find(type, placeholder, () => PlaceholderEmitter.Emit(placeholder), cancellationToken);
            if (clashes.Count == 0)
                declaration.Placeholder = placeholder;
            else if (!problems.Any(p => p.Id == DiagnosticIds.GeneratedNameTaken))
                problems.Add(new ModelProblem(DiagnosticIds.GeneratedNameTaken, firstLayer, null, new object[] { type.Name, string.Join(", ", clashes) }));
        }
        return declaration;
    }

    /// <summary>True while the class's name is missing (the user is still typing the declaration).</summary>
    private static bool IsStillBeingTyped(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.Name.Length == 0 || type.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax(cancellationToken) is BaseTypeDeclarationSyntax { Identifier.IsMissing: true });

    /// <summary>
    /// Whether a class that cannot get its model can get a placeholder part instead (see
    /// <see cref="PlaceholderSpec"/>): the model's public surface, so that code using the model compiles
    /// and the CGL0 error stands alone. Decided by the kind of error:
    /// <list type="bullet">
    /// <item>CGL0001, the class or an enclosing type is not partial: no placeholder. A generated
    /// <c>partial class</c> beside a declaration without <c>partial</c> is itself an error (CS0260), and
    /// its members would then clash with nothing but add more errors.</item>
    /// <item>CGL0012, a static, generic, record or struct model, or one nested in a generic type: no
    /// placeholder. A static class cannot have the instance members (CS0708); a generic class, or one
    /// nested in a generic type, would need its type parameters repeated, and a part without them is
    /// another type; records and structs are not classes (the generator's predicate never sees them). Any
    /// part written for these would add its own errors or be a different type from the user's.</item>
    /// <item>Every other error (CGL0002 to CGL0011, CGL0013) is about the layer attributes or [Training],
    /// not the class, and so is a layer attribute that does not bind (the compiler's error): the class is
    /// a plain partial class, and the placeholder part always compiles. For CGL0002 (layers on several
    /// declarations) the input kind comes from the first layer attribute the compiler lists.</item>
    /// </list>
    /// </summary>
    private static bool CanHoldPlaceholder(List<ModelProblem> problems) =>
        !problems.Any(p => p.Id is DiagnosticIds.ClassNotPartial or DiagnosticIds.UnsupportedClass);

    private static void CheckClass(INamedTypeSymbol type, ModelDeclaration declaration, CancellationToken cancellationToken)
    {
        var problems = declaration.Problems;
        AttributeData? first = type.GetAttributes().FirstOrDefault(a => LayerKindOf(a.AttributeClass) is not null);

        if (type.TypeKind != TypeKind.Class || type.IsRecord || type.IsStatic || type.IsGenericType)
        {
            string what = type.IsRecord ? "a record" : type.IsStatic ? "a static class" : type.IsGenericType ? "a generic class" : $"a {type.TypeKind.ToString().ToLowerInvariant()}";
            problems.Add(new ModelProblem(DiagnosticIds.UnsupportedClass, first, null, new object[] { type.Name, what }));
        }
        else if (UnsupportedShape(type, cancellationToken) is { } shape)
        {
            problems.Add(new ModelProblem(DiagnosticIds.UnsupportedClass, first, null, new object[] { type.Name, shape }));
        }

        // The class and every enclosing type must be partial so that the generated part can join them.
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            bool isPartial = t.DeclaringSyntaxReferences.Length > 0 && t.DeclaringSyntaxReferences.All(r =>
                r.GetSyntax(cancellationToken) is TypeDeclarationSyntax syntax && syntax.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!isPartial)
            {
                problems.Add(new ModelProblem(DiagnosticIds.ClassNotPartial, first, null, new object[] { t.Name }));
                break;
            }
            if (!ReferenceEquals(t, type) && t.IsGenericType)
            {
                problems.Add(new ModelProblem(DiagnosticIds.UnsupportedClass, first, null, new object[] { type.Name, $"nested in the generic type {t.Name}" }));
                break;
            }
        }

        // Layer attributes spread over several partial declarations have no defined order.
        var declaringTrees = type.GetAttributes()
            .Where(a => LayerKindOf(a.AttributeClass) is not null && a.ApplicationSyntaxReference is not null)
            .Select(a => a.ApplicationSyntaxReference!.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>())
            .Distinct()
            .Count();
        if (declaringTrees > 1)
            problems.Add(new ModelProblem(DiagnosticIds.SplitDeclaration, first, null, new object[] { type.Name, declaringTrees }));
    }

    /// <summary>
    /// Class shapes the generated part cannot join: a file-local class (a part in another file would be
    /// another type), a primary constructor (the generated constructors would have to call it), a base
    /// class without a constructor the generated ones can call with no arguments.
    /// </summary>
    private static string? UnsupportedShape(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            if (t.IsFileLocal) return "a file-local class (or nested in one), which the generated part, in another file, cannot join";
        if (type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null }))
            return "a class with a primary constructor, which the generated constructors would have to call";
        if (type.BaseType is { TypeKind: TypeKind.Class, SpecialType: not SpecialType.System_Object } baseType &&
            !baseType.InstanceConstructors.Any(c => c.DeclaredAccessibility != Accessibility.Private &&
                                                   c.Parameters.All(p => p.IsOptional || p.IsParams)))
            return $"derived from '{baseType.Name}', which has no constructor the generated constructors can call without arguments";
        return null;
    }

    private static ImmutableEquatableArray<ContainingTypeSpec> ContainingTypes(INamedTypeSymbol type)
    {
        var chain = new List<ContainingTypeSpec>();
        for (INamedTypeSymbol? t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            string keyword = t.TypeKind switch
            {
                TypeKind.Struct => t.IsRecord ? "record struct" : "struct",
                TypeKind.Interface => "interface",
                _ => t.IsRecord ? "record" : "class",
            };
            chain.Insert(0, new ContainingTypeSpec(keyword, t.Name));
        }
        return chain.ToImmutableEquatableArray();
    }

    /// <summary>Reads one layer attribute, resolved against the layer above.</summary>
    /// <param name="index">The layer's position in the sequence checked, 0 for the first layer; -1 for a [Dense]
    /// above the recurrent layers (CGL0015), which is not checked for what only the first layer needs.</param>
    private static LayerSpec? ReadLayer(
        LayerKind kind, AttributeData attribute, int index, LayerSpec? previous, int previousOutput,
        Dictionary<LayerKind, int> kindCounts, List<ModelProblem> problems)
    {
        var args = new ArgumentReader(attribute);
        string defaultName = kind.ToString().ToLowerInvariant();
        kindCounts.TryGetValue(kind, out int sameKindBefore);
        kindCounts[kind] = sameKindBefore + 1;
        string name = args.Named<string>("Name") ?? (sameKindBefore == 0 ? defaultName : $"{defaultName}_{sameKindBefore}");

        if (previous is { Readout: ReadoutKind.LastStep })
            problems.Add(new ModelProblem(DiagnosticIds.LayerAfterLastStep, attribute, null, new object[] { previous.Name }));
        if (kind == LayerKind.Embedding && index != 0)
            problems.Add(new ModelProblem(DiagnosticIds.EmbeddingNotFirst, attribute, null, Array.Empty<object>()));

        switch (kind)
        {
            case LayerKind.Embedding:
            {
                int vocabulary = args.Int("vocabularySize");
                int dimension = args.Int("dimension");
                CheckSize(attribute, "vocabularySize", vocabulary, 1, problems);
                CheckSize(attribute, "dimension", dimension, 1, problems);
                return LayerSpec.Embedding(name, vocabularySize: vocabulary, dimension: dimension);
            }
            case LayerKind.Dense:
            {
                int output = args.Int("outputSize");
                CheckSize(attribute, "outputSize", output, 1, problems);
                if (index == 0)
                    problems.Add(new ModelProblem(DiagnosticIds.FirstLayerNeedsInputSize, attribute, null, new object[] { "Dense" }));
                var readout = (ReadoutKind)args.Named<int>("Readout");
                if (readout is not (ReadoutKind.EachStep or ReadoutKind.LastStep))
                    problems.Add(new ModelProblem(DiagnosticIds.InvalidValue, attribute, "Readout", new object[] { "Readout", (int)readout, "EachStep or LastStep" }));
                return LayerSpec.Dense(name, inputSize: previousOutput, outputSize: output, readout);
            }
            default:
            {
                int hidden = args.Int("hiddenSize");
                int layers = args.Int("layers");
                bool bidirectional = args.Bool("bidirectional");
                int inputSize = args.Int("inputSize");
                CheckSize(attribute, "hiddenSize", hidden, 1, problems);
                CheckAtLeast(attribute, "layers", layers, 1, problems);
                CheckAtMost(attribute, "layers", layers, ModelLimits.MaxStackedLayers, problems);
                CheckSize(attribute, "inputSize", inputSize, 0, problems);

                if (index == 0 && inputSize == 0)
                    problems.Add(new ModelProblem(DiagnosticIds.FirstLayerNeedsInputSize, attribute, null, new object[] { kind.ToString() }));
                else if (index > 0 && inputSize > 0 && inputSize != previousOutput)
                    problems.Add(new ModelProblem(DiagnosticIds.InputSizeMismatch, attribute, "inputSize", new object[] { inputSize, previous!.Name, previousOutput }));

                var activation = (ActivationKind)args.Named<int>("Activation");
                var init = (InitKind)args.Named<int>("Init");
                float gain = args.Named<float?>("InitGain") ?? 1f;
                float forgetBias = args.Named<float?>("ForgetBias") ?? 1f;
                float dropout = args.Named<float>("Dropout");
                bool residual = args.Named<bool>("Residual");

                if (activation is < ActivationKind.Tanh or > ActivationKind.Sigmoid)
                    problems.Add(new ModelProblem(DiagnosticIds.InvalidValue, attribute, "Activation", new object[] { "Activation", (int)activation, "Tanh, Relu or Sigmoid" }));
                if (init is < InitKind.Uniform or > InitKind.Identity)
                    problems.Add(new ModelProblem(DiagnosticIds.InvalidValue, attribute, "Init", new object[] { "Init", (int)init, "Uniform, XavierUniform, Orthogonal or Identity" }));
                else if (init == InitKind.Identity && kind != LayerKind.Rnn)
                    problems.Add(new ModelProblem(DiagnosticIds.UnsupportedCombination, attribute, "Init", new object[] { "Init = RecurrentInit.Identity", kind.ToString(), "an identity needs a square weight_hh, and only Rnn has one gate block; use Orthogonal" }));
                if (!(gain > 0f) || float.IsInfinity(gain))
                    problems.Add(new ModelProblem(DiagnosticIds.InvalidValue, attribute, "InitGain", new object[] { "InitGain", gain, "a finite number above 0" }));
                if (float.IsNaN(forgetBias) || float.IsInfinity(forgetBias))
                    problems.Add(new ModelProblem(DiagnosticIds.InvalidValue, attribute, "ForgetBias", new object[] { "ForgetBias", forgetBias, "a finite number" }));
                if (!(dropout >= 0f && dropout < 1f))
                    problems.Add(new ModelProblem(DiagnosticIds.InvalidValue, attribute, "Dropout", new object[] { "Dropout", dropout, "a probability in [0, 1)" }));

                int input = index == 0 ? inputSize : previousOutput;
                return LayerSpec.Recurrent(kind, name, inputSize: input, hiddenSize: hidden, layers: layers, bidirectional: bidirectional,
                    activation: activation, init: init, initGain: gain, forgetBias: forgetBias, dropout: dropout, residual: residual);
            }
        }
    }

    private static TrainingFacts ReadTraining(AttributeData attribute, List<ModelProblem> problems)
    {
        var args = new ArgumentReader(attribute);
        int sequenceLength = args.Named<int>("SequenceLength");
        int optimizer = args.Named<int>("Optimizer");
        float learningRate = args.Named<float>("LearningRate");
        float clipNorm = args.Named<float>("ClipNorm");
        float clipValue = args.Named<float>("ClipValue");

        void Check(string name, bool ok, object value, string expected)
        {
            if (!ok) problems.Add(new ModelProblem(DiagnosticIds.InvalidTrainingFact, attribute, name, new object[] { name, value, expected }));
        }
        Check("SequenceLength", sequenceLength >= 0, sequenceLength, "0 (unknown) or a positive number of steps");
        Check("LearningRate", learningRate >= 0f && !float.IsInfinity(learningRate), learningRate, "0 (unknown) or a positive finite rate");
        Check("ClipNorm", clipNorm >= 0f && !float.IsInfinity(clipNorm), clipNorm, "0 (no clipping) or a positive finite threshold");
        Check("ClipValue", clipValue >= 0f && !float.IsInfinity(clipValue), clipValue, "0 (no clipping) or a positive finite threshold");

        string[] optimizers = { "Unknown", "Sgd", "SgdMomentum", "Adam", "AdamW", "RmsProp" };
        return new TrainingFacts(
            attribute,
            sequenceLength > 0 ? sequenceLength : null,
            args.Named<int?>("SequenceLength") is not null,
            optimizer > 0 && optimizer < optimizers.Length ? optimizers[optimizer] : null,
            Known(learningRate),
            Known(clipNorm),
            Known(clipValue));
    }

    /// <summary>A fact the rules may use: positive and finite (anything else is unknown, and CGL0013 when invalid).</summary>
    private static float? Known(float value) => value > 0f && !float.IsInfinity(value) ? value : null;

    private static void CheckAtLeast(AttributeData attribute, string argument, int value, int minimum, List<ModelProblem> problems)
    {
        if (value < minimum)
            problems.Add(new ModelProblem(DiagnosticIds.SizeOutOfRange, attribute, argument, new object[] { argument, value, minimum }));
    }

    /// <summary>A size: at least <paramref name="minimum"/>, at most <see cref="ModelLimits.MaxSize"/>.</summary>
    private static void CheckSize(AttributeData attribute, string argument, int value, int minimum, List<ModelProblem> problems)
    {
        CheckAtLeast(attribute, argument, value, minimum, problems);
        CheckAtMost(attribute, argument, value, ModelLimits.MaxSize, problems);
    }

    private static void CheckAtMost(AttributeData attribute, string argument, int value, int maximum, List<ModelProblem> problems)
    {
        if (value > maximum)
            problems.Add(new ModelProblem(DiagnosticIds.AboveMaximum, attribute, argument, new object[] { argument, value, maximum }));
    }

    /// <summary>
    /// Every stacked layer, Embedding and Dense counts one; the sum is bounded by <see cref="ModelLimits.MaxModelLayers"/>,
    /// and the number of layer attributes by <see cref="ModelLimits.MaxLayerAttributes"/> (reported on the first one past it).
    /// </summary>
    private static void CheckModelLayers(ModelDeclaration declaration, List<ModelProblem> problems)
    {
        if (declaration.Layers.Count > ModelLimits.MaxLayerAttributes)
            problems.Add(new ModelProblem(DiagnosticIds.AboveMaximum, declaration.Layers[ModelLimits.MaxLayerAttributes].Attribute, null,
                new object[] { $"the number of layer attributes of '{declaration.Type.Name}'", declaration.Layers.Count, ModelLimits.MaxLayerAttributes }));
        long total = 0;
        foreach (ParsedLayer parsed in declaration.Layers)
        {
            total += Math.Max(1, parsed.Layer.StackedLayers);
            if (total > ModelLimits.MaxModelLayers)
            {
                problems.Add(new ModelProblem(DiagnosticIds.AboveMaximum, parsed.Attribute, null,
                    new object[] { $"the number of layers of '{declaration.Type.Name}' (each stacked layer counted)", $"more than {ModelLimits.MaxModelLayers}", ModelLimits.MaxModelLayers }));
                return;
            }
        }
    }

    private static void CheckNames(ModelDeclaration declaration, List<ModelProblem> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParsedLayer parsed in declaration.Layers)
        {
            string name = parsed.Layer.Name;
            if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                problems.Add(new ModelProblem(DiagnosticIds.InvalidValue, parsed.Attribute, "Name", new object[] { "Name", $"\"{name}\"", "a non-empty tensor-name prefix without spaces" }));
            else if (name.Length > ModelLimits.MaxNameLength)
                problems.Add(new ModelProblem(DiagnosticIds.AboveMaximum, parsed.Attribute, "Name", new object[] { "the length of Name", name.Length, ModelLimits.MaxNameLength }));
            else if (!seen.Add(name))
                problems.Add(new ModelProblem(DiagnosticIds.DuplicateName, parsed.Attribute, "Name", new object[] { name }));
        }
    }

    private static void CheckParameterCount(ModelDeclaration declaration, List<ModelProblem> problems)
    {
        long total = 0;
        foreach (ParsedLayer parsed in declaration.Layers)
        {
            total = Plus(total, LayerParameterCount(parsed.Layer));
            if (total > MaxParameterCount)
            {
                problems.Add(new ModelProblem(DiagnosticIds.ModelTooLarge, parsed.Attribute, null, new object[] { declaration.Type.Name, MaxParameterCount }));
                return;
            }
        }
    }

    /// <summary>
    /// Parameters of one layer, saturating at <see cref="long.MaxValue"/>: any int sizes (int.MaxValue
    /// included) give an exact count or a count that is certainly too large, never an overflowed one.
    /// </summary>
    public static long LayerParameterCount(LayerSpec layer)
    {
        long h = Math.Max(0, layer.Units), input = Math.Max(0, layer.InputSize);
        switch (layer.Kind)
        {
            case LayerKind.Embedding: return Times(input, h);
            case LayerKind.Dense: return Times(input + 1, h);
            default:
                long gates = layer.Gates * h, directions = layer.Directions, stacked = Math.Max(0, layer.StackedLayers);
                if (stacked == 0) return 0;
                long first = Times(gates, input + h + 2);
                long rest = Times(gates, Plus(Times(h, directions), h + 2));
                return Times(directions, Plus(first, Times(stacked - 1, rest)));
        }
    }

    /// <summary>a * b for a, b >= 0, saturating at long.MaxValue.</summary>
    private static long Times(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    /// <summary>a + b for a, b >= 0, saturating at long.MaxValue.</summary>
    private static long Plus(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private static LayerKind? LayerKindOf(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null || !IsInRuntimeNamespace(attributeClass)) return null;
        return attributeClass.Name switch
        {
            "LstmAttribute" => LayerKind.Lstm,
            "GruAttribute" => LayerKind.Gru,
            "RnnAttribute" => LayerKind.Rnn,
            "EmbeddingAttribute" => LayerKind.Embedding,
            "DenseAttribute" => LayerKind.Dense,
            _ => null,
        };
    }

    private static bool IsAttribute(INamedTypeSymbol? attributeClass, string name) =>
        attributeClass is not null && attributeClass.Name == name && IsInRuntimeNamespace(attributeClass);

    private static bool IsInRuntimeNamespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true };

    /// <summary>True when <paramref name="attributeClass"/> is one of the layer attributes.</summary>
    public static bool IsLayerAttribute(INamedTypeSymbol? attributeClass) => LayerKindOf(attributeClass) is not null;
}
