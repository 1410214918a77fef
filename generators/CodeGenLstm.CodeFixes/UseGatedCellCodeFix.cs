using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace CodeGenLstm.CodeFixes;

/// <summary>
/// [Rnn] to [Lstm] or [Gru] (CGL1001-CGL1004): renames the attribute, keeps the sizes and the common
/// settings, drops Activation (gated cells have their own nonlinearities) and turns Init = Identity,
/// which only Rnn supports, into Orthogonal.
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(UseGatedCellCodeFix)), Shared]
public sealed class UseGatedCellCodeFix : NodeCodeFix<AttributeSyntax>
{
    public const string LstmKey = "CGL.UseLstm";
    public const string GruKey = "CGL.UseGru";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.PlainRnnLongSequence, DiagnosticIds.PlainRnnMediumSequence,
        DiagnosticIds.ProvableVanishing, DiagnosticIds.SigmoidRecurrence);

    private protected override void Offer(FixSite<AttributeSyntax> site)
    {
        if (AttributeEdits.ShortName(site.Node) != "Rnn") return;
        foreach (var (cell, key) in new[] { ("Lstm", LstmKey), ("Gru", GruKey) })
            site.Offer($"Use [{cell}] instead of [Rnn]", key, ct => ReplaceAsync(site, cell, ct));
    }

    private static async Task<Document> ReplaceAsync(FixSite<AttributeSyntax> site, string cell, CancellationToken cancellationToken)
    {
        // Whether Init is Identity is a constant's value, so the edit waits for the semantic model until it is applied.
        SemanticModel model = (await site.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        AttributeSyntax attribute = site.Node, updated = attribute;
        if (AttributeEdits.Named(attribute, "Init") is { } init &&
            model.GetConstantValue(init.Expression, cancellationToken) is { HasValue: true, Value: 3 })  // RecurrentInit.Identity
        {
            updated = AttributeEdits.SetNamed(updated, "Init", AttributeEdits.EnumMember("RecurrentInit", "Orthogonal"));
        }
        updated = AttributeEdits.RemoveNamed(updated, "Activation");
        return site.Replace(updated.WithName(Rename(updated.Name, cell)));
    }

    private static NameSyntax Rename(NameSyntax name, string cell)
    {
        SyntaxToken Renamed(SyntaxToken token)
        {
            string text = token.ValueText.EndsWith("Attribute", System.StringComparison.Ordinal) ? cell + "Attribute" : cell;
            return Identifier(token.LeadingTrivia, text, token.TrailingTrivia);
        }
        return name switch
        {
            QualifiedNameSyntax qualified => qualified.WithRight(IdentifierName(Renamed(qualified.Right.Identifier))),
            AliasQualifiedNameSyntax alias => alias.WithName(IdentifierName(Renamed(alias.Name.Identifier))),
            IdentifierNameSyntax simple => simple.WithIdentifier(Renamed(simple.Identifier)),
            _ => name,
        };
    }
}
