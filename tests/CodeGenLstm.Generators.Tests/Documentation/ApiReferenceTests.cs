using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using CodeGenLstm.Generators.Tests.Infrastructure;

namespace CodeGenLstm.Generators.Tests.Documentation;

/// <summary>
/// docs/api.md lists every public type of the runtime assembly CodeGenLstm (but those of the namespace
/// CodeGenLstm.Generated, which is for generated code) with its exact declaration and every public or
/// protected member's exact signature, and every member the generator adds to a model class, as
/// <see cref="CSharpSignatures"/> writes them from reflection. A listing is a C# block marked
/// <c>&lt;!-- not a program: ... --&gt;</c>; in it a type is its declaration line, then its members one per
/// line between <c>{</c> and <c>}</c> (a trailing <c>;</c> and <c>// comment</c> are allowed).
/// </summary>
public class ApiReferenceTests
{
    private const string ApiFile = "docs/api.md";

    /// <summary>The namespace of the runtime's helpers for generated code: public, but not the user's API.</summary>
    private const string GeneratedNamespace = "CodeGenLstm.Generated";

    /// <summary>The listing's name for a generated model class.</summary>
    private const string ModelName = "Model";

    internal sealed record TypeListing(string Declaration, int Line, IReadOnlyList<(string Signature, int Line)> Members);

    private static readonly Regex TypeDeclaration = new(@"^(public |partial )[\w ]*\b(class|interface|struct|record|enum|delegate)\b", RegexOptions.CultureInvariant);

