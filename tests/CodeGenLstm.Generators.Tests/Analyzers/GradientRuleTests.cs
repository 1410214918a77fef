using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using static CodeGenLstm.Generators.Tests.Analyzers.GradientTest;

namespace CodeGenLstm.Generators.Tests.Analyzers;

/// <summary>
/// One test per CGL1xxx rule, with the exact span and message. The numbers in the expected messages
/// are worked by hand from the formulas on each rule's page (PyTorch's uniform init: sigma_max =
/// 2/sqrt(3) = 1.1547, rho = 1/sqrt(3) = 0.57735), not taken from the analyzer.
/// </summary>
public class GradientRuleTests
{
    [Fact]
    public Task CGL1001_PlainTanhRnnOverFiftySteps() => VerifyAsync("""
        using CodeGenLstm;
        [{|#0:Rnn(inputSize: 2, hiddenSize: 32)|}]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 50, Optimizer = Optimizer.Adam, LearningRate = 1e-2f, ClipNorm = 1f)]
        public partial class AddingRnn;
        """,
        Expect("CGL1001", 0, "'rnn' is a plain tanh RNN over sequences of T = 50 steps (>= 50): plain RNNs rarely learn dependencies longer than a few tens of steps (Bengio et al. 1994; Hochreiter and Schmidhuber 1997); use [Lstm] or [Gru]"));

    [Fact]
    public Task CGL1002_PlainTanhRnnOverThirtySteps() => VerifyAsync("""
        using CodeGenLstm;
        [{|#0:Rnn(inputSize: 2, hiddenSize: 32, Name = "encoder")|}]
        [Training(SequenceLength = 30)]
        public partial class MediumRnn;
        """,
        Expect("CGL1002", 0, "'encoder' is a plain tanh RNN over sequences of T = 30 steps (20 to 49), where plain RNNs start to fail on long-range dependencies (Bengio et al. 1994); [Lstm] or [Gru] is safer"));

    [Fact]
    public Task CGL1003_SmallUniformInitProvablyVanishes() => VerifyAsync("""
        using CodeGenLstm;
        [{|#0:Rnn(inputSize: 4, hiddenSize: 64, InitGain = 0.5f)|}]
        [Training(SequenceLength = 100, Optimizer = Optimizer.Adam, ClipNorm = 1f)]
        public partial class Damped;
        """,
        Expect("CGL1001", 0, "'rnn' is a plain tanh RNN over sequences of T = 100 steps (>= 50): plain RNNs rarely learn dependencies longer than a few tens of steps (Bengio et al. 1994; Hochreiter and Schmidhuber 1997); use [Lstm] or [Gru]"),
        // sigma_max = 0.5 * 1.1547 = 0.577; 0.577^99 = 10^-23.6175 = 2.4e-24.
        Expect("CGL1003", 0, "'rnn': sigma_max(W_hh) ~ 0.577 (largest singular value, Init = Uniform, InitGain = 0.5) times gamma = 1 (tanh) is 0.577 < 1, so the gradient carried across the 99 transitions of a 100-step sequence is at most 0.577^99 ~ 2.4e-24, below float32's relative precision 1.2e-7 (Pascanu et al. 2013, sec. 2.1)"));

    [Fact]
    public Task CGL1004_SigmoidRecurrence() => VerifyAsync("""
        using CodeGenLstm;
        [{|#0:Rnn(inputSize: 4, hiddenSize: 16, {|#1:Activation = Activation.Sigmoid|})|}]
        [Training(SequenceLength = 20)]
        public partial class SigmoidRnn;
        """,
        Expect("CGL1002", 0, "'rnn' is a plain sigmoid RNN over sequences of T = 20 steps (20 to 49), where plain RNNs start to fail on long-range dependencies (Bengio et al. 1994); [Lstm] or [Gru] is safer"),
        // gamma * sigma_max = 1.1547 / 4 = 0.2887; 0.2887^19 = 10^-10.2522 = 5.6e-11.
        Expect("CGL1003", 0, "'rnn': sigma_max(W_hh) ~ 1.15 (largest singular value, Init = Uniform) times gamma = 1/4 (sigmoid) is 0.289 < 1, so the gradient carried across the 19 transitions of a 20-step sequence is at most 0.289^19 ~ 5.6e-11, below float32's relative precision 1.2e-7 (Pascanu et al. 2013, sec. 2.1)"),
        Expect("CGL1004", 1, "'rnn' uses Activation.Sigmoid, whose derivative is at most gamma = 1/4: with sigma_max(W_hh) ~ 1.15 (Init = Uniform) each step scales the gradient by at most 0.289 < 1, so over T = 20 steps it vanishes unless sigma_max exceeds 4 (Hochreiter 1991); use Activation.Tanh, or [Lstm] or [Gru]"));

