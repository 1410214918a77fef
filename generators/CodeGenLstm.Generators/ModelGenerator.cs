using System.Linq;
using System.Threading;
using CodeGenLstm.Generators.Emitting;
using CodeGenLstm.Generators.Model;
using CodeGenLstm.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators;

/// <summary>
/// Turns a partial class carrying layer attributes ([Lstm], [Gru], [Rnn], [Embedding], [Dense]) into
/// a trainable recurrent network. Pipeline: the attributed class -> <see cref="ModelParser"/> ->
/// <see cref="ModelSpec"/> (equatable, cached) -> <see cref="ModelEmitter"/> -> one source file. A class
/// with a configuration error gets a <see cref="PlaceholderSpec"/> -> <see cref="PlaceholderEmitter"/> instead.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the parse step, for incremental-generation tests.</summary>
    public const string ModelSpecStep = "ModelSpec";

    /// <summary>Tracking name of the placeholder step (classes with a configuration error), for incremental-generation tests.</summary>
    public const string PlaceholderStep = "PlaceholderSpec";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // ForAttributeWithMetadataName matches one attribute type, and a model may start with any of
        // the five. Each pipeline only yields the classes whose *first* layer attribute is its own, and
        // only from the declaration that carries it, so every model is generated exactly once (a
        // repeated hint name would be CS8785).
        foreach (string attributeName in ModelParser.LayerAttributeNames)
        {
            IncrementalValuesProvider<GenerationTarget> targets = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attributeName,
                    predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                    transform: (context, cancellationToken) => ParseIfFirst(context, attributeName, cancellationToken))
                .Where(static target => target is not null)
                .Select(static (target, _) => target!);

            IncrementalValuesProvider<ModelSpec> models = targets
                .Where(static target => target.Model is not null)
                .Select(static (target, _) => target.Model!)
                .WithTrackingName(ModelSpecStep);
            context.RegisterSourceOutput(models, static (output, spec) =>
                output.AddSource(ModelEmitter.HintName(spec), ModelEmitter.Emit(spec)));

            // A declaration with a CGL0 error gets a placeholder (its public surface, each member throwing)
            // where its shape allows one, so that the error is not buried under errors from the code that
            // uses the model. ModelParser decides which errors allow it, and says why.
            IncrementalValuesProvider<PlaceholderSpec> placeholders = targets
                .Where(static target => target.Placeholder is not null)
                .Select(static (target, _) => target.Placeholder!)
                .WithTrackingName(PlaceholderStep);
            context.RegisterSourceOutput(placeholders, static (output, spec) =>
                output.AddSource(PlaceholderEmitter.HintName(spec), PlaceholderEmitter.Emit(spec)));
        }
    }

    private static GenerationTarget? ParseIfFirst(GeneratorAttributeSyntaxContext context, string attributeName, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type) return null;
        if (context.TargetNode is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax { Identifier.IsMissing: true }) return null;
        AttributeData? first = type.GetAttributes().FirstOrDefault(a => ModelParser.IsLayerAttribute(a.AttributeClass));
        if (first?.AttributeClass is null || ModelParser.Namespace + "." + first.AttributeClass.MetadataName != attributeName)
            return null;
        // Layers spread over several partial declarations (CGL0002) reach this pipeline once per
        // declaration: answer only for the one that holds the first layer attribute.
        if (first.ApplicationSyntaxReference is { } reference &&
            (reference.SyntaxTree != context.TargetNode.SyntaxTree || !context.TargetNode.Span.Contains(reference.Span)))
            return null;
        ModelDeclaration declaration = ModelParser.Parse(type, cancellationToken);
        return declaration.Spec is null && declaration.Placeholder is null ? null : new GenerationTarget(declaration.Spec, declaration.Placeholder);
    }
}
