using System.Threading.Tasks;
using CodeGenLstm.CodeFixes;
using CodeGenLstm.Generators.Analyzers;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace CodeGenLstm.Generators.Tests.CodeFixes;

/// <summary>The code fixes of configuration errors (CGL0xxx), one diagnostic at a time and with Fix All.</summary>
public class ConfigurationCodeFixTests
{
    private static DiagnosticResult At(string id, int markup) =>
        new DiagnosticResult(id, DiagnosticDescriptors.Configurations[id].DefaultSeverity).WithLocation(markup);

    [Fact]
    public Task DenseMovesBelowTheLastRecurrentLayer()
    {
        var test = new FixTest<ModelConfigurationAnalyzer, MoveDenseCodeFix>("""
            using CodeGenLstm;

            /// <summary>Reads one number per sequence.</summary>
            [{|#0:Dense(outputSize: 1, Readout = Readout.LastStep)|}]
            [Lstm(inputSize: 4, hiddenSize: 8)]
            [Training(SequenceLength = 20)]
            public partial class Regressor;

            [{|#1:Dense(outputSize: 16)|}]
            [{|#2:Dense(outputSize: 3)|}]
            [Embedding(vocabularySize: 50, dimension: 8)]
            [Gru(hiddenSize: 8)]
            [Gru(hiddenSize: 8, bidirectional: true)]
            public partial class Tagger;
            """, """
            using CodeGenLstm;

            /// <summary>Reads one number per sequence.</summary>
            [Lstm(inputSize: 4, hiddenSize: 8)]
            [Dense(outputSize: 1, Readout = Readout.LastStep)]
            [Training(SequenceLength = 20)]
            public partial class Regressor;

            [Embedding(vocabularySize: 50, dimension: 8)]
            [Gru(hiddenSize: 8)]
            [Gru(hiddenSize: 8, bidirectional: true)]
            [Dense(outputSize: 16)]
            [Dense(outputSize: 3)]
            public partial class Tagger;
            """, MoveDenseCodeFix.Key)
        {
            // One fix moves every misplaced Dense of its class.
            NumberOfIncrementalIterations = 2,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL0015", 0), At("CGL0015", 1), At("CGL0015", 2) });
        return test.RunAsync();
    }
}