    [Fact]
    public Task CGL1005_ReluWithScaledIdentity() => VerifyAsync("""
        using CodeGenLstm;
        [Rnn(inputSize: 2, hiddenSize: 100, Activation = Activation.Relu, Init = RecurrentInit.Identity, {|#0:InitGain = 1.2f|})]
        [Training(SequenceLength = 20, ClipNorm = 1f)]
        public partial class Irnn;
        """,
        // rho = 1.2; 1.2^19 = 31.9.
        Expect("CGL1005", 0, "'rnn' uses Activation.Relu with spectral radius rho(W_hh) ~ 1.2 > 1 (Init = Identity, InitGain = 1.2): along its leading eigenvector the state and its gradient can grow by 1.2 per step, 1.2^19 ~ 31.9 over a 20-step sequence, and gradient clipping bounds the update, not the forward pass; start at rho = 1 (Init = RecurrentInit.Identity, InitGain = 1; Le et al. 2015)"));

    [Fact]
    public Task CGL1006_ReluWithPyTorchUniformInit() => VerifyAsync("""
        using CodeGenLstm;
        [Rnn(inputSize: 2, hiddenSize: 100, {|#0:Activation = Activation.Relu|})]
        [Training(SequenceLength = 20)]
        public partial class ReluRnn;
        """,
        Expect("CGL1006", 0, "'rnn' uses Activation.Relu with Init = RecurrentInit.Uniform (spectral radius rho(W_hh) ~ 0.577, sigma_max ~ 1.15) over T = 20 steps: ReLU RNNs learn long-range dependencies when W_hh starts at the identity (IRNN, Le et al. 2015) or an orthogonal matrix (Saxe et al. 2014); use Init = RecurrentInit.Identity"));

    [Fact]
    public Task CGL1006_ReluWithXavier() => VerifyAsync("""
        using CodeGenLstm;
        [Rnn(inputSize: 2, hiddenSize: 100, {|#0:Activation = Activation.Relu|}, Init = RecurrentInit.XavierUniform)]
        [Training(SequenceLength = 25)]
        public partial class ReluRnn;
        """,
        // Glorot over [H, H]: standard deviation sqrt(2/(2H)) = 1/sqrt(H), so rho = 1 and sigma_max = 2.
        Expect("CGL1006", 0, "'rnn' uses Activation.Relu with Init = RecurrentInit.XavierUniform (spectral radius rho(W_hh) ~ 1, sigma_max ~ 2) over T = 25 steps: ReLU RNNs learn long-range dependencies when W_hh starts at the identity (IRNN, Le et al. 2015) or an orthogonal matrix (Saxe et al. 2014); use Init = RecurrentInit.Identity"));

    [Fact]
    public Task CGL1007_ChaoticTanhInit() => VerifyAsync("""
        using CodeGenLstm;
        [{|#0:Rnn(inputSize: 2, hiddenSize: 128, Init = RecurrentInit.Orthogonal, {|#1:InitGain = 1.5f|})|}]
        [Training(SequenceLength = 20, ClipNorm = 1f)]
        public partial class Chaotic;
        """,
        Expect("CGL1002", 0, "'rnn' is a plain tanh RNN over sequences of T = 20 steps (20 to 49), where plain RNNs start to fail on long-range dependencies (Bengio et al. 1994); [Lstm] or [Gru] is safer"),
        Expect("CGL1007", 1, "'rnn' starts with spectral radius rho(W_hh) ~ 1.5 >= 1.5 (Init = Orthogonal, InitGain = 1.5): a random tanh network this far above rho = 1 is chaotic (Sompolinsky et al. 1988) and, with sigma_max ~ 1.5 > 1/gamma = 1, its gradients can explode over T = 20 steps (Pascanu et al. 2013); use Init = RecurrentInit.Orthogonal with InitGain = 1"));

    [Fact]
    public Task CGL1008_PlainRnnWithoutClipping() => VerifyAsync("""
        using CodeGenLstm;
        [{|#0:Rnn(inputSize: 2, hiddenSize: 32)|}]
        [{|#1:Training(SequenceLength = 60, Optimizer = Optimizer.Adam)|}]
        public partial class Unclipped;
        """,
        Expect("CGL1001", 0, "'rnn' is a plain tanh RNN over sequences of T = 60 steps (>= 50): plain RNNs rarely learn dependencies longer than a few tens of steps (Bengio et al. 1994; Hochreiter and Schmidhuber 1997); use [Lstm] or [Gru]"),
        // gamma * sigma_max = 1.1547; 1.1547^59 = 10^3.6857 = 4849.
        Expect("CGL1008", 1, "'Unclipped' is trained without gradient clipping ([Training] states neither ClipNorm nor ClipValue) where clipping matters: the plain RNN 'rnn' runs T = 60 steps with gamma * sigma_max(W_hh) ~ 1.15 > 1, so the gradient can grow up to 1.15^59 ~ 4849; clip the global norm (Clip.GlobalNorm(model.Gradients, maxNorm) between Backward and Step, and ClipNorm in [Training]; Pascanu et al. 2013)"));

