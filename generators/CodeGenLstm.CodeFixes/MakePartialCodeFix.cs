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
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace CodeGenLstm.CodeFixes;

/// <summary>
/// CGL0001: adds <c>partial</c> to the model class and to every type declaration it is nested in that
/// lacks it, as the last modifier (C# wants it just before <c>class</c>), keeping comments, attributes
/// and layout as they were.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : NodeCodeFix<TypeDeclarationSyntax>
{
    public const string Key = "CGL.MakePartial";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ClassNotPartial);

    // Two models nested in one type both ask for that type to become partial: Fix All gathers every
    // declaration to change in a document and changes each once.
    public override FixAllProvider GetFixAllProvider() => OncePerNode(Targets, (_, rewritten, _, _) => WithPartial(rewritten));

    private protected override void Offer(FixSite<TypeDeclarationSyntax> site)
    {
        List<TypeDeclarationSyntax> targets = Targets(site.Node).ToList();
        if (targets.Count == 0) return;
        string names = string.Join(" and ", targets.Select(t => $"'{t.Identifier.ValueText}'"));
        site.Offer($"Make {names} partial", Key, _ => Task.FromResult(site.Document.WithSyntaxRoot(AddPartial(site.Root, targets))));
    }

    /// <summary>The declaration the diagnostic is on (its layer attribute, or its name) and the types around it, where <c>partial</c> is missing.</summary>
    private static IEnumerable<TypeDeclarationSyntax> Targets(TypeDeclarationSyntax type) =>
        type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static SyntaxNode AddPartial(SyntaxNode root, IEnumerable<TypeDeclarationSyntax> targets) =>
        root.ReplaceNodes(targets, (_, rewritten) => WithPartial(rewritten));

    private static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Count == 0)
        {
            // "class Model": partial takes the keyword's leading trivia (indentation, a doc comment when there is no attribute).
            SyntaxToken keyword = type.Keyword;
            SyntaxToken partial = Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, TriviaList(Space));
            return type.WithKeyword(keyword.WithLeadingTrivia(SyntaxTriviaList.Empty)).WithModifiers(TokenList(partial));
        }
        // "public sealed class Model": partial goes last, after the last modifier's trailing space.
        return type.WithModifiers(type.Modifiers.Add(Token(SyntaxTriviaList.Empty, SyntaxKind.PartialKeyword, TriviaList(Space))));
    }
}
