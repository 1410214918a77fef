using System.Threading.Tasks;
using static CodeGenLstm.Generators.Tests.Analyzers.GradientTest;

namespace CodeGenLstm.Generators.Tests.Analyzers;

/// <summary>
/// Published recipes that train well must produce no diagnostic at all, and rules whose facts are
/// unknown must stay silent. Each recipe is written as closely as this library's attributes allow;
/// the comment says where each number comes from.
/// </summary>
public class NegativeControlTests
{
    [Fact]
    public Task PyTorchWordLanguageModelDefaults() => VerifyAsync("""
        using CodeGenLstm;
        // pytorch/examples word_language_model defaults: emsize 200, nhid 200, 2 LSTM layers, dropout 0.2,
        // bptt 35, plain SGD with lr 20, clip_grad_norm_ 0.25; PyTorch's uniform init (ForgetBias left at
        // this library's default 1).
        [Embedding(vocabularySize: 10000, dimension: 200)]
        [Lstm(hiddenSize: 200, layers: 2, Dropout = 0.2f)]
        [Dense(outputSize: 10000)]
        [Training(SequenceLength = 35, Optimizer = Optimizer.Sgd, LearningRate = 20f, ClipNorm = 0.25f)]
        public partial class WordLanguageModel;
        """);

    [Fact]
    public Task PyTorchDefaultTanhRnnOnShortSequencesWithClipping() => VerifyAsync("""
        using CodeGenLstm;
        // nn.RNN(57, 128) with PyTorch's defaults (tanh, uniform +-1/sqrt(H)) on names of up to 19
        // characters, SGD with norm clipping.
        [Rnn(inputSize: 57, hiddenSize: 128)]
        [Dense(outputSize: 18, Readout = Readout.LastStep)]
        [Training(SequenceLength = 19, Optimizer = Optimizer.Sgd, LearningRate = 0.15f, ClipNorm = 3f)]
        public partial class NameClassifier;
        """);

    [Fact]
    public Task CharRnnAsPublished() => VerifyAsync("""
        using CodeGenLstm;
        // karpathy/char-rnn: 2 x 512 LSTM, seq_length 50, RMSprop lr 2e-3, grad_clip 5 (an element-wise
        // clamp), forget-gate biases 1, every weight uniform +-0.08 (= InitGain 0.08 * sqrt(512) = 1.81).
        [Lstm(inputSize: 65, hiddenSize: 512, layers: 2, Dropout = 0.5f, ForgetBias = 1f, InitGain = 1.81f)]
        [Dense(outputSize: 65)]
        [Training(SequenceLength = 50, Optimizer = Optimizer.RmsProp, LearningRate = 2e-3f, ClipValue = 5f)]
        public partial class CharRnn;
        """);

    [Fact]
    public Task CharRnnWithNormClipping() => VerifyAsync("""
        using CodeGenLstm;
        [Embedding(vocabularySize: 65, dimension: 65)]
        [Lstm(hiddenSize: 512, layers: 2, Dropout = 0.5f, ForgetBias = 1f)]
        [Dense(outputSize: 65)]
        [Training(SequenceLength = 50, Optimizer = Optimizer.RmsProp, LearningRate = 2e-3f, ClipNorm = 5f)]
        public partial class CharRnn;
        """);

    [Fact]
    public Task KerasImdbLstmDefaults() => VerifyAsync("""
        using CodeGenLstm;
        // keras examples imdb_lstm: Embedding(20000, 128), LSTM(128) with Keras' defaults (orthogonal
        // recurrent_initializer, unit_forget_bias), maxlen 80, Adam at its default 1e-3, no clipping.
        [Embedding(vocabularySize: 20000, dimension: 128)]
        [Lstm(hiddenSize: 128, Init = RecurrentInit.Orthogonal)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 80, Optimizer = Optimizer.Adam, LearningRate = 1e-3f)]
        public partial class ImdbLstm;
        """);

