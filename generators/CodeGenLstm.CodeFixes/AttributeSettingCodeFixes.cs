using System.Collections.Immutable;
using System.Composition;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeGenLstm.CodeFixes;

// Fixes that set named arguments of the layer attribute a diagnostic is on.

/// <summary>CGL1011: <c>ForgetBias = 1f</c> (Jozefowicz et al. 2015).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ForgetBiasCodeFix)), Shared]
public sealed class ForgetBiasCodeFix : NodeCodeFix<AttributeSyntax>
{
    public const string Key = "CGL.ForgetBiasOne";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ForgetBiasNearZero);

    private protected override void Offer(FixSite<AttributeSyntax> site) =>
        site.OfferEdit("Set ForgetBias = 1f", Key, a => AttributeEdits.SetNamed(a, "ForgetBias", AttributeEdits.Float("1f", 1f)));
}

/// <summary>
/// CGL1003, CGL1005-CGL1007: start weight_hh orthogonal (Saxe et al. 2014) or, for ReLU RNNs, at the
/// identity (Le et al. 2015), with gain 1 (InitGain is removed).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RecurrentInitCodeFix)), Shared]
public sealed class RecurrentInitCodeFix : NodeCodeFix<AttributeSyntax>
{
    public const string OrthogonalKey = "CGL.InitOrthogonal";
    public const string IdentityKey = "CGL.InitIdentity";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.ProvableVanishing, DiagnosticIds.ReluExplosion, DiagnosticIds.ReluWithoutIdentityInit, DiagnosticIds.ChaoticTanhInit);

    private protected override void Offer(FixSite<AttributeSyntax> site)
    {
        // The identity only suits ReLU RNNs, so it is offered (first) for their diagnostics alone.
        if (site.Diagnostic.Id is DiagnosticIds.ReluExplosion or DiagnosticIds.ReluWithoutIdentityInit)
            site.OfferEdit("Use Init = RecurrentInit.Identity (IRNN, gain 1)", IdentityKey, a => Use(a, "Identity"));
        site.OfferEdit("Use Init = RecurrentInit.Orthogonal (gain 1)", OrthogonalKey, a => Use(a, "Orthogonal"));
    }

    private static AttributeSyntax Use(AttributeSyntax attribute, string init) =>
        AttributeEdits.RemoveNamed(AttributeEdits.SetNamed(attribute, "Init", AttributeEdits.EnumMember("RecurrentInit", init)), "InitGain");
}

/// <summary>CGL1014: <c>Residual = true</c> on the layer (Wu et al. 2016).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ResidualCodeFix)), Shared]
public sealed class ResidualCodeFix : NodeCodeFix<AttributeSyntax>
{
    public const string Key = "CGL.Residual";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DeepStackWithoutResidual);

    private protected override void Offer(FixSite<AttributeSyntax> site) =>
        site.OfferEdit("Set Residual = true", Key, a => AttributeEdits.SetNamed(a, "Residual", SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression)));
}
