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
/// <see cref="ModelSpec"/> (equatable, cached) -> <see cref="ModelEmitter"/> -> one source file.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the parse step, for incremental-generation tests.</summary>
    public const string ModelSpecStep = "ModelSpec";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // ForAttributeWithMetadataName matches one attribute type, and a model may start with any of
        // the five. Each pipeline only yields the classes whose *first* layer attribute is its own,
        // so every model is generated exactly once (a repeated hint name would be CS8785).
        foreach (string attributeName in ModelParser.LayerAttributeNames)
        {
            IncrementalValuesProvider<ModelSpec> models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attributeName,
                    predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                    transform: (context, cancellationToken) => ParseIfFirst(context, attributeName, cancellationToken))
                .Where(static spec => spec is not null)
                .Select(static (spec, _) => spec!)
                .WithTrackingName(ModelSpecStep);

            context.RegisterSourceOutput(models, static (output, spec) =>
                output.AddSource(ModelEmitter.HintName(spec), ModelEmitter.Emit(spec)));
        }
    }

    private static ModelSpec? ParseIfFirst(GeneratorAttributeSyntaxContext context, string attributeName, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type) return null;
        AttributeData? first = type.GetAttributes().FirstOrDefault(a => ModelParser.IsLayerAttribute(a.AttributeClass));
        if (first?.AttributeClass is null || ModelParser.Namespace + "." + first.AttributeClass.MetadataName != attributeName)
            return null;
        return ModelParser.Parse(type, cancellationToken).Spec;
    }
}
