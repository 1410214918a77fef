using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the analyzers report, in one place. Each has a help page at
/// docs/diagnostics/{id}.md (what it means, the evidence, how to fix, how to silence) and can be
/// configured in .editorconfig with dotnet_diagnostic.{id}.severity. The generator reports none:
/// it skips what it cannot build, and the analyzers say why.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Where the docs/diagnostics pages are published.</summary>
    public const string HelpLinkBase = "https://github.com/CodeGenLstm/CodeGenLstm/blob/main/docs/diagnostics/";

    private const string Configuration = "CodeGenLstm.Configuration";

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        DiagnosticIds.ClassNotPartial,
        "Model class must be partial",
        "'{0}' must be declared partial so that the generated model can be added to it");

    public static readonly DiagnosticDescriptor SplitDeclaration = Error(
        DiagnosticIds.SplitDeclaration,
        "Layer attributes must be on one declaration",
        "The layer attributes of '{0}' are spread over {1} partial declarations, so their order is undefined; put them on one declaration");

    public static readonly DiagnosticDescriptor SizeOutOfRange = Error(
        DiagnosticIds.SizeOutOfRange,
        "Size out of range",
        "{0} is {1}; it must be at least {2}");

    public static readonly DiagnosticDescriptor FirstLayerNeedsInputSize = Error(
        DiagnosticIds.FirstLayerNeedsInputSize,
        "The first layer must state its input size",
        "The first layer ({0}) must state the input size: give a recurrent first layer inputSize, or start the model with [Embedding]");

    public static readonly DiagnosticDescriptor EmbeddingNotFirst = Error(
        DiagnosticIds.EmbeddingNotFirst,
        "Embedding must be the first layer",
        "[Embedding] must be the first layer: it turns token ids into vectors, and only the model's input is token ids");

    public static readonly DiagnosticDescriptor LayerAfterLastStep = Error(
        DiagnosticIds.LayerAfterLastStep,
        "No layer can follow a LastStep read-out",
        "No layer can follow '{0}', a Dense read-out with Readout.LastStep: it outputs one vector per sequence, not one per step");

    public static readonly DiagnosticDescriptor InputSizeMismatch = Error(
        DiagnosticIds.InputSizeMismatch,
        "Input size does not match the layer above",
        "inputSize is {0}, but the layer above ('{1}') outputs {2} features per step; remove inputSize or make it {2}");

    public static readonly DiagnosticDescriptor InvalidValue = Error(
        DiagnosticIds.InvalidValue,
        "Invalid layer setting",
        "{0} = {1} is not valid: expected {2}");

    public static readonly DiagnosticDescriptor UnsupportedCombination = Error(
        DiagnosticIds.UnsupportedCombination,
        "Unsupported combination of settings",
        "{0} is not supported on {1}: {2}");

    public static readonly DiagnosticDescriptor DuplicateName = Error(
        DiagnosticIds.DuplicateName,
        "Two layers have the same name",
        "Two layers are named '{0}', so their tensor names would collide; give one of them another Name");

    public static readonly DiagnosticDescriptor ModelTooLarge = Error(
        DiagnosticIds.ModelTooLarge,
        "Model too large",
        "'{0}' has more than {1} parameters, more than one array can hold");

    public static readonly DiagnosticDescriptor UnsupportedClass = Error(
        DiagnosticIds.UnsupportedClass,
        "Unsupported model type",
        "'{0}' cannot hold a generated model: it is {1}; declare the model on a non-generic, non-static partial class");

    public static readonly DiagnosticDescriptor InvalidTrainingFact = Error(
        DiagnosticIds.InvalidTrainingFact,
        "Invalid training fact",
        "[Training] {0} = {1} is not valid: expected {2}");

    public static readonly DiagnosticDescriptor TrainingWithoutLayers = new(
        DiagnosticIds.TrainingWithoutLayers,
        "[Training] on a class without layers",
        "'{0}' has [Training] but no layer attribute, so no model is generated; add [Lstm], [Gru], [Rnn], [Embedding] or [Dense]",
        Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + DiagnosticIds.TrainingWithoutLayers + ".md");

    /// <summary>The configuration diagnostics, by id.</summary>
    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> Configurations = new[]
    {
        ClassNotPartial, SplitDeclaration, SizeOutOfRange, FirstLayerNeedsInputSize, EmbeddingNotFirst,
        LayerAfterLastStep, InputSizeMismatch, InvalidValue, UnsupportedCombination, DuplicateName,
        ModelTooLarge, UnsupportedClass, InvalidTrainingFact, TrainingWithoutLayers,
    }.ToImmutableDictionary(d => d.Id);

    /// <summary>True when a problem with this id stops generation.</summary>
    public static bool IsError(string id) =>
        Configurations.TryGetValue(id, out DiagnosticDescriptor? descriptor) && descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    private static DiagnosticDescriptor Error(string id, string title, string message) => new(
        id, title, message, Configuration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + id + ".md");

    /// <summary>All descriptors, for SupportedDiagnostics and for the docs test.</summary>
    public static IEnumerable<DiagnosticDescriptor> All => Configurations.Values.OrderBy(d => d.Id, System.StringComparer.Ordinal);
}