    [Fact]
    public Task KerasBidirectionalLstmOnTwoHundredSteps() => VerifyAsync("""
        using CodeGenLstm;
        // keras.io "Bidirectional LSTM on IMDB": maxlen 200, two Bidirectional(LSTM(64)), Adam defaults.
        [Embedding(vocabularySize: 20000, dimension: 128)]
        [Lstm(hiddenSize: 64, layers: 2, bidirectional: true, Init = RecurrentInit.Orthogonal)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 200, Optimizer = Optimizer.Adam)]
        public partial class ImdbBidirectional;
        """);

    [Fact]
    public Task KerasGruDefaults() => VerifyAsync("""
        using CodeGenLstm;
        [Embedding(vocabularySize: 20000, dimension: 128)]
        [Gru(hiddenSize: 128, Init = RecurrentInit.Orthogonal)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 200, Optimizer = Optimizer.Adam, LearningRate = 1e-3f)]
        public partial class ImdbGru;
        """);

    [Fact]
    public Task GnmtStyleDeepResidualStack() => VerifyAsync("""
        using CodeGenLstm;
        // Wu et al. 2016: 8 LSTM layers with residual connections, Adam 2e-4, norm clipping 5.
        [Embedding(vocabularySize: 32000, dimension: 1024)]
        [Lstm(hiddenSize: 1024, layers: 8, Residual = true)]
        [Dense(outputSize: 32000)]
        [Training(SequenceLength = 50, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, ClipNorm = 5f)]
        public partial class Gnmt;
        """);

    [Fact]
    public Task IrnnOnTheAddingProblem() => VerifyAsync("""
        using CodeGenLstm;
        // Le et al. 2015: ReLU RNN, weight_hh = I, adding problem up to 400 steps, with clipping.
        [Rnn(inputSize: 2, hiddenSize: 100, Activation = Activation.Relu, Init = RecurrentInit.Identity)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 400, Optimizer = Optimizer.Sgd, LearningRate = 0.01f, ClipNorm = 10f)]
        public partial class Irnn;
        """);

    [Fact]
    public Task TheLongRangeSampleLstm() => VerifyAsync("""
        using CodeGenLstm;
        [Lstm(inputSize: 2, hiddenSize: 32)]
        [Dense(outputSize: 1, Readout = Readout.LastStep)]
        [Training(SequenceLength = 50, Optimizer = Optimizer.Adam, LearningRate = 1e-2f, ClipNorm = 1f)]
        public partial class AddingLstm;
        """);

