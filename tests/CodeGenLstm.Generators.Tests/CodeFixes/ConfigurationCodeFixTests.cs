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
    public Task PartialOnTheClassKeepsItsTriviaAndModifiers()
    {
        var test = new FixTest<ModelConfigurationAnalyzer, MakePartialCodeFix>("""
            using CodeGenLstm;

            /// <summary>The adding problem.</summary>
            [{|#0:Lstm(inputSize: 2, hiddenSize: 32)|}]
            [Dense(outputSize: 1)]  // read-out
            public sealed class Adding
            {
                // a user member
                public int Steps => 10;
            }

            namespace Zoo
            {
                [{|#1:Gru(inputSize: 2, hiddenSize: 8)|}]
                class Bare;

                // no attribute line between: the comment stays above
                [{|#3:Rnn(inputSize: 1, hiddenSize: 2)|}] class Inline { }
            }

            /* before */ [{|#2:Rnn(inputSize: 2, hiddenSize: 8)|}]
            internal   class   Spaced ;
            """, """
            using CodeGenLstm;

            /// <summary>The adding problem.</summary>
            [Lstm(inputSize: 2, hiddenSize: 32)]
            [Dense(outputSize: 1)]  // read-out
            public sealed partial class Adding
            {
                // a user member
                public int Steps => 10;
            }

            namespace Zoo
            {
                [Gru(inputSize: 2, hiddenSize: 8)]
                partial class Bare;

                // no attribute line between: the comment stays above
                [Rnn(inputSize: 1, hiddenSize: 2)] partial class Inline { }
            }

            /* before */ [Rnn(inputSize: 2, hiddenSize: 8)]
            internal   partial class   Spaced ;
            """, MakePartialCodeFix.Key);
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL0001", 0), At("CGL0001", 1), At("CGL0001", 2), At("CGL0001", 3) });
        return test.RunAsync();
    }

    [Fact]
    public Task PartialOnEveryEnclosingTypeThatLacksIt()
    {
        // Two models in one non-partial type: each diagnostic names the first type that is not partial;
        // one fix makes the whole chain partial, and Fix All changes each declaration once.
        var test = new FixTest<ModelConfigurationAnalyzer, MakePartialCodeFix>("""
            using CodeGenLstm;
            namespace Lab
            {
                public static class Experiments
                {
                    internal partial struct Group
                    {
                        [{|#0:Lstm(inputSize: 2, hiddenSize: 4)|}]
                        public class First;
                    }

                    // The second model
                    [{|#1:Gru(inputSize: 2, hiddenSize: 4)|}]
                    public partial class Second;
                }
            }
            """, """
            using CodeGenLstm;
            namespace Lab
            {
                public static partial class Experiments
                {
                    internal partial struct Group
                    {
                        [Lstm(inputSize: 2, hiddenSize: 4)]
                        public partial class First;
                    }

                    // The second model
                    [Gru(inputSize: 2, hiddenSize: 4)]
                    public partial class Second;
                }
            }
            """, MakePartialCodeFix.Key)
        {
            // The first fix (on First) also makes Experiments partial, which clears Second's diagnostic.
            NumberOfIncrementalIterations = 1,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL0001", 0), At("CGL0001", 1) });
        return test.RunAsync();
    }

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
