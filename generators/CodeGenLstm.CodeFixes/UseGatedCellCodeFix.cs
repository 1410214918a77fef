using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
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
public sealed class UseGatedCellCodeFix : CodeFixProvider
{
    public const string LstmKey = "CGL.UseLstm";
    public const string GruKey = "CGL.UseGru";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.PlainRnnLongSequence, DiagnosticIds.PlainRnnMediumSequence,
        DiagnosticIds.ProvableVanishing, DiagnosticIds.SigmoidRecurrence);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            AttributeSyntax? attribute = await AttributeEdits.AttributeAtAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (attribute is null || AttributeEdits.ShortName(attribute) != "Rnn") continue;
            foreach (var (cell, key) in new[] { ("Lstm", LstmKey), ("Gru", GruKey) })
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Use [{cell}] instead of [Rnn]", ct => ReplaceAsync(context.Document, attribute, cell, ct), key),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, AttributeSyntax attribute, string cell, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;

        AttributeSyntax updated = attribute;
        if (AttributeEdits.Named(attribute, "Init") is { } init &&
            model.GetConstantValue(init.Expression, cancellationToken) is { HasValue: true, Value: 3 })  // RecurrentInit.Identity
        {
            updated = AttributeEdits.SetNamed(updated, "Init", AttributeEdits.EnumMember("RecurrentInit", "Orthogonal"));
        }
        updated = AttributeEdits.RemoveNamed(updated, "Activation");
        updated = updated.WithName(Rename(updated.Name, cell));
        return document.WithSyntaxRoot(root.ReplaceNode(attribute, updated));
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
