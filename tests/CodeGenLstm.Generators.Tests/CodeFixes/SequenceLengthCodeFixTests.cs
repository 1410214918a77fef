using System.Threading.Tasks;
using CodeGenLstm.CodeFixes;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace CodeGenLstm.Generators.Tests.CodeFixes;

/// <summary>
/// CGL1016's fix: SequenceLength in [Training], the T read from code when there is one, else 0 (unknown, which
/// silences CGL1016);
/// the expected sources and titles are written out by hand from the fix's contract (docs/diagnostics/CGL1016.md).
/// </summary>
public class SequenceLengthCodeFixTests
{
    // CGL1016 is judged at the end of the compilation (every training Forward seen), so it is not a
    // diagnostic of one document: the framework's check that fixes serve only local diagnostics is skipped.

    private static DiagnosticResult At(string id, int markup) =>
        new DiagnosticResult(id, DiagnosticDescriptors.GradientRules[id].DefaultSeverity).WithLocation(markup);

    [Fact]
    public Task TheLengthReadFromCodeGoesIntoTraining()
    {
        var test = new FixTest<DeclareSequenceLengthCodeFix>("""
            using CodeGenLstm;
            [Lstm(inputSize: 4, hiddenSize: 16)]
            [{|#0:Training(Optimizer = Optimizer.Adam)|}]
            public partial class Tagged;

            [{|#1:Lstm(inputSize: 4, hiddenSize: 16)|}]
            public partial class Bare;

            [Gru(inputSize: 4, hiddenSize: 16)]
            [Training(SequenceLength = 30)]
            public partial class Declared;

            public static class Loop
            {
                public static void Run(Tagged tagged, Bare bare, Declared declared, float[] input, float[] output)
                {
                    tagged.Forward(input, 1, 12, output, training: true);
                    bare.Forward(input, 1, 12, output, training: true);
                    declared.Forward(input, 1, 12, output, training: true);
                }
            }
            """, """
            using CodeGenLstm;
            [Lstm(inputSize: 4, hiddenSize: 16)]
            [Training(Optimizer = Optimizer.Adam, SequenceLength = 12)]
            public partial class Tagged;

            [Lstm(inputSize: 4, hiddenSize: 16)]
            [Training(SequenceLength = 12)]
            public partial class Bare;

            [Gru(inputSize: 4, hiddenSize: 16)]
            [Training(SequenceLength = 30)]
            public partial class Declared;

            public static class Loop
            {
                public static void Run(Tagged tagged, Bare bare, Declared declared, float[] input, float[] output)
                {
                    tagged.Forward(input, 1, 12, output, training: true);
                    bare.Forward(input, 1, 12, output, training: true);
                    declared.Forward(input, 1, 12, output, training: true);
                }
            }
            """, DeclareSequenceLengthCodeFix.Key)
        {
            WithGenerator = true,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
            CodeActionVerifier = (action, verifier) =>
                verifier.Equal("Declare the sequence length read from code: [Training(SequenceLength = 12)]", action.Title),
        };
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL1016", 0), At("CGL1016", 1) });
        return test.RunAsync();
    }

    [Fact]
    public Task AnUnknownLengthIsDeclaredAsZeroInOneRound()
    {
        var test = new FixTest<DeclareSequenceLengthCodeFix>("""
            using CodeGenLstm;
            [{|#0:Lstm(inputSize: 4, hiddenSize: 16)|}]
            [Dense(outputSize: 1)]
            public partial class Model;
            """, """
            using CodeGenLstm;
            [Lstm(inputSize: 4, hiddenSize: 16)]
            [Dense(outputSize: 1)]
            [Training(SequenceLength = 0)]
            public partial class Model;
            """, DeclareSequenceLengthCodeFix.Key)
        {
            // A written 0 says T is unknown on purpose: CGL1016 is silent after the fix, which is not offered again.
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
            CodeActionVerifier = (action, verifier) => verifier.Equal(
                "Declare the sequence length unknown: [Training(SequenceLength = 0)]; replace 0 by your training sequences' length to have the rules about time judge it",
                action.Title),
        };
        test.ExpectedDiagnostics.Add(At("CGL1016", 0));
        return test.RunAsync();
    }

    [Fact]
    public Task AWrittenZeroStillTakesTheLengthReadFromCode()
    {
        // 0 is unknown, not a length: T read from code is judged and named, and the fix writes it over the 0.
        var test = new FixTest<DeclareSequenceLengthCodeFix>("""
            using CodeGenLstm;
            [Lstm(inputSize: 4, hiddenSize: 16)]
            [{|#0:Training(SequenceLength = 0)|}]
            public partial class Model;

            public static class Loop
            {
                public static void Run(Model model, float[] input, float[] output) => model.Forward(input, 1, 9, output, training: true);
            }
            """, """
            using CodeGenLstm;
            [Lstm(inputSize: 4, hiddenSize: 16)]
            [Training(SequenceLength = 9)]
            public partial class Model;

            public static class Loop
            {
                public static void Run(Model model, float[] input, float[] output) => model.Forward(input, 1, 9, output, training: true);
            }
            """, DeclareSequenceLengthCodeFix.Key)
        {
            WithGenerator = true,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.ExpectedDiagnostics.Add(At("CGL1016", 0));
        return test.RunAsync();
    }

    [Fact]
    public Task NotOfferedForTheOtherRules()
    {
        // T is declared, so CGL1016 is silent; the deep stack's CGL1014 is not this fix's to change.
        const string source = """
            using CodeGenLstm;
            [{|#0:Lstm(inputSize: 32, hiddenSize: 32, layers: 6)|}]
            [Training(SequenceLength = 20, ClipNorm = 1f)]
            public partial class Deep;
            """;
        var test = new FixTest<DeclareSequenceLengthCodeFix>(source, source, DeclareSequenceLengthCodeFix.Key);
        test.ExpectedDiagnostics.Add(At("CGL1014", 0));
        return test.RunAsync();
    }
}
