using System.Threading.Tasks;
using CodeGenLstm.CodeFixes;
using CodeGenLstm.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace CodeGenLstm.Generators.Tests.CodeFixes;

/// <summary>
/// Each code fix on the diagnostics it serves, one at a time and with Fix All (every test has at
/// least two diagnostics that the fix resolves).
/// </summary>
public class CodeFixTests
{
    /// <summary>A diagnostic by id, severity and span (the messages are checked in GradientRuleTests).</summary>
    private static DiagnosticResult At(string id, int markup) =>
        new DiagnosticResult(id, DiagnosticDescriptors.GradientRules[id].DefaultSeverity).WithLocation(markup);

    [Fact]
    public Task RnnToLstm()
    {
        var test = new FixTest<UseGatedCellCodeFix>("""
            using CodeGenLstm;
            [{|#0:Rnn(inputSize: 2, hiddenSize: 32)|}]
            [Dense(outputSize: 1, Readout = Readout.LastStep)]
            [Training(SequenceLength = 50, ClipNorm = 1f)]
            public partial class Adding;

            [{|#1:CodeGenLstm.RnnAttribute(inputSize: 4, hiddenSize: 16, {|#2:Activation = Activation.Sigmoid|}, Name = "encoder")|}]
            [Training(SequenceLength = 20)]
            public partial class Squashed;
            """, """
            using CodeGenLstm;
            [Lstm(inputSize: 2, hiddenSize: 32)]
            [Dense(outputSize: 1, Readout = Readout.LastStep)]
            [Training(SequenceLength = 50, ClipNorm = 1f)]
            public partial class Adding;

            [CodeGenLstm.LstmAttribute(inputSize: 4, hiddenSize: 16, Name = "encoder")]
            [Training(SequenceLength = 20)]
            public partial class Squashed;
            """, UseGatedCellCodeFix.LstmKey)
        {
            NumberOfIncrementalIterations = 2,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange(new[]
        {
            At("CGL1001", 0), At("CGL1002", 1), At("CGL1003", 1), At("CGL1004", 2),
        });
        return test.RunAsync();
    }

    [Fact]
    public Task RnnToGruTurnsIdentityIntoOrthogonal()
    {
        var test = new FixTest<UseGatedCellCodeFix>("""
            using CodeGenLstm;
            [{|#0:Rnn(inputSize: 2, hiddenSize: 32, Activation = Activation.Relu, Init = RecurrentInit.Identity, InitGain = 0.5f)|}]
            [Training(SequenceLength = 100)]
            public partial class Damped;

            [{|#1:Rnn(inputSize: 2, hiddenSize: 8)|}]
            [Training(SequenceLength = 64, ClipNorm = 1f)]
            public partial class Plain;
            """, """
            using CodeGenLstm;
            [Gru(inputSize: 2, hiddenSize: 32, Init = RecurrentInit.Orthogonal, InitGain = 0.5f)]
            [Training(SequenceLength = 100)]
            public partial class Damped;

            [Gru(inputSize: 2, hiddenSize: 8)]
            [Training(SequenceLength = 64, ClipNorm = 1f)]
            public partial class Plain;
            """, UseGatedCellCodeFix.GruKey);
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL1003", 0), At("CGL1001", 1) });
        return test.RunAsync();
    }

    [Fact]
    public Task ForgetBiasOne()
    {
        var test = new FixTest<ForgetBiasCodeFix>("""
            using CodeGenLstm;
            [Lstm(inputSize: 8, hiddenSize: 16, {|#0:ForgetBias = 0f|})]
            [Training(SequenceLength = 35)]
            public partial class A;

            [Lstm(inputSize: 8, hiddenSize: 16, layers: 2, {|#1:ForgetBias = -1f|}, Dropout = 0.1f)]
            [Training(SequenceLength = 35)]
            public partial class B;
            """, """
            using CodeGenLstm;
            [Lstm(inputSize: 8, hiddenSize: 16, ForgetBias = 1f)]
            [Training(SequenceLength = 35)]
            public partial class A;

            [Lstm(inputSize: 8, hiddenSize: 16, layers: 2, ForgetBias = 1f, Dropout = 0.1f)]
            [Training(SequenceLength = 35)]
            public partial class B;
            """, ForgetBiasCodeFix.Key);
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL1011", 0), At("CGL1011", 1) });
        return test.RunAsync();
    }

    [Fact]
    public Task IdentityInitForReluRnns()
    {
        var test = new FixTest<RecurrentInitCodeFix>("""
            using CodeGenLstm;
            [Rnn(inputSize: 2, hiddenSize: 100, {|#0:Activation = Activation.Relu|})]
            [Training(SequenceLength = 30)]
            public partial class Relu;

            [Rnn(inputSize: 2, hiddenSize: 100, Activation = Activation.Relu, Init = RecurrentInit.Identity, {|#1:InitGain = 1.1f|})]
            [Training(SequenceLength = 30, ClipNorm = 1f)]
            public partial class Growing;
            """, """
            using CodeGenLstm;
            [Rnn(inputSize: 2, hiddenSize: 100, Activation = Activation.Relu, Init = RecurrentInit.Identity)]
            [Training(SequenceLength = 30)]
            public partial class Relu;

            [Rnn(inputSize: 2, hiddenSize: 100, Activation = Activation.Relu, Init = RecurrentInit.Identity)]
            [Training(SequenceLength = 30, ClipNorm = 1f)]
            public partial class Growing;
            """, RecurrentInitCodeFix.IdentityKey);
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL1006", 0), At("CGL1005", 1) });
        return test.RunAsync();
    }

    [Fact]
    public Task OrthogonalInitForTanhRnns()
    {
        var test = new FixTest<RecurrentInitCodeFix>("""
            using CodeGenLstm;
            [{|#0:Rnn(inputSize: 2, hiddenSize: 64, Init = RecurrentInit.XavierUniform, {|#1:InitGain = 2f|})|}]
            [Training(SequenceLength = 20, ClipNorm = 1f)]
            public partial class Chaotic;

            [{|#2:Rnn(inputSize: 2, hiddenSize: 64, InitGain = 0.25f)|}]
            [Training(SequenceLength = 40, ClipNorm = 1f)]
            public partial class Damped;
            """, """
            using CodeGenLstm;
            [{|#0:Rnn(inputSize: 2, hiddenSize: 64, Init = RecurrentInit.Orthogonal)|}]
            [Training(SequenceLength = 20, ClipNorm = 1f)]
            public partial class Chaotic;

            [{|#2:Rnn(inputSize: 2, hiddenSize: 64, Init = RecurrentInit.Orthogonal)|}]
            [Training(SequenceLength = 40, ClipNorm = 1f)]
            public partial class Damped;
            """, RecurrentInitCodeFix.OrthogonalKey);
        // Xavier over [H, H] with gain 2: rho = 2 >= 1.5. Uniform with gain 1/4: sigma_max = 0.289, 0.289^39 = 1e-21.
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL1002", 0), At("CGL1007", 1), At("CGL1002", 2), At("CGL1003", 2) });
        test.FixedState.ExpectedDiagnostics.AddRange(new[] { At("CGL1002", 0), At("CGL1002", 2) });
        return test.RunAsync();
    }

    [Fact]
    public Task ClipNormIntoAnExistingTrainingAttribute()
    {
        var test = new FixTest<AddClippingCodeFix>("""
            using CodeGenLstm;
            [{|#0:Rnn(inputSize: 2, hiddenSize: 32)|}]
            [{|#1:Training(SequenceLength = 60, Optimizer = Optimizer.Adam)|}]
            public partial class Unclipped;

            [Gru(inputSize: 2, hiddenSize: 32)]
            [Training(Optimizer = Optimizer.SgdMomentum, {|#2:ClipValue = 1f|})]
            public partial class ValueClipped;
            """, """
            using CodeGenLstm;
            [{|#0:Rnn(inputSize: 2, hiddenSize: 32)|}]
            [Training(SequenceLength = 60, Optimizer = Optimizer.Adam, ClipNorm = 5f)]
            public partial class Unclipped;

            [Gru(inputSize: 2, hiddenSize: 32)]
            [Training(Optimizer = Optimizer.SgdMomentum, ClipValue = 1f, ClipNorm = 5f)]
            public partial class ValueClipped;
            """, AddClippingCodeFix.Key);
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL1001", 0), At("CGL1008", 1), At("CGL1010", 2) });
        test.FixedState.ExpectedDiagnostics.Add(At("CGL1001", 0));
        return test.RunAsync();
    }

    [Fact]
    public Task ClipNormCreatesTheAttributeAndClipsTheStep()
    {
        var test = new FixTest<AddClippingCodeFix>("""
            using CodeGenLstm;
            [{|#0:Lstm(inputSize: 4, hiddenSize: 16)|}]
            [Dense(outputSize: 1)]
            public partial class Model;

            [Gru(inputSize: 4, hiddenSize: 16)]
            [{|#2:Training(Optimizer = Optimizer.Sgd)|}]
            public partial class Other;

            public static class Trainer
            {
                public static void Train(Model model, float[] input, float[] output, float[] gradient)
                {
                    var sgd = new Sgd(Model.ParameterCount, learningRate: 0.1f);
                    model.Forward(input, 1, 4, output, training: true);
                    model.Backward(gradient);
                    {|#1:sgd.Step(model.Parameters, model.Gradients)|};
                }
            }
            """, """
            using CodeGenLstm;
            [Lstm(inputSize: 4, hiddenSize: 16)]
            [Dense(outputSize: 1)]
            [{|#0:Training(ClipNorm = 5f)|}]
            public partial class Model;

            [Gru(inputSize: 4, hiddenSize: 16)]
            [Training(Optimizer = Optimizer.Sgd, ClipNorm = 5f)]
            public partial class Other;

            public static class Trainer
            {
                public static void Train(Model model, float[] input, float[] output, float[] gradient)
                {
                    var sgd = new Sgd(Model.ParameterCount, learningRate: 0.1f);
                    model.Forward(input, 1, 4, output, training: true);
                    model.Backward(gradient);
                    Clip.GlobalNorm(model.Gradients, 5f);
                    sgd.Step(model.Parameters, model.Gradients);
                }
            }
            """, AddClippingCodeFix.Key)
        {
            WithGenerator = true,
        };
        // T is read from Forward (4 steps), so CGL1016 says so, before and after the fix.
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL1008", 1).WithLocation(0), At("CGL1008", 2), At("CGL1016", 0) });
        test.FixedState.ExpectedDiagnostics.Add(At("CGL1016", 0));
        return test.RunAsync();
    }

    [Fact]
    public Task ResidualOnDeepStacks()
    {
        var test = new FixTest<ResidualCodeFix>("""
            using CodeGenLstm;
            [{|#0:Lstm(inputSize: 32, hiddenSize: 32, layers: 6)|}]
            public partial class Deep;

            [{|#1:Gru(inputSize: 8, hiddenSize: 64, layers: 8, Dropout = 0.2f)|}]
            public partial class Deeper;
            """, """
            using CodeGenLstm;
            [{|#0:Lstm(inputSize: 32, hiddenSize: 32, layers: 6, Residual = true)|}]
            public partial class Deep;

            [Gru(inputSize: 8, hiddenSize: 64, layers: 8, Dropout = 0.2f, Residual = true)]
            public partial class Deeper;
            """, ResidualCodeFix.Key);
        test.ExpectedDiagnostics.AddRange(new[] { At("CGL1014", 0), At("CGL1014", 1), At("CGL1016", 0) });
        test.FixedState.ExpectedDiagnostics.Add(At("CGL1016", 0));   // the LSTM's T is still unknown
        return test.RunAsync();
    }
}
