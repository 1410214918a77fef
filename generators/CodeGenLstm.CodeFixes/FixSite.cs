using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CodeGenLstm.CodeFixes;

/// <summary>Finds the node a diagnostic is on, the same way for a single fix and for Fix All.</summary>
internal static class FixSite
{
    /// <summary>
    /// The innermost node at the diagnostic's span, or its nearest ancestor of type <typeparamref name="TNode"/>:
    /// a diagnostic on an argument of an attribute still finds the attribute, and one on a class's name the class.
    /// </summary>
    public static TNode? NodeAt<TNode>(SyntaxNode root, Diagnostic diagnostic) where TNode : SyntaxNode =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<TNode>();
}

/// <summary>
/// One diagnostic and the node it is on, with the document it came from; <see cref="Offer(string, string, Func{CancellationToken, Task{Document}})"/>
/// registers a fix for that diagnostic.
/// </summary>
/// <param name="Model">The document's semantic model when the fix asked for it (<c>NeedsSemanticModel</c>), else null.</param>
internal sealed record FixSite<TNode>(CodeFixContext Context, SyntaxNode Root, SemanticModel? Model, Diagnostic Diagnostic, TNode Node)
    where TNode : SyntaxNode
{
    public Document Document => Context.Document;

    /// <summary>A fix that changes this document. The equivalence key is what Fix All groups the fixes by.</summary>
    public void Offer(string title, string equivalenceKey, Func<CancellationToken, Task<Document>> apply) =>
        Context.RegisterCodeFix(CodeAction.Create(title, apply, equivalenceKey), Diagnostic);

    /// <summary>A fix that may change other documents too.</summary>
    public void Offer(string title, string equivalenceKey, Func<CancellationToken, Task<Solution>> apply) =>
        Context.RegisterCodeFix(CodeAction.Create(title, apply, equivalenceKey), Diagnostic);

    /// <summary>A fix that replaces the node by <paramref name="edit"/> of it, computed when the fix is applied.</summary>
    public void OfferEdit(string title, string equivalenceKey, Func<TNode, TNode> edit) =>
        Offer(title, equivalenceKey, _ => Task.FromResult(Replace(edit(Node))));

    /// <summary>This document with the node replaced.</summary>
    public Document Replace(TNode replacement) => Document.WithSyntaxRoot(Root.ReplaceNode(Node, replacement));
}
