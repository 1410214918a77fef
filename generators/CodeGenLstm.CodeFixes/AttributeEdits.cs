using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace CodeGenLstm.CodeFixes;

/// <summary>Small syntax edits on the layer and [Training] attributes, shared by the fixes.</summary>
internal static class AttributeEdits
{
    /// <summary>The attribute's own name, without qualification or the Attribute suffix: "Rnn", "Training".</summary>
    public static string ShortName(AttributeSyntax attribute)
    {
        string name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => attribute.Name.ToString(),
        };
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    /// <summary>The named argument <c>Name = value</c>, or null.</summary>
    public static AttributeArgumentSyntax? Named(AttributeSyntax attribute, string name) =>
        attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary>Sets <c>Name = value</c>: replaces the value when the argument is there, else appends it.</summary>
    public static AttributeSyntax SetNamed(AttributeSyntax attribute, string name, ExpressionSyntax value)
    {
        if (Named(attribute, name) is { } existing)
            return attribute.ReplaceNode(existing, existing.WithExpression(value.WithTriviaFrom(existing.Expression)));
        AttributeArgumentSyntax argument = AttributeArgument(
            NameEquals(IdentifierName(name), Token(SyntaxKind.EqualsToken).WithLeadingTrivia(Space).WithTrailingTrivia(Space)),
            nameColon: null,
            value);
        AttributeArgumentListSyntax list = attribute.ArgumentList ?? AttributeArgumentList();
        var arguments = list.Arguments;
        arguments = arguments.Count == 0
            ? arguments.Add(argument)
            : SeparatedList(arguments.Append(argument), arguments.GetSeparators().Append(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space)));
        return attribute.WithArgumentList(list.WithArguments(arguments));
    }

    /// <summary>Removes <c>Name = ...</c> if present.</summary>
    public static AttributeSyntax RemoveNamed(AttributeSyntax attribute, string name)
    {
        if (Named(attribute, name) is not { } existing || attribute.ArgumentList is not { } list) return attribute;
        var arguments = list.Arguments.Remove(existing);
        return attribute.WithArgumentList(arguments.Count == 0 && list.Arguments.Count == 1 ? null : list.WithArguments(arguments));
    }

    /// <summary><c>RecurrentInit.Orthogonal</c>, fully qualified and marked for simplification.</summary>
    public static ExpressionSyntax EnumMember(string enumType, string member) =>
        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                ParseName("global::CodeGenLstm." + enumType), IdentifierName(member))
            .WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary>A float literal such as <c>1f</c>.</summary>
    public static ExpressionSyntax Float(string text, float value) =>
        LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(text, value));

    /// <summary>The attribute of type CodeGenLstm.{name}Attribute on the class, or null.</summary>
    public static AttributeSyntax? FindOnClass(TypeDeclarationSyntax type, SemanticModel model, string name, CancellationToken cancellationToken) =>
        type.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a =>
            model.GetTypeInfo(a, cancellationToken).Type is INamedTypeSymbol { ContainingNamespace.Name: "CodeGenLstm" } t && t.Name == name + "Attribute");

    /// <summary>A new attribute list <c>[global::CodeGenLstm.Name(...)]</c>, simplified and formatted when applied.</summary>
    public static AttributeListSyntax NewList(string name, params (string Name, ExpressionSyntax Value)[] arguments)
    {
        AttributeSyntax attribute = Attribute(ParseName("global::CodeGenLstm." + name).WithAdditionalAnnotations(Simplifier.Annotation));
        foreach (var (argumentName, value) in arguments) attribute = SetNamed(attribute, argumentName, value);
        return AttributeList(SingletonSeparatedList(attribute)).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// Sets <c>Name = value</c> in the class's [Training], or gives the class <c>[Training(Name = value)]</c>
    /// when it has none.
    /// </summary>
    public static void SetInTraining(DocumentEditor editor, TypeDeclarationSyntax type, string name, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        if (FindOnClass(type, editor.SemanticModel, "Training", cancellationToken) is { } training)
            editor.ReplaceNode(training, SetNamed(training, name, value));
        else
            editor.ReplaceNode(type, (node, _) => ((TypeDeclarationSyntax)node).AddAttributeLists(NewList("Training", (name, value))));
    }
}
