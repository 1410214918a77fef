using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace CodeGenLstm.Onnx.Tests;

/// <summary>docs/onnx.md lists every public member of the package with its exact signature, and nothing else.</summary>
public sealed class ApiListingTests
{
    [Fact]
    public void TheListingInTheDocsIsThePublicSurface()
    {
        string docs = File.ReadAllText(Path.Combine(DocumentationTests.Root(), "docs", "onnx.md")).ReplaceLineEndings("\n");
        int start = docs.IndexOf("public static class OnnxFile", StringComparison.Ordinal);
        string listing = docs[start..docs.IndexOf("```", start, StringComparison.Ordinal)];
        string[] documented = listing.Split('\n')
            .Select(l => (l.Contains("//", StringComparison.Ordinal) ? l[..l.IndexOf("//", StringComparison.Ordinal)] : l).Trim().TrimEnd(';').Trim())
            .Where(l => l.StartsWith("public ", StringComparison.Ordinal) && !l.Contains(" class ", StringComparison.Ordinal) && !l.Contains(" record ", StringComparison.Ordinal))
            .ToArray();

        var nullability = new NullabilityInfoContext();
        string Type(Type t, NullabilityInfo? n) => (t == typeof(void) ? "void" : t == typeof(string) ? "string" : t == typeof(int) ? "int" : t == typeof(bool) ? "bool"
            : t == typeof(byte[]) ? "byte[]" : t == typeof(ReadOnlySpan<byte>) ? "ReadOnlySpan<byte>" : t.Name) + (n?.ReadState == NullabilityState.Nullable ? "?" : "");
        string Parameter(ParameterInfo p) => $"{Type(p.ParameterType, nullability.Create(p))} {p.Name}" + (p.HasDefaultValue ? $" = {p.DefaultValue ?? "null"}" : "");
        var actual = typeof(OnnxFile).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => $"public static {Type(m.ReturnType, nullability.Create(m.ReturnParameter))} {m.Name}({string.Join(", ", m.GetParameters().Select(Parameter))})")
            .Append($"public const int Opset = {OnnxFile.Opset}")
            .Concat(typeof(OnnxExportOptions).GetProperties().Where(p => p.Name != "EqualityContract").Select(p => $"public {Type(p.PropertyType, null)} {p.Name} {{ get; init; }}"))
            .ToArray();

        Assert.Equal(actual.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }
}