    [Fact]
    public Task CGL1008_SgdStepRightAfterBackward() => VerifyWithGeneratorAsync("""
        using CodeGenLstm;
        [{|#0:Lstm(inputSize: 4, hiddenSize: 16)|}]
        [Dense(outputSize: 1)]
        public partial class Model;

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
        """,
        new DiagnosticResult(Diagnostics.DiagnosticDescriptors.MissingClipping).WithLocation(1).WithLocation(0)
            .WithMessage("'Model' is trained without gradient clipping (this Sgd.Step follows Backward directly) where clipping matters: it is trained with SGD, whose step is proportional to the raw gradient; clip the global norm (Clip.GlobalNorm(model.Gradients, maxNorm) between Backward and Step, and ClipNorm in [Training]; Pascanu et al. 2013)"),
        ExpectReadT(0, "Model", 4));

    [Fact]
    public Task CGL1009_NonPositiveClipThresholds() => VerifyWithGeneratorAsync("""
        using CodeGenLstm;
        [{|#2:Lstm(inputSize: 4, hiddenSize: 16)|}]
        public partial class Model;

        public static class Trainer
        {
            public static void Clip(Model model)
            {
                CodeGenLstm.Clip.GlobalNorm(model.Gradients, {|#0:0f|});
                CodeGenLstm.Clip.Value(model.Gradients, {|#1:maxAbs: -5|});
            }
        }
        """,
        new DiagnosticResult(Diagnostics.DiagnosticDescriptors.ClipThresholdNotPositive).WithLocation(0)
            .WithMessage("Clip.GlobalNorm is given maxNorm = 0: a threshold that is not above 0 makes it throw ArgumentOutOfRangeException; use a positive threshold (1 or 5 are common)"),
        new DiagnosticResult(Diagnostics.DiagnosticDescriptors.ClipThresholdNotPositive).WithLocation(1)
            .WithMessage("Clip.Value is given maxAbs = -5: a threshold that is not above 0 makes it throw ArgumentOutOfRangeException; use a positive threshold (1 or 5 are common)"),
        ExpectUnknownT(2, "Model", DefaultLstmOnsets));

    [Fact]
    public Task CGL1010_ClipValueWithSgd() => VerifyAsync("""
        using CodeGenLstm;
        [Gru(inputSize: 4, hiddenSize: 16)]
        [Training(SequenceLength = 35, Optimizer = Optimizer.Sgd, LearningRate = 0.5f, {|#0:ClipValue = 5f|})]
        public partial class ValueClipped;
        """,
        Expect("CGL1010", 0, "'ValueClipped' clips gradients element-wise only (ClipValue = 5 in [Training]), which bounds each element, not the norm, and turns the gradient's direction; where clipping matters (it is trained with SGD (learning rate 0.5), whose step is proportional to the raw gradient) clip the global norm (ClipNorm, Clip.GlobalNorm; Pascanu et al. 2013)"));

    [Fact]
    public Task CGL1011_ForgetBiasZero() => VerifyAsync("""
        using CodeGenLstm;
        [Lstm(inputSize: 8, hiddenSize: 16, {|#0:ForgetBias = 0f|})]
        [Training(SequenceLength = 20)]
        public partial class Leaky;
        """,
        // sigma(0) = 0.5; 0.5^19 = 1.9e-6.
        Expect("CGL1011", 0, "'lstm' has an effective forget bias of 0 < 0.5: at initialisation the cell keeps sigma(0) = 0.5 of its content per step, 0.5^19 ~ 1.9e-6 across a 20-step sequence; Jozefowicz et al. (2015) recommend a forget bias of 1 (ForgetBias = 1f keeps 0.73 per step)"));

    [Fact]
    public Task CGL1012_ShortHorizonForVeryLongSequences() => VerifyAsync("""
        using CodeGenLstm;
        [{|#0:Lstm(inputSize: 8, hiddenSize: 16)|}]
        [Training(SequenceLength = 400)]
        public partial class Copy;
        """,
        // -1/ln(sigma(1)) = 3.19 < 400/64 = 6.25; horizon 6.25 needs sigma(b) = e^-0.16 = 0.8521, b = ln(0.8521/0.1479) = 1.75.
        Expect("CGL1012", 0, "'lstm': ForgetBias = 1 gives an initial memory horizon of -1/ln(sigma(1)) ~ 3.19 steps, under 1/64 of T = 400; chrono initialisation sets the forget bias from the dependency length (Tallec and Ollivier 2018): ForgetBias = 1.75 gives a horizon of T/64 = 6.25 steps"));

