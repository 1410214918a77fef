using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// Half-typed and nonsensical declarations never make the generator throw (CS8785 would appear), and
/// whatever it does generate compiles: errors may only come from the user's own broken text.
/// </summary>
public class RobustnessTests
{
    private const string FullDeclaration =
        "[Embedding(vocabularySize: 30, dimension: 4)][Lstm(hiddenSize: 5, layers: 2, bidirectional: true, Dropout = 0.5f, Init = RecurrentInit.Orthogonal, InitGain = 1.5f, ForgetBias = -1e-3f, Residual = true, Name = \"enc\")][Dense(outputSize: 3, Readout = Readout.LastStep)][Training(SequenceLength = 50, ClipNorm = 5f)]";

    private static void AssertGeneratorSurvives(string source)
    {
        var (result, output, diagnostics) = GeneratorHarness.Run(source);
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        Assert.True(!diagnostics.Any(d => d.Id is "CS8784" or "CS8785"), $"the generator failed for:\n{source}\n{string.Join("\n", diagnostics)}");
        var generatedTrees = output.SyntaxTrees.Skip(1).ToHashSet();
        var inGenerated = output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))
            .ToList();
        Assert.True(inGenerated.Count == 0, $"errors in generated code for:\n{source}\n{string.Join("\n", inGenerated.Take(5))}");
    }

    public static IEnumerable<object[]> PrefixLengths() =>
        Enumerable.Range(0, FullDeclaration.Length + 1).Where(n => n % 3 == 0 || n == FullDeclaration.Length).Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(PrefixLengths))]
    public void EveryPrefixOfADeclaration(int length) =>
        AssertGeneratorSurvives($"using CodeGenLstm;\n{FullDeclaration.Substring(0, length)}\npublic partial class Model;\n");

    [Fact]
    public void EveryPrefixCharacterByCharacter()
    {
        // The theory above samples every third length for readable output; this runs all of them.
        for (int length = 0; length <= FullDeclaration.Length; length++)
            AssertGeneratorSurvives($"using CodeGenLstm;\n{FullDeclaration.Substring(0, length)}\npublic partial class Model;\n");
    }

    private static readonly string[] s_values =
    {
        "0", "1", "-1", "3", "64", "int.MaxValue", "int.MinValue", "1 << 20", "46341", "\"x\"", "null", "true", "3.5f",
        "float.NaN", "float.PositiveInfinity", "-0f", "1e-45f", "(Activation)99", "(RecurrentInit)(-4)", "(Readout)7",
        "Activation.Relu", "RecurrentInit.Identity", "Readout.LastStep", "typeof(int)", "default", "\"\"", "\" \"", "'c'", "2.0",
    };

    private static readonly string[] s_named =
    {
        "Dropout", "InitGain", "ForgetBias", "Init", "Activation", "Residual", "Name", "Readout", "Unknown", "SequenceLength", "ClipNorm",
    };

    private static readonly string[] s_positional = { "hiddenSize", "layers", "bidirectional", "inputSize", "vocabularySize", "dimension", "outputSize" };

    [Fact]
    public void RandomGarbageArguments()
    {
        var random = new Random(20261126);
        string[] kinds = { "Lstm", "Gru", "Rnn", "Embedding", "Dense", "Training" };
        for (int trial = 0; trial < 300; trial++)
        {
            var attributes = new List<string>();
            int layerCount = random.Next(1, 4);
            for (int l = 0; l < layerCount; l++)
            {
                var arguments = new List<string>();
                int positional = random.Next(0, 5);
                for (int a = 0; a < positional; a++)
                {
                    string value = s_values[random.Next(s_values.Length)];
                    arguments.Add(random.Next(3) == 0 ? $"{s_positional[random.Next(s_positional.Length)]}: {value}" : value);
                }
                int named = random.Next(0, 3);
                for (int a = 0; a < named; a++)
                    arguments.Add($"{s_named[random.Next(s_named.Length)]} = {s_values[random.Next(s_values.Length)]}");
                attributes.Add($"[{kinds[random.Next(kinds.Length)]}({string.Join(", ", arguments)})]");
            }
            AssertGeneratorSurvives($"using CodeGenLstm;\n{string.Join("\n", attributes)}\npublic partial class Model;\n");
        }
    }

    [Theory]
    [InlineData("public class Model;")]                                 // not partial
    [InlineData("public partial struct Model;")]                        // not a class
    [InlineData("public partial record Model;")]                        // a record
    [InlineData("public static partial class Model;")]                  // static
    [InlineData("public partial class Model<T>;")]                      // generic
    [InlineData("public partial class Model; public partial class Model { }")] // split, attributes on one part: fine
    [InlineData("public partial class Model; [Dense(outputSize: 1)] public partial class Model { }")] // layers on two parts (CGL0002): one placeholder
    [InlineData("public partial class Model; [Lstm(inputSize: 2, hiddenSize: 3)] partial class Model; [Gru(hiddenSize: 2)] partial class Model;")] // three parts, two of one kind
    [InlineData("public partial class Outer { public partial class Model; }")]  // attributes on the outer class
    [InlineData("public partial class Model { [Lstm(inputSize: 2, hiddenSize: 3)] public partial class Model2; }")]  // a model inside a model
    public void UnusualTargets(string declaration) =>
        AssertGeneratorSurvives($"using CodeGenLstm;\n[Lstm(inputSize: 2, hiddenSize: 3)]\n{declaration}\n");
}
