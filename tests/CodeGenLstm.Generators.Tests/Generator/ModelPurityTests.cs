using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CodeGenLstm.Generators.Model;
using CodeGenLstm.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The cached model holds nothing from Roslyn: a symbol, syntax node, location or compilation in it
/// would keep whole compilations alive and break caching (System.Text.Json's generator has the same test).
/// </summary>
public class ModelPurityTests
{
    [Fact]
    public void TheModelGraphHoldsOnlyPlainValues()
    {
        var (result, _, _) = GeneratorHarness.Run("""
            using CodeGenLstm;
            namespace Demo;
            [Embedding(vocabularySize: 10, dimension: 3)]
            [Gru(hiddenSize: 4, layers: 2, bidirectional: true, Dropout = 0.1f)]
            [Dense(outputSize: 2, Readout = Readout.LastStep)]
            public partial class M;
            """);
        object[] models = result.Results[0].TrackedSteps[ModelGenerator.ModelSpecStep]
            .SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
        Assert.Single(models);
        Assert.IsType<ModelSpec>(models[0]);
        Walk(models[0], "model", new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public void ThePlaceholderGraphHoldsOnlyPlainValues()
    {
        var (result, _, _) = GeneratorHarness.Run("""
            using CodeGenLstm;
            namespace Demo;
            public static partial class Outer
            {
                [Embedding(vocabularySize: 10, dimension: 3)]
                [Gru(hiddenSize: 0)]
                public partial class M;
            }
            """);
        object[] placeholders = result.Results[0].TrackedSteps[ModelGenerator.PlaceholderStep]
            .SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
        Assert.Single(placeholders);
        Assert.IsType<PlaceholderSpec>(placeholders[0]);
        Walk(placeholders[0], "placeholder", new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    private static void Walk(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        Type type = value.GetType();
        Assert.False(value is ISymbol || value is SyntaxNode || value is Location || value is Compilation || value is SemanticModel || value is SyntaxTree,
            $"{path} holds a Roslyn object of type {type}");
        Assert.True(type.Namespace == typeof(ModelSpec).Namespace, $"{path} holds {type}, which is not a model type");
        if (!seen.Add(value)) return;
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items) Walk(item, $"{path}[{i++}]", seen);
            return;
        }
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            Walk(property.GetValue(value), $"{path}.{property.Name}", seen);
    }
}