    [Fact]
    public Task CGL1012_ThresholdIsSixtyFourHorizons() => VerifyAsync("""
        using CodeGenLstm;
        // -1/ln(sigma(1)) = 3.1922 steps: 64 horizons are 204.3 steps. T = 204 stays silent (as Keras' 200-step
        // recipe), T = 205 is reported.
        [Lstm(inputSize: 8, hiddenSize: 16)]
        [Training(SequenceLength = 204)]
        public partial class JustUnder;

        [{|#0:Lstm(inputSize: 8, hiddenSize: 16)|}]
        [Training(SequenceLength = 205)]
        public partial class JustOver;
        """,
        // 205/64 = 3.203 steps: sigma(b) = e^(-1/3.203) = 0.7318, b = ln(0.7318/0.2682) = 1.004.
        Expect("CGL1012", 0, "'lstm': ForgetBias = 1 gives an initial memory horizon of -1/ln(sigma(1)) ~ 3.19 steps, under 1/64 of T = 205; chrono initialisation sets the forget bias from the dependency length (Tallec and Ollivier 2018): ForgetBias = 1 gives a horizon of T/64 = 3.2 steps"));

    [Fact]
    public Task CGL1013_AdamLearningRateInTraining() => VerifyAsync("""
        using CodeGenLstm;
        [Lstm(inputSize: 8, hiddenSize: 256)]
        [{|#1:Training(Optimizer = Optimizer.Adam, {|#0:LearningRate = 0.1f|})|}]
        public partial class Hot;
        """,
        ExpectUnknownT(1, "Hot", DefaultLstmOnsets),
        // 1/sqrt(256) = 0.0625; 0.1 / 0.0625 = 1.6.
        Expect("CGL1013", 0, "Adam with learning rate 0.1 > 1e-2: an adaptive step moves every weight by up to about the learning rate, 1.6x the scale 1/sqrt(H) = 0.0625 of the initial recurrent weights of 'lstm' (H = 256); Kingma and Ba (2015) and the published recipes use 1e-3 or less"));

    [Fact]
    public Task CGL1013_AdamLearningRateInCode() => VerifyWithGeneratorAsync("""
        using CodeGenLstm;
        [Embedding(vocabularySize: 100, dimension: 8)]
        [Gru(hiddenSize: 256)]
        public partial class Hot;

        public static class Trainer
        {
            public static IOptimizer Create() => new RmsProp(Hot.ParameterCount, {|#0:learningRate: 0.05f|});
            public static IOptimizer Safe() => new Adam(Hot.ParameterCount);
        }
        """,
        Expect("CGL1013", 0, "RmsProp with learning rate 0.05 > 1e-2: an adaptive step moves every weight by up to about the learning rate, 0.8x the scale 1/sqrt(H) = 0.0625 of the initial recurrent weights of 'gru' (H = 256); Kingma and Ba (2015) and the published recipes use 1e-3 or less"));

    [Fact]
    public Task CGL1014_SixPlainLayers() => VerifyAsync("""
        using CodeGenLstm;
        [{|#0:Lstm(inputSize: 8, hiddenSize: 32, layers: 6)|}]
        public partial class Deep;
        """,
        ExpectUnknownT(0, "Deep", DefaultLstmOnsets),
        Expect("CGL1014", 0, "'Deep' stacks 6 recurrent layers, 6 of them without a residual connection (> 4): Wu et al. (2016) found plain stacks train well up to 4 layers, barely at 6 and very poorly beyond 8; set Residual = true on 'lstm'"));

    [Fact]
    public Task CGL1014_CountsLayersAcrossAttributes() => VerifyAsync("""
        using CodeGenLstm;
        [{|#1:Lstm(inputSize: 8, hiddenSize: 32, layers: 2)|}]
        [{|#0:Lstm(hiddenSize: 32, layers: 3, Name = "upper")|}]
        public partial class Deep;
        """,
        ExpectUnknownT(1, "Deep", DefaultLstmOnsets),
        Expect("CGL1014", 0, "'Deep' stacks 5 recurrent layers, 5 of them without a residual connection (> 4): Wu et al. (2016) found plain stacks train well up to 4 layers, barely at 6 and very poorly beyond 8; set Residual = true on 'upper'"));
}
