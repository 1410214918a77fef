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
