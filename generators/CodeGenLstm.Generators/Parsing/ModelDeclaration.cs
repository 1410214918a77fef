using System.Collections.Generic;
using CodeGenLstm.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Parsing;

/// <summary>
/// What <see cref="ModelParser"/> read from one class: the equatable <see cref="Spec"/> when the model
/// can be generated, and, for the analyzers, the problems found and each layer's attribute. This
/// type holds Roslyn objects and is never cached by the incremental pipeline; only <see cref="Spec"/> is.
/// </summary>
internal sealed class ModelDeclaration
{
    public ModelDeclaration(INamedTypeSymbol type) => Type = type;

    public INamedTypeSymbol Type { get; }

    /// <summary>The model to generate, or null when any error-level problem was found.</summary>
    public ModelSpec? Spec { get; set; }

    /// <summary>
    /// When <see cref="Spec"/> is null because of errors and the class can take a generated part: the
    /// placeholder to generate instead (see <see cref="ModelParser"/>'s CanHoldPlaceholder).
    /// </summary>
    public PlaceholderSpec? Placeholder { get; set; }

    /// <summary>Layer attributes in source order, with what was read from each.</summary>
    public List<ParsedLayer> Layers { get; } = new();

    /// <summary>The [Training] facts, when the class has that attribute.</summary>
    public TrainingFacts? Training { get; set; }

    /// <summary>Configuration problems (CGL0xxx), in source order.</summary>
    public List<ModelProblem> Problems { get; } = new();
}

/// <summary>A layer attribute and its resolved description (sizes may be invalid when problems were reported).</summary>
internal sealed record ParsedLayer(AttributeData Attribute, LayerSpec Layer);

/// <summary>
/// What [Training] states. A fact of 0 is unknown (null here), so rules that need it stay silent.
/// <paramref name="SequenceLengthWritten"/> tells a written <c>SequenceLength = 0</c> (T unknown, and the user knows it:
/// CGL1016 has nothing to add) from no SequenceLength at all.
/// </summary>
internal sealed record TrainingFacts(
    AttributeData Attribute,
    int? SequenceLength,
    bool SequenceLengthWritten,
    string? Optimizer,
    float? LearningRate,
    float? ClipNorm,
    float? ClipValue);

/// <summary>
/// A configuration problem: which diagnostic, on which attribute (and argument, when one argument is
/// to blame), with the message arguments. Locations are resolved only by the analyzer that reports it.
/// </summary>
internal sealed record ModelProblem(string Id, AttributeData? Attribute, string? ArgumentName, object[] MessageArgs);
