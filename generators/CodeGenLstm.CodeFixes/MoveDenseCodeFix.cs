using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeGenLstm.CodeFixes;

/// <summary>
/// CGL0015: moves the [Dense] attributes written above the recurrent layers to just below the last
/// recurrent layer (or below [Embedding] when there is no recurrent layer), in their order. Offered when
/// each of these attributes is alone in its brackets on the class's declaration. The attributes move;
/// the layout stays: each line keeps its indentation, comments and line breaks.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveDenseCodeFix)), Shared]
public sealed class MoveDenseCodeFix : NodeCodeFix<TypeDeclarationSyntax>
{
    public const string Key = "CGL.MoveDenseBelow";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DenseAboveRecurrent);

    // Every misplaced [Dense] of a class has its diagnostic, and one edit moves them all: Fix All edits each class once.
    public override FixAllProvider GetFixAllProvider() => OncePerNode(type => new[] { type }, (original, rewritten, model, cancellationToken) =>
        Reorder(original, model!, cancellationToken) is { } reordered ? rewritten.WithAttributeLists(reordered) : rewritten);

    // Whether the fix applies depends on which attributes are layers (a type's name): decided on the semantic model.
    private protected override bool NeedsSemanticModel => true;

    private protected override void Offer(FixSite<TypeDeclarationSyntax> site)
    {
        if (Plan(site.Node, site.Model!, site.Context.CancellationToken) is not { } plan) return;
        SyntaxList<AttributeListSyntax> reordered = Reorder(site.Node, site.Model!, site.Context.CancellationToken)!.Value;
        site.Offer($"Move [Dense] below [{plan.BelowName}]", Key, _ => Task.FromResult(site.Replace(site.Node.WithAttributeLists(reordered))));
    }

    /// <summary>Which attribute lists move (the leading [Dense] ones) and the list they go below.</summary>
    private sealed record MovePlan(List<int> Moving, int Below, string BelowName);

    private static MovePlan? Plan(TypeDeclarationSyntax type, SemanticModel model, CancellationToken cancellationToken)
    {
        // The layer attributes of this declaration, in order, with the index of their list.
        var layers = new List<(int List, string Kind, bool Alone)>();
        for (int i = 0; i < type.AttributeLists.Count; i++)
        {
            AttributeListSyntax list = type.AttributeLists[i];
            foreach (AttributeSyntax attribute in list.Attributes)
            {
                if (model.GetTypeInfo(attribute, cancellationToken).Type is INamedTypeSymbol
                    {
                        ContainingNamespace: { Name: "CodeGenLstm", ContainingNamespace.IsGlobalNamespace: true },
                        Name: "LstmAttribute" or "GruAttribute" or "RnnAttribute" or "EmbeddingAttribute" or "DenseAttribute",
                    } attributeType)
                {
                    layers.Add((i, attributeType.Name.Substring(0, attributeType.Name.Length - "Attribute".Length), list.Attributes.Count == 1));
                }
            }
        }
        int leading = layers.TakeWhile(l => l.Kind == "Dense").Count();
        if (leading == 0) return null;
        var rest = layers.Skip(leading).ToList();
        int below = rest.FindLastIndex(l => l.Kind is "Lstm" or "Gru" or "Rnn");
        if (below < 0) below = rest.FindIndex(l => l.Kind == "Embedding");
        if (below < 0) return null;
        var moving = layers.Take(leading).ToList();
        if (!moving.All(l => l.Alone) || !rest[below].Alone) return null;
        return new MovePlan(moving.Select(l => l.List).ToList(), rest[below].List, rest[below].Kind);
    }

    /// <summary>The class's attribute lists with the leading [Dense] lists moved below the target list; each position keeps its trivia.</summary>
    private static SyntaxList<AttributeListSyntax>? Reorder(TypeDeclarationSyntax type, SemanticModel model, CancellationToken cancellationToken)
    {
        if (Plan(type, model, cancellationToken) is not { } plan) return null;
        SyntaxList<AttributeListSyntax> lists = type.AttributeLists;
        var order = Enumerable.Range(0, lists.Count).Where(i => !plan.Moving.Contains(i)).ToList();
        order.InsertRange(order.IndexOf(plan.Below) + 1, plan.Moving);
        var result = new List<AttributeListSyntax>();
        for (int position = 0; position < lists.Count; position++)
        {
            AttributeListSyntax content = lists[order[position]], place = lists[position];
            result.Add(content.WithLeadingTrivia(place.GetLeadingTrivia()).WithTrailingTrivia(place.GetTrailingTrivia()));
        }
        return SyntaxFactory.List(result);
    }
}
