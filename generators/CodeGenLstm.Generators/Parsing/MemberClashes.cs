using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeGenLstm.Generators.Parsing;

/// <summary>
/// Finds the user's members that the generated part of a class would declare again (CS0102, CS0111,
/// CS0542). The generated names are read from the source the emitter writes, so that this list can
/// never drift from the emitter: a member clashes when its name is taken by a generated member of
/// another kind, or when it is a method or constructor with the same parameter types as a generated one.
/// </summary>
internal static class MemberClashes
{
    /// <summary>Names the generated code uses as contextual keywords: a member with that name would capture them.</summary>
    private static readonly string[] s_contextual = { "nameof" };

    /// <summary>
    /// Generated members by spec (equatable records): the analyzers and the generator parse the same
    /// declarations again on every edit, and emitting a model to read its names costs milliseconds.
    /// Bounded: cleared when it grows past a few hundred specs.
    /// </summary>
    private static readonly ConcurrentDictionary<object, List<(string Name, string? Signature, string Description)>> s_cache = new();

    /// <summary>
    /// The user's members (and the class's own name) that the generated part of <paramref name="spec"/>
    /// (written by <paramref name="emit"/>) also declares, described for a message.
    /// </summary>
    public static List<string> Find(INamedTypeSymbol type, object spec, Func<string> emit, CancellationToken cancellationToken)
    {
        var clashes = new List<string>();
        if (!s_cache.TryGetValue(spec, out var generated))
        {
            generated = GeneratedMembers(emit(), type.Name, cancellationToken);
            if (s_cache.Count > 256) s_cache.Clear();
            s_cache[spec] = generated;
        }
        if (generated.Count == 0) return clashes;
        var generatedNames = new HashSet<string>(generated.Select(g => g.Name), StringComparer.Ordinal);
        if (generatedNames.Contains(type.Name))
            clashes.Add($"the class's own name '{type.Name}' (a generated member has it)");

        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.IsImplicitlyDeclared) continue;
            string name = Normalize(member.Name);
            if (s_contextual.Contains(name))
            {
                clashes.Add($"'{name}' (the generated code uses nameof)");
                continue;
            }
            string? signature = member is IMethodSymbol method ? Signature(method) : null;
            foreach ((string Name, string? Signature, string Description) g in generated)
            {
                if (g.Name != name) continue;
                if (signature is not null && g.Signature is not null && signature != g.Signature) continue;  // an overload
                clashes.Add(g.Description);
                break;
            }
        }
        return clashes;
    }

    private static string Normalize(string name) => name.Replace("global::", "");

    private static string Signature(IMethodSymbol method) =>
        string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)));

    /// <summary>(metadata-like name, parameter types for methods and constructors, description) of each member of the generated part.</summary>
    private static List<(string Name, string? Signature, string Description)> GeneratedMembers(string source, string className, CancellationToken cancellationToken)
    {
        var members = new List<(string, string?, string)>();
        SyntaxNode root = CSharpSyntaxTree.ParseText(source, cancellationToken: cancellationToken).GetRoot(cancellationToken);
        ClassDeclarationSyntax? part = root.DescendantNodes(n => n is not ClassDeclarationSyntax || ((ClassDeclarationSyntax)n).Identifier.ValueText != className)
            .OfType<ClassDeclarationSyntax>()
            .FirstOrDefault(c => c.Identifier.ValueText == className);
        if (part is null) return members;
        foreach (MemberDeclarationSyntax member in part.Members)
        {
            switch (member)
            {
                case BaseFieldDeclarationSyntax field:
                    foreach (VariableDeclaratorSyntax variable in field.Declaration.Variables)
                        members.Add((variable.Identifier.ValueText, null, $"'{variable.Identifier.ValueText}'"));
                    break;
                case PropertyDeclarationSyntax property:
                    members.Add((Explicit(property.ExplicitInterfaceSpecifier) + property.Identifier.ValueText, null, $"'{property.Identifier.ValueText}'"));
                    break;
                case MethodDeclarationSyntax method:
                    string methodName = Explicit(method.ExplicitInterfaceSpecifier) + method.Identifier.ValueText;
                    members.Add((methodName, Parameters(method.ParameterList), $"'{method.Identifier.ValueText}({Normalize(Parameters(method.ParameterList))})'"));
                    break;
                case ConstructorDeclarationSyntax constructor:
                    bool isStatic = constructor.Modifiers.Any(SyntaxKind.StaticKeyword);
                    members.Add((isStatic ? ".cctor" : ".ctor", Parameters(constructor.ParameterList), $"the constructor {className}({Normalize(Parameters(constructor.ParameterList))})"));
                    break;
                case DestructorDeclarationSyntax:
                    members.Add(("Finalize", "", "the finalizer"));
                    break;
                case BaseTypeDeclarationSyntax nested:
                    members.Add((nested.Identifier.ValueText, null, $"the nested type '{nested.Identifier.ValueText}'"));
                    break;
                case DelegateDeclarationSyntax del:
                    members.Add((del.Identifier.ValueText, null, $"the nested type '{del.Identifier.ValueText}'"));
                    break;
                case IndexerDeclarationSyntax:
                    members.Add(("this[]", null, "the indexer"));
                    break;
            }
        }
        return members;
    }

    private static string Explicit(ExplicitInterfaceSpecifierSyntax? specifier) =>
        specifier is null ? "" : Normalize(specifier.Name.ToString()) + ".";

    private static string Parameters(ParameterListSyntax list) =>
        string.Join(",", list.Parameters.Select(p => p.Type?.ToString() ?? ""));
}
