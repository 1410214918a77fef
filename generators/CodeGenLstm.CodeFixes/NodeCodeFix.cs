using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CodeGenLstm.CodeFixes;

/// <summary>
/// A code fix on the node a diagnostic is on: reads the document once, finds the node of each diagnostic
/// (<see cref="FixSite.NodeAt{TNode}"/>; a diagnostic without one gets no fix) and lets the fix offer its
/// actions there. Fix All applies the single fixes one by one unless a fix says otherwise.
/// </summary>
public abstract class NodeCodeFix<TNode> : CodeFixProvider where TNode : SyntaxNode
{
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <summary>True for a fix that decides with the semantic model whether it applies (most decide on syntax alone and need not wait for it).</summary>
    private protected virtual bool NeedsSemanticModel => false;

    /// <summary>Registers this fix's actions for one diagnostic, if any apply (<see cref="FixSite{TNode}.Offer(string, string, System.Func{System.Threading.CancellationToken, Task{Document}})"/>).</summary>
    private protected abstract void Offer(FixSite<TNode> site);

    /// <summary>
    /// Fix All for a fix whose diagnostics come several to a declaration, or whose declarations nest: the nodes
    /// the diagnostics of a document name (<paramref name="targets"/> of each diagnostic's node) are gathered and each is
    /// rewritten once, in one pass, by <paramref name="rewrite"/>(original, rewritten, model, cancellation), where
    /// the model is the document's when the fix needs one. Fixing one after another instead would find a node
    /// already changed by the fix before it.
    /// </summary>
    private protected FixAllProvider OncePerNode(Func<TNode, IEnumerable<TNode>> targets,
        Func<TNode, TNode, SemanticModel?, CancellationToken, TNode> rewrite) =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
        {
            CancellationToken cancellationToken = context.CancellationToken;
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            SemanticModel? model = NeedsSemanticModel
                ? await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false)
                : null;
            if (root is null || (NeedsSemanticModel && model is null)) return document;
            List<TNode> nodes = diagnostics
                .Select(d => FixSite.NodeAt<TNode>(root, d))
                .OfType<TNode>()
                .SelectMany(targets)
                .Distinct()
                .ToList();
            return nodes.Count == 0
                ? document
                : document.WithSyntaxRoot(root.ReplaceNodes(nodes, (original, rewritten) => rewrite(original, rewritten, model, cancellationToken)));
        });

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = NeedsSemanticModel
            ? await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false)
            : null;
        if (root is null || (NeedsSemanticModel && model is null)) return;
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (FixSite.NodeAt<TNode>(root, diagnostic) is { } node)
                Offer(new FixSite<TNode>(context, root, model, diagnostic, node));
        }
    }
}
