using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeGenLstm.CodeFixes;

/// <summary>Fixes that set one named argument of the layer attribute a diagnostic is on.</summary>
public abstract class AttributeSettingCodeFix : CodeFixProvider
{
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <summary>The fixes for a diagnostic on <paramref name="attribute"/>: title, equivalence key, edit.</summary>
    private protected abstract (string Title, string Key, System.Func<AttributeSyntax, AttributeSyntax> Edit)[] Fixes(Diagnostic diagnostic, AttributeSyntax attribute);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            AttributeSyntax? attribute = await AttributeEdits.AttributeAtAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (attribute is null) continue;
            foreach (var (title, key, edit) in Fixes(diagnostic, attribute))
            {
                context.RegisterCodeFix(CodeAction.Create(title, ct => ApplyAsync(context.Document, attribute, edit, ct), key), diagnostic);
            }
        }
    }

    private static async Task<Document> ApplyAsync(Document document, AttributeSyntax attribute, System.Func<AttributeSyntax, AttributeSyntax> edit, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        return document.WithSyntaxRoot(root.ReplaceNode(attribute, edit(attribute)));
    }
}

/// <summary>CGL1011: <c>ForgetBias = 1f</c> (Jozefowicz et al. 2015).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ForgetBiasCodeFix)), Shared]
public sealed class ForgetBiasCodeFix : AttributeSettingCodeFix
{
    public const string Key = "CGL.ForgetBiasOne";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ForgetBiasNearZero);

    private protected override (string, string, System.Func<AttributeSyntax, AttributeSyntax>)[] Fixes(Diagnostic diagnostic, AttributeSyntax attribute) =>
        new (string, string, System.Func<AttributeSyntax, AttributeSyntax>)[]
        {
            ("Set ForgetBias = 1f", Key, a => AttributeEdits.SetNamed(a, "ForgetBias", AttributeEdits.Float("1f", 1f))),
        };
}

/// <summary>
/// CGL1003, CGL1005-CGL1007: start weight_hh orthogonal (Saxe et al. 2014) or, for ReLU RNNs, at the
/// identity (Le et al. 2015), with gain 1 (InitGain is removed).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RecurrentInitCodeFix)), Shared]
public sealed class RecurrentInitCodeFix : AttributeSettingCodeFix
{
    public const string OrthogonalKey = "CGL.InitOrthogonal";
    public const string IdentityKey = "CGL.InitIdentity";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.ProvableVanishing, DiagnosticIds.ReluExplosion, DiagnosticIds.ReluWithoutIdentityInit, DiagnosticIds.ChaoticTanhInit);

    private protected override (string, string, System.Func<AttributeSyntax, AttributeSyntax>)[] Fixes(Diagnostic diagnostic, AttributeSyntax attribute)
    {
        AttributeSyntax Use(AttributeSyntax a, string init) =>
            AttributeEdits.RemoveNamed(AttributeEdits.SetNamed(a, "Init", AttributeEdits.EnumMember("RecurrentInit", init)), "InitGain");
        var orthogonal = ("Use Init = RecurrentInit.Orthogonal (gain 1)", OrthogonalKey, (System.Func<AttributeSyntax, AttributeSyntax>)(a => Use(a, "Orthogonal")));
        if (diagnostic.Id is DiagnosticIds.ReluExplosion or DiagnosticIds.ReluWithoutIdentityInit)
        {
            return new[]
            {
                ("Use Init = RecurrentInit.Identity (IRNN, gain 1)", IdentityKey, (System.Func<AttributeSyntax, AttributeSyntax>)(a => Use(a, "Identity"))),
                orthogonal,
            };
        }
        return new[] { orthogonal };
    }
}

/// <summary>CGL1014: <c>Residual = true</c> on the layer (Wu et al. 2016).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ResidualCodeFix)), Shared]
public sealed class ResidualCodeFix : AttributeSettingCodeFix
{
    public const string Key = "CGL.Residual";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DeepStackWithoutResidual);

    private protected override (string, string, System.Func<AttributeSyntax, AttributeSyntax>)[] Fixes(Diagnostic diagnostic, AttributeSyntax attribute) =>
        new (string, string, System.Func<AttributeSyntax, AttributeSyntax>)[]
        {
            ("Set Residual = true", Key, a => AttributeEdits.SetNamed(a, "Residual", SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression))),
        };
}
