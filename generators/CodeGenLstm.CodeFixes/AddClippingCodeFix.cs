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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace CodeGenLstm.CodeFixes;

/// <summary>
/// CGL1008, CGL1010: gradient-norm clipping at 5, the threshold of Sutskever et al. (2014), Zaremba et
/// al. (2014) and GNMT (Wu et al. 2016). It states ClipNorm = 5f in [Training], creating the attribute
/// when the class has none. When the diagnostic points at a training step that does not clip (its
/// additional location: <c>optimizer.Step(model.Parameters, model.Gradients)</c> right after Backward),
/// it also inserts <c>Clip.GlobalNorm(model.Gradients, 5f);</c> before that step, so that the code does
/// what the attribute now says.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddClippingCodeFix)), Shared]
public sealed class AddClippingCodeFix : NodeCodeFix<SyntaxNode>
{
    public const string Key = "CGL.ClipNorm";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.MissingClipping, DiagnosticIds.ClipByValueOnly);

    private protected override void Offer(FixSite<SyntaxNode> site)
    {
        SyntaxNode node = site.Node;
        Solution solution = site.Document.Project.Solution;
        if (node.FirstAncestorOrSelf<AttributeSyntax>() is not null)
        {
            // On [Training] (or a layer): state ClipNorm.
            if (node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type) return;
            site.Offer("Declare gradient-norm clipping: ClipNorm = 5f in [Training]",
                Key, ct => FixAsync(solution, site.Document.Id, type.GetLocation(), null, ct));
        }
        else if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { Parent: ExpressionStatementSyntax } step &&
                 site.Diagnostic.AdditionalLocations.FirstOrDefault(l => l.IsInSource) is { SourceTree: { } tree } declaration &&
                 solution.GetDocument(tree) is { } declarationDocument)
        {
            // On an optimizer's Step: clip before it, and state ClipNorm on the model.
            site.Offer("Clip the gradient norm at 5 before Step (Clip.GlobalNorm) and declare ClipNorm = 5f",
                Key, ct => FixAsync(solution, declarationDocument.Id, declaration, (site.Document.Id, step), ct));
        }
    }

    private static async Task<Solution> FixAsync(
        Solution solution, DocumentId declarationDocument, Location declaration, (DocumentId Document, InvocationExpressionSyntax Invocation)? step,
        CancellationToken cancellationToken)
    {
        var editor = new SolutionEditor(solution);
        DocumentEditor classEditor = await editor.GetDocumentEditorAsync(declarationDocument, cancellationToken).ConfigureAwait(false);
        if (classEditor.OriginalRoot.FindNode(declaration.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type)
            AttributeEdits.SetInTraining(classEditor, type, "ClipNorm", AttributeEdits.Float("5f", 5f), cancellationToken);

        if (step is { } s && s.Invocation.Parent is ExpressionStatementSyntax statement && s.Invocation.ArgumentList.Arguments.Count >= 2)
        {
            DocumentEditor stepEditor = await editor.GetDocumentEditorAsync(s.Document, cancellationToken).ConfigureAwait(false);
            ExpressionSyntax gradients = s.Invocation.ArgumentList.Arguments[1].Expression.WithoutTrivia();
            StatementSyntax clip = ExpressionStatement(
                    InvocationExpression(
                        ParseExpression("global::CodeGenLstm.Clip.GlobalNorm").WithAdditionalAnnotations(Simplifier.Annotation),
                        ArgumentList(SeparatedList(new[] { Argument(gradients), Argument(AttributeEdits.Float("5f", 5f)) }))))
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithTrailingTrivia(statement.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            stepEditor.InsertBefore(statement, clip);
        }
        return editor.GetChangedSolution();
    }
}
