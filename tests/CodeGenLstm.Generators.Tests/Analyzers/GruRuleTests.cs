using System.Threading.Tasks;
using static CodeGenLstm.Generators.Tests.Analyzers.GradientTest;

namespace CodeGenLstm.Generators.Tests.Analyzers;

/// <summary>
/// CGL1017: a GRU whose per-step factor at initialisation, 1/2 + rho(W_hn)/4, is below 0.72 and takes the gradient
/// below 1/1000 over T - 1 steps, T >= 20, when the loss reads the last step only and no layer is bidirectional. Every expected number is worked
/// by hand in the comment above it (rho from the init table: Uniform g/sqrt(3), XavierUniform g/sqrt(2) for a
/// GRU's three gate blocks, Orthogonal g).
/// </summary>
public class GruRuleTests
{
    [Fact]
    public Task PyTorchsDefaultGruOverThirtyFiveSteps() => VerifyAsync("""
        using CodeGenLstm;
        [{|#0:Gru(inputSize: 2, hiddenSize: 32)|}]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 35, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, ClipNorm = 1f)]
        public partial class Adding;
        """,
        // 1/2 + (1/sqrt(3))/4 = 0.64434; 34 log10(0.64434) = -6.490: 3.2e-7.
        Expect("CGL1017", 0, "'gru': at initialisation each step back scales the gradient by about 1/2 + rho(W_hn)/4 ~ 0.644 (update and reset gates near 1/2, Init = Uniform), so over T - 1 = 34 steps it falls to about 0.644^34 ~ 3.2e-7 of its size, below 1/1000: the GRU cannot learn from the start of a 35-step sequence at the start of training (Pascanu et al. 2013); use Init = RecurrentInit.Orthogonal (factor 0.75, Keras' default) or shorter sequences"));

    [Fact]
    public Task SilentBelowTwentyStepsAndAboveOneThousandth() => VerifyAsync("""
        using CodeGenLstm;
        // 0.64434^18 = 3.6e-4 is below 1/1000, but T = 19 is not long-range.
        [Gru(inputSize: 2, hiddenSize: 32)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 19)]
        public partial class Short;

        // Orthogonal, gain 0.8: factor 1/2 + 0.8/4 = 0.7; 0.7^19 = 1.14e-3 stays silent at T = 20 ...
        [Gru(inputSize: 2, hiddenSize: 32, Init = RecurrentInit.Orthogonal, InitGain = 0.8f)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 20)]
        public partial class AtTwenty;

        // ... and 0.7^20 = 7.98e-4 is reported at T = 21.
        [Gru(inputSize: 2, hiddenSize: 32, Init = RecurrentInit.Orthogonal, {|#0:InitGain = 0.8f|})]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 21)]
        public partial class AtTwentyOne;
        """,
        Expect("CGL1017", 0, "'gru': at initialisation each step back scales the gradient by about 1/2 + rho(W_hn)/4 ~ 0.7 (update and reset gates near 1/2, Init = Orthogonal, InitGain = 0.8), so over T - 1 = 20 steps it falls to about 0.7^20 ~ 8e-4 of its size, below 1/1000: the GRU cannot learn from the start of a 21-step sequence at the start of training (Pascanu et al. 2013); use Init = RecurrentInit.Orthogonal (factor 0.75, Keras' default) or shorter sequences"));

    [Fact]
    public Task TheFactorLimitKeepsKerasDefaultSilent() => VerifyAsync("""
        using CodeGenLstm;
        // XavierUniform, gain 1.2: rho = 1.2 sqrt(2/4) = 0.8485, factor 0.7121 < 0.72; 399 log10(0.7121) = -58.83.
        [Gru(inputSize: 2, hiddenSize: 32, Init = RecurrentInit.XavierUniform, {|#0:InitGain = 1.2f|})]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 400)]
        public partial class Xavier;

        // Orthogonal, gain 1 (Keras' default): factor 0.75, not below 0.72, silent however long T is.
        [Gru(inputSize: 2, hiddenSize: 32, Init = RecurrentInit.Orthogonal)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 400)]
        public partial class KerasDefault;

        // Uniform, gain 1.6: factor 1/2 + 1.6/(4 sqrt(3)) = 0.7309, silent.
        [Gru(inputSize: 2, hiddenSize: 32, InitGain = 1.6f)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 400)]
        public partial class WideUniform;
        """,
        Expect("CGL1017", 0, "'gru': at initialisation each step back scales the gradient by about 1/2 + rho(W_hn)/4 ~ 0.712 (update and reset gates near 1/2, Init = XavierUniform, InitGain = 1.2), so over T - 1 = 399 steps it falls to about 0.712^399 ~ 1.5e-59 of its size, below 1/1000: the GRU cannot learn from the start of a 400-step sequence at the start of training (Pascanu et al. 2013); use Init = RecurrentInit.Orthogonal (factor 0.75, Keras' default) or shorter sequences"));

    [Fact]
    public Task SilentWhenTheLossIsNearTheFirstStep() => VerifyAsync("""
        using CodeGenLstm;
        // The same GRU as PyTorchsDefaultGruOverThirtyFiveSteps, read at every step (a loss per step), one without
        // a Dense read-out (the loss is the user's), and a bidirectional one, whose LastStep read-out takes the
        // backward state at step 0: none is judged.
        [Gru(inputSize: 2, hiddenSize: 32)]
        [Dense(outputSize: 1)]
        [Training(SequenceLength = 35, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, ClipNorm = 1f)]
        public partial class EachStep;

        [Gru(inputSize: 2, hiddenSize: 32)]
        [Training(SequenceLength = 35, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, ClipNorm = 1f)]
        public partial class NoReadout;

        [Gru(inputSize: 2, hiddenSize: 32, bidirectional: true)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 35, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, ClipNorm = 1f)]
        public partial class BothWays;
        """);

    [Fact]
    public Task WithoutTTheOnsetIsNamed() => VerifyAsync("""
        using CodeGenLstm;
        // Uniform: ln(1e-3)/ln(0.64434) = 15.72, so T - 1 >= 16, T >= 17, raised to the long-range 20.
        [{|#0:Gru(inputSize: 2, hiddenSize: 32)|}]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        public partial class Default;

        // Orthogonal, gain 0.8: ln(1e-3)/ln(0.7) = 19.37, so T - 1 >= 20, T >= 21.
        [{|#1:Gru(inputSize: 2, hiddenSize: 32, Init = RecurrentInit.Orthogonal, InitGain = 0.8f)|}]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        public partial class Narrow;

        // Orthogonal, gain 1: no rule about time would ever speak, so nothing waits for T.
        [Gru(inputSize: 2, hiddenSize: 32, Init = RecurrentInit.Orthogonal)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        public partial class Keras;
        """,
        ExpectUnknownT(0, "Default", "CGL1017 from T = 20"),
        ExpectUnknownT(1, "Narrow", "CGL1017 from T = 21"));
}
