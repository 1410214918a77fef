using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Parsing;

/// <summary>
/// The hint name (generated file name) of a model: unique and valid for every declaration the
/// language accepts. Roslyn requires hint names to be unique ignoring case and made of a few
/// characters only, so the name is built from metadata names (no '@', generic arity as `1, a
/// file-local type's file-specific name), characters outside letters, digits, '_' and '.' are written
/// as -XXXX- (hex), and a name that equals another type's ignoring case gets the positions of its
/// capitals appended.
/// </summary>
internal static class HintNames
{
    public static string Of(INamedTypeSymbol type)
    {
        var segments = new List<string>();
        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
            segments.Insert(0, ns.MetadataName);
        var types = new List<string>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            types.Insert(0, t.MetadataName);
        segments.AddRange(types);
        string stem = Sanitize(string.Join(".", segments));
        return HasCaseTwin(type, segments) ? stem + ".case" + CapitalPositions(stem) : stem;
    }

    private static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.') text.Append(c);
            else text.Append('-').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('-');
        }
        return text.ToString();
    }

    private static string CapitalPositions(string stem)
    {
        var text = new StringBuilder();
        for (int i = 0; i < stem.Length; i++)
            if (stem[i] is >= 'A' and <= 'Z') text.Append('_').Append(i.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    /// <summary>Whether another type of the compilation has the same dotted metadata name ignoring case.</summary>
    private static bool HasCaseTwin(INamedTypeSymbol type, List<string> segments)
    {
        INamespaceSymbol? global = type.ContainingModule?.GlobalNamespace;
        if (global is null) return false;
        IEnumerable<INamespaceOrTypeSymbol> level = new INamespaceOrTypeSymbol[] { global };
        foreach (string segment in segments)
        {
            level = level.SelectMany(container => container.GetMembers())
                .Where(member => string.Equals(member.MetadataName, segment, StringComparison.OrdinalIgnoreCase))
                .OfType<INamespaceOrTypeSymbol>()
                .ToList();
        }
        return level.OfType<INamedTypeSymbol>().Count() > 1;
    }
}
