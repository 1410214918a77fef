using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace CodeGenLstm.CodeFixes;

/// <summary>
/// CGL1016: states <c>SequenceLength</c> in [Training], creating the attribute when the class has none.
/// The value is the T read from code when there is one; otherwise 0, "unknown": nothing is guessed on the
/// user's behalf, the rules about time stay silent, and CGL1016, told that T is unknown on purpose, is silent too
/// until the user writes the length of the training sequences there.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeclareSequenceLengthCodeFix)), Shared]
public sealed class DeclareSequenceLengthCodeFix : NodeCodeFix<TypeDeclarationSyntax>
{
    public const string Key = "CGL.SequenceLength";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.SequenceLengthNeeded);

    private protected override void Offer(FixSite<TypeDeclarationSyntax> site)
    {
        bool known = site.Diagnostic.Properties.TryGetValue(SequenceLengths.SequenceLengthProperty, out string? text) &&
                     int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        int steps = known ? int.Parse(text!, CultureInfo.InvariantCulture) : 0;
        string title = known
            ? $"Declare the sequence length read from code: [Training(SequenceLength = {steps})]"
            : "Declare the sequence length unknown: [Training(SequenceLength = 0)]; replace 0 by your training sequences' length to have the rules about time judge it";
        site.Offer(title, Key, ct => FixAsync(site.Document, site.Node, steps, ct));
    }

    private static async Task<Document> FixAsync(Document document, TypeDeclarationSyntax type, int steps, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        AttributeEdits.SetInTraining(editor, type, "SequenceLength", LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(steps)), cancellationToken);
        return editor.GetChangedDocument();
    }
}