    [Fact]
    public Task UnknownFactsKeepTheirRulesSilent() => VerifyAsync("""
        using CodeGenLstm;
        // No [Training]: T, the optimizer and clipping are unknown, so nothing about time, clipping or
        // the learning rate is judged, however bad the layers look. CGL1016 says which rules wait for T
        // (onsets worked by hand below); CGL1015 says what holds without T.
        [{|#0:Rnn(inputSize: 2, hiddenSize: 32, Activation = Activation.Sigmoid)|}]
        public partial class SigmoidRnn;

        [{|#1:Rnn(inputSize: 2, hiddenSize: 32, Activation = Activation.Relu, Init = RecurrentInit.Identity, InitGain = 2f)|}]
        public partial class ExplodingRelu;

        [{|#2:Lstm(inputSize: 2, hiddenSize: 32, ForgetBias = -3f)|}]
        public partial class Forgetful;

        // [Training] without SequenceLength: still no T.
        [Rnn(inputSize: 2, hiddenSize: 32, Init = RecurrentInit.Orthogonal, InitGain = 3f)]
        [{|#3:Training(Optimizer = Optimizer.Adam, ClipNorm = 1f)|}]
        public partial class Chaotic;

        // An unknown optimizer: no learning-rate rule.
        [Lstm(inputSize: 2, hiddenSize: 32)]
        [{|#4:Training(LearningRate = 5f)|}]
        public partial class UnknownOptimizer;
        """,
        // gamma rho = 0.25 / sqrt(3) = 0.1443; ln 0.01 / ln 0.1443 = 2.38, so below 1% within 3 steps.
        Expect("CGL1015", 0, "'rnn': each step back scales the gradient by about gamma * rho(W_hh) ~ 0.144 (sigmoid, Init = Uniform), so the gradient falls below 1% of its size within 3 steps back, fewer than the 20 steps from which a dependency counts as long-range; whatever the sequence length, this layer cannot learn from further back at the start of training (Pascanu et al. 2013); use [Lstm] or [Gru], or Activation.Tanh with Init = RecurrentInit.Orthogonal (the sigmoid's derivative bound 1/4 keeps the factor at or below 1/4 even at rho = 1)"),
        // CGL1003: gamma sigma_max = 0.25 * 2/sqrt(3) = 0.2887; (T - 1) ln 0.2887 < -23 ln 2 from T - 1 = 13 (12.83 < 13).
        ExpectUnknownT(0, "SigmoidRnn", "CGL1003 from T = 14; CGL1002, CGL1004 from T = 20; CGL1001 from T = 50"),
        ExpectUnknownT(1, "ExplodingRelu", "CGL1005 from T = 20"),
        ExpectUnknownT(2, "Forgetful", "CGL1011 from T = 20"),
        ExpectUnknownT(3, "Chaotic", "CGL1002, CGL1007 from T = 20; CGL1001 from T = 50"),
        ExpectUnknownT(4, "UnknownOptimizer", DefaultLstmOnsets));

    [Fact]
    public Task ATrainingStepThatClipsIsNotFlagged() => VerifyWithGeneratorAsync("""
        using CodeGenLstm;
        [Gru(inputSize: 2, hiddenSize: 32)]
        [Training(SequenceLength = 100, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, ClipNorm = 5f)]
        public partial class Clipped;

        public static class Trainer
        {
            public static void Step(Clipped model, Sgd sgd)
            {
                model.Backward(new float[1]);
                Clip.GlobalNorm(model.Gradients, 5f);
                sgd.Step(model.Parameters, model.Gradients);
            }
        }
        """);

    [Fact]
    public Task AStepThroughAnInterfaceOrWithWorkInBetweenIsNotEvidence() => VerifyWithGeneratorAsync("""
        using System;
        using CodeGenLstm;
        [{|#0:Lstm(inputSize: 2, hiddenSize: 32)|}]
        public partial class Model;

        public static class Trainer
        {
            public static void Step(Model model, IOptimizer optimizer, Sgd sgd)
            {
                model.Backward(new float[1]);
                optimizer.Step(model.Parameters, model.Gradients);   // a custom optimizer may clip
                model.Backward(new float[1]);
                Console.WriteLine("between");                          // anything may happen here
                sgd.Step(model.Parameters, model.Gradients);
                var other = new Model();
                model.Backward(new float[1]);
                sgd.Step(other.Parameters, other.Gradients);           // another model's step
            }
        }
        """,
        ExpectUnknownT(0, "Model", DefaultLstmOnsets));

    [Fact]
    public Task ConstantsThatAreFineStaySilent() => VerifyWithGeneratorAsync("""
        using CodeGenLstm;
        [{|#0:Lstm(inputSize: 2, hiddenSize: 32)|}]
        public partial class Model;

        public static class Trainer
        {
            public static void Step(Model model, float threshold)
            {
                Clip.GlobalNorm(model.Gradients, threshold);            // not a constant: unknown
                Clip.Value(model.Gradients, 5f);
                Clip.GlobalNorm(model.Gradients, float.PositiveInfinity);
                var adam = new Adam(Model.ParameterCount, learningRate: 1e-2f);
                var adamW = new AdamW(Model.ParameterCount, learningRate: threshold);
                var sgd = new Sgd(Model.ParameterCount, learningRate: 5f);
            }
        }
        """,
        ExpectUnknownT(0, "Model", DefaultLstmOnsets));
}