    /// <summary>The type listings of a Markdown file's listing blocks.</summary>
    internal static IReadOnlyList<TypeListing> Listings(IEnumerable<CodeBlock> blocks)
    {
        var result = new List<TypeListing>();
        foreach (CodeBlock block in blocks.Where(b => b.IsCSharp && b.IsMarkedNotAProgram))
        {
            string[] lines = block.Code.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string declaration = Strip(lines[i]);
                if (lines[i].StartsWith(' ') || !TypeDeclaration.IsMatch(declaration)) continue;
                int line = block.FenceLine + 1 + i;
                var members = new List<(string, int)>();
                int next = i + 1;
                while (next < lines.Length && Strip(lines[next]).Length == 0) next++;
                if (next < lines.Length && lines[next].TrimEnd() == "{")
                {
                    int j = next + 1;
                    for (; j < lines.Length && lines[j].TrimEnd() != "}"; j++)
                    {
                        string member = Strip(lines[j]);
                        if (member.Length == 0 || member.StartsWith('[')) continue;
                        members.Add((member, block.FenceLine + 1 + j));
                    }
                    i = j;
                }
                result.Add(new TypeListing(declaration, line, members));
            }
        }
        return result;
    }

    /// <summary>A listing line without its comment, trailing semicolon and surrounding blanks; comment lines become empty.</summary>
    internal static string Strip(string line)
    {
        int comment = line.IndexOf("//", StringComparison.Ordinal);
        if (comment >= 0) line = line[..comment];
        return Regex.Replace(line.Trim().TrimEnd(';').TrimEnd(), @"\s+", " ");
    }

    private static IReadOnlyList<TypeListing> ApiListings() => Listings(MarkdownCode.Blocks(ApiFile));

    /// <summary>The runtime's public types, as a user sees them.</summary>
    internal static IEnumerable<Type> RuntimeTypes() =>
        typeof(LstmAttribute).Assembly.GetExportedTypes()
            .Where(t => t.Namespace != GeneratedNamespace)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    [Fact]
    public void EveryPublicTypeAndMemberOfTheRuntimeIsListedExactly()
    {
        var failures = CheckRuntime(ApiListings(), RuntimeTypes().ToList());
        Assert.True(failures.Count == 0, $"{ApiFile} does not match the runtime's public surface:\n" + string.Join("\n", failures));
    }

    /// <summary>What <paramref name="listings"/> lacks or has too much, compared with <paramref name="types"/>.</summary>
    internal static List<string> CheckRuntime(IReadOnlyList<TypeListing> listings, IReadOnlyList<Type> types)
    {
        var signatures = new CSharpSignatures();
        var failures = new List<string>();
        var byDeclaration = listings.Where(l => !l.Declaration.StartsWith("partial ", StringComparison.Ordinal))
                                    .GroupBy(l => l.Declaration).ToDictionary(g => g.Key, g => g.ToList());
        var known = new HashSet<string>();
        foreach (Type type in types)
        {
            string declaration = signatures.Declaration(type);
            known.Add(declaration);
            if (!byDeclaration.TryGetValue(declaration, out var found))
            {
                failures.Add($"missing type: {declaration}");
                foreach (string member in signatures.Members(type)) failures.Add($"    missing member: {member}");
                continue;
            }
            if (found.Count > 1) failures.Add($"{ApiFile}:{found[1].Line}: {declaration} is listed {found.Count} times");
            var listed = found.SelectMany(f => f.Members).ToList();
            var actual = signatures.Members(type);
            foreach (string member in actual.Where(m => !listed.Any(l => l.Signature == m)))
                failures.Add($"{ApiFile}:{found[0].Line}: {declaration}: missing member: {member}");
            foreach (var (member, line) in listed.Where(l => !actual.Contains(l.Signature)))
                failures.Add($"{ApiFile}:{line}: {declaration}: no such member: {member}");
        }
        foreach (var (declaration, found) in byDeclaration.Where(kv => !known.Contains(kv.Key)))
            failures.Add($"{ApiFile}:{found[0].Line}: no such public type in the runtime: {declaration}");
        return failures;
    }

    // ---- The members the generator adds ----

    private const string FloatModel = """
        using CodeGenLstm;
        [Lstm(inputSize: 2, hiddenSize: 4)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        public partial class Model;
        """;

    private const string TokenModel = """
        using CodeGenLstm;
        [Embedding(vocabularySize: 10, dimension: 3)]
        [Gru(hiddenSize: 4)]
        public partial class Model;
        """;

    /// <summary>The generated public members of a model, compiled by the real generator and loaded, as the listing writes them.</summary>
    internal static IReadOnlyList<string> GeneratedMembers(string source)
    {
        var (_, output, _) = GeneratorHarness.Run(source);
        Assert.Empty(GeneratorHarness.CompileErrors(output));
        var context = new AssemblyLoadContext("api-reference", isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(new MemoryStream(GeneratorHarness.Emit(output)));
            Type model = assembly.GetType(ModelName, throwOnError: true)!;
            return new CSharpSignatures { TypeNameOverride = ModelName, ElideConstantValues = true }.Members(model);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void EveryMemberTheGeneratorAddsIsListedExactly()
    {
        var failures = CheckGenerated(ApiListings(), GeneratedMembers(FloatModel).Concat(GeneratedMembers(TokenModel)).Distinct().ToList());
        Assert.True(failures.Count == 0, $"{ApiFile} does not match the members the generator adds:\n" + string.Join("\n", failures));
    }

    internal static List<string> CheckGenerated(IReadOnlyList<TypeListing> listings, IReadOnlyList<string> members)
    {
        var model = listings.Where(l => l.Declaration.StartsWith($"partial class {ModelName}", StringComparison.Ordinal)).ToList();
        if (model.Count != 1)
            return [$"{ApiFile} must list the generated members once, in a block starting 'partial class {ModelName}' ({model.Count} found)"];
        // Members documented ahead of the generator (a new overload) are allowed here; every generated one must be listed.
        return members.Where(m => !model[0].Members.Any(l => l.Signature == m))
                      .Select(m => $"{ApiFile}:{model[0].Line}: partial class {ModelName}: missing member: {m}")
                      .ToList();
    }

    [Fact]
    public void TheGeneratedNamespaceIsNamedAsNotForUsers()
    {
        string api = File.ReadAllText(Path.Combine(MarkdownCode.Root, ApiFile));
        Assert.Contains($"`{GeneratedNamespace}`", api, StringComparison.Ordinal);
        Assert.Contains(typeof(LstmAttribute).Assembly.GetExportedTypes(), t => t.Namespace == GeneratedNamespace);
    }

    // ---- The check itself can fail ----

    private static IReadOnlyList<TypeListing> Parse(string listing) =>
        Listings(MarkdownCode.Parse("test.md", "<!-- not a program: listing -->\n```csharp\n" + listing + "\n```\n"));

    [Fact]
    public void AWrongDefaultAMissingMemberAndAnInventedOneAreCaught()
    {
        Type[] types = [typeof(Clip)];
        var exact = Parse("""
            public static class Clip
            {
                public const double NormEpsilon = 1e-6;                                   // a comment
                public static float GlobalNorm(Span<float> gradients, float maxNorm);
                public static float Value(Span<float> gradients, float maxAbs);
                public static float Norm(ReadOnlySpan<float> values);
            }
            """);
        Assert.Empty(CheckRuntime(exact, types));

        var wrong = Parse("""
            public static class Clip
            {
                public const double NormEpsilon = 1e-5;
                public static float GlobalNorm(Span<float> gradients, float maxNorm = 1f);
                public static float Value(Span<float> gradients, float maxAbs);
                public static float Clamp(Span<float> gradients);
            }
            """);
        List<string> failures = CheckRuntime(wrong, types);
        Assert.Contains(failures, f => f.EndsWith("missing member: public const double NormEpsilon = 1e-6", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.EndsWith("missing member: public static float GlobalNorm(Span<float> gradients, float maxNorm)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.EndsWith("missing member: public static float Norm(ReadOnlySpan<float> values)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.EndsWith("no such member: public static float Clamp(Span<float> gradients)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.EndsWith("no such member: public static float GlobalNorm(Span<float> gradients, float maxNorm = 1f)", StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingTypeIsCaught()
    {
        List<string> failures = CheckRuntime(Parse("public static class Simd\n{\n}"), [typeof(Simd), typeof(Parallelism)]);
        Assert.Contains("missing type: public static class Parallelism", failures);
        Assert.Contains(failures, f => f.Contains("missing member: public static string ActivePath { get; }", StringComparison.Ordinal));
        Assert.Contains(CheckRuntime(Parse("public static class Loss\n{\n}"), [typeof(Simd)]),
                        f => f.EndsWith("no such public type in the runtime: public static class Loss", StringComparison.Ordinal));
    }

    [Fact]
    public void SignaturesReadAsCSharp()
    {
        var s = new CSharpSignatures();
        Assert.Contains("public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int classes, Span<float> logitsGradient, int ignoreIndex = -100)", s.Members(typeof(Loss)));
        Assert.Contains("public Adam(int parameterCount, float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)", s.Members(typeof(Adam)));
        Assert.Contains("public static void Write(string path, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)", s.Members(typeof(Safetensors)));
        Assert.Contains("public string? Name { get; set; }", s.Members(typeof(DenseAttribute)));
        Assert.Contains("void Forward(ReadOnlySpan<float> input, int batch, int steps, Span<float> output, ReadOnlySpan<int> lengths = default, bool training = false)", s.Members(typeof(IFloatSequenceModel)));
        Assert.Equal("public sealed record NamedTensor(string Name, int[] Shape, float[] Data)", s.Declaration(typeof(NamedTensor)));
        Assert.Equal("public readonly record struct TrainingStep(float Loss, float GradientNorm, bool Skipped)", s.Declaration(typeof(TrainingStep)));
        Assert.Equal("public enum Readout { EachStep, LastStep }", s.Declaration(typeof(Readout)));
        Assert.Equal("public sealed class LstmAttribute : RecurrentLayerAttribute", s.Declaration(typeof(LstmAttribute)));
        Assert.Equal("public interface ITokenSequenceModel : ISequenceModel", s.Declaration(typeof(ITokenSequenceModel)));
        Assert.Empty(s.Members(typeof(NamedTensor)));   // the record's synthesized members are its declaration
    }

    [Fact]
    public void AnUnlistedGeneratedMemberIsCaught()
    {
        var listing = Parse("partial class Model : IFloatSequenceModel\n{\n    public void ZeroGradients();\n}");
        Assert.Empty(CheckGenerated(listing, ["public void ZeroGradients()"]));
        Assert.Single(CheckGenerated(listing, ["public void ZeroGradients()", "public void ResetState()"]));
    }
}
