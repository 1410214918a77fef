using System;
using System.Linq;
using System.Text.RegularExpressions;
using CodeGenLstm.Generators.Tests.Infrastructure;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// What a user opens stays readable: a small model's generated file is short enough to read through, and each
/// recurrent stage shows its cell's equations before the machinery (weight checks, packing, the thread split).
/// The budgets are the design's: the adding-problem LSTM of samples/LongRange in at most 1,200 lines, a 2-layer
/// bidirectional Embedding + LSTM + Dense classifier in at most 1,500. A change that pushes a file past them is a
/// change to the architecture (kernels moved back out of the runtime, say), not a detail.
/// </summary>
public class ReadabilityBudgetTests
{
    private const string AddingLstm = """
        using CodeGenLstm;
        namespace Demo;

        [Lstm(inputSize: 2, hiddenSize: 32)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        public partial class AddingLstm;
        """;

    private const string Classifier = """
        using CodeGenLstm;
        namespace Demo;

        [Embedding(vocabularySize: 10000, dimension: 128)]
        [Lstm(hiddenSize: 256, layers: 2, bidirectional: true)]
        [Dense(outputSize: 2, Readout = Readout.LastStep)]
        public partial class Classifier;
        """;

    [Theory]
    [InlineData(AddingLstm, "Demo.AddingLstm.g.cs", 1_200)]
    [InlineData(Classifier, "Demo.Classifier.g.cs", 1_500)]
    public void GeneratedFileStaysWithinItsLineBudget(string source, string hintName, int budget)
    {
        string text = Generate(source, hintName);
        int lines = text.Split('\n').Length;
        Assert.True(lines <= budget, $"{hintName} has {lines} lines; the budget is {budget}");
        // Not vacuous: the file holds the whole model (its class and the forward of every stage).
        Assert.Contains("partial class", text);
        Assert.Contains("ForwardStage0(", text);
    }

    [Theory]
    [InlineData(AddingLstm, "Demo.AddingLstm.g.cs", 1)]
    [InlineData(Classifier, "Demo.Classifier.g.cs", 2)]
    public void EachRecurrentStageOpensWithItsEquations(string source, string hintName, int recurrentStages)
    {
        string[] lines = Generate(source, hintName).Split('\n');
        // A stage's forward method, with the doc comment above it: the equations must come before the 40th line of
        // it, i.e. on the first screen of whoever jumps to the stage.
        int[] stageStarts = lines.Select((line, i) => (line, i))
            .Where(p => Regex.IsMatch(p.line, @"private void ForwardStage\d+\("))
            .Select(p => p.i).ToArray();
        int checkedStages = 0;
        foreach (int start in stageStarts)
        {
            int docStart = start;
            while (docStart > 0 && lines[docStart - 1].TrimStart().StartsWith("///", StringComparison.Ordinal) ||
                   docStart > 0 && lines[docStart - 1].TrimStart().StartsWith("[", StringComparison.Ordinal))
                docStart--;
            string firstScreen = string.Join('\n', lines.Skip(docStart).Take(40));
            if (!firstScreen.Contains("(LSTM)", StringComparison.Ordinal)) continue;  // an embedding or dense stage
            checkedStages++;
            Assert.Contains("c_t = f * c_{t-1} + i * g", firstScreen);
            Assert.Contains("h_t = o * tanh(c_t)", firstScreen);
        }
        Assert.Equal(recurrentStages, checkedStages);
    }

    private static string Generate(string source, string hintName)
    {
        var (result, output, _) = GeneratorHarness.Run(source);
        Assert.Empty(GeneratorHarness.CompileErrors(output));
        var sources = GeneratorHarness.Sources(result);
        Assert.True(sources.ContainsKey(hintName), $"expected {hintName}; generated: {string.Join(", ", sources.Keys)}");
        return sources[hintName].Replace("\r\n", "\n");
    }
}
