namespace CodeGenLstm.TorchParity.Tests.Declarations;

// The models checked against PyTorch, declared as a user declares them. Their sizes are the output of
// SeededDraw.Declarations() (seed SeededDraw.Seed), pasted here once; CatalogueTests checks that these
// declarations are still exactly that draw and that they cover the space of issue 3.

// Recurrent layers alone: every cell kind x layers 1-3 x one or two directions.
[Lstm(inputSize: 48, hiddenSize: 33, layers: 1)] public partial class LstmL1Uni;
[Lstm(inputSize: 7, hiddenSize: 7, layers: 1, bidirectional: true)] public partial class LstmL1Bi;
[Lstm(inputSize: 61, hiddenSize: 1, layers: 2)] public partial class LstmL2Uni;
[Lstm(inputSize: 61, hiddenSize: 56, layers: 2, bidirectional: true)] public partial class LstmL2Bi;
[Lstm(inputSize: 33, hiddenSize: 64, layers: 3)] public partial class LstmL3Uni;
[Lstm(inputSize: 1, hiddenSize: 4, layers: 3, bidirectional: true)] public partial class LstmL3Bi;

[Gru(inputSize: 33, hiddenSize: 35, layers: 1)] public partial class GruL1Uni;
[Gru(inputSize: 3, hiddenSize: 7, layers: 1, bidirectional: true)] public partial class GruL1Bi;
[Gru(inputSize: 16, hiddenSize: 11, layers: 2)] public partial class GruL2Uni;
[Gru(inputSize: 7, hiddenSize: 1, layers: 2, bidirectional: true)] public partial class GruL2Bi;
[Gru(inputSize: 1, hiddenSize: 33, layers: 3)] public partial class GruL3Uni;
[Gru(inputSize: 15, hiddenSize: 48, layers: 3, bidirectional: true)] public partial class GruL3Bi;

[Rnn(inputSize: 61, hiddenSize: 16, layers: 1)] public partial class RnnTanhL1Uni;
[Rnn(inputSize: 32, hiddenSize: 7, layers: 1, bidirectional: true)] public partial class RnnTanhL1Bi;
[Rnn(inputSize: 8, hiddenSize: 33, layers: 2)] public partial class RnnTanhL2Uni;
[Rnn(inputSize: 7, hiddenSize: 14, layers: 2, bidirectional: true)] public partial class RnnTanhL2Bi;
[Rnn(inputSize: 33, hiddenSize: 32, layers: 3)] public partial class RnnTanhL3Uni;
[Rnn(inputSize: 1, hiddenSize: 1, layers: 3, bidirectional: true)] public partial class RnnTanhL3Bi;

[Rnn(inputSize: 29, hiddenSize: 48, layers: 1, Activation = Activation.Relu)] public partial class RnnReluL1Uni;
[Rnn(inputSize: 1, hiddenSize: 48, layers: 1, bidirectional: true, Activation = Activation.Relu)] public partial class RnnReluL1Bi;
[Rnn(inputSize: 48, hiddenSize: 7, layers: 2, Activation = Activation.Relu)] public partial class RnnReluL2Uni;
[Rnn(inputSize: 33, hiddenSize: 1, layers: 2, bidirectional: true, Activation = Activation.Relu)] public partial class RnnReluL2Bi;
[Rnn(inputSize: 7, hiddenSize: 32, layers: 3, Activation = Activation.Relu)] public partial class RnnReluL3Uni;
[Rnn(inputSize: 25, hiddenSize: 33, layers: 3, bidirectional: true, Activation = Activation.Relu)] public partial class RnnReluL3Bi;

// Whole models: Embedding -> recurrent -> Dense read out at each step or at the last step (PyTorch's h_n).
[Embedding(vocabularySize: 2, dimension: 33)]
[Lstm(hiddenSize: 33, layers: 2)]
[Dense(outputSize: 14)]
public partial class TokenLstmEachStep;

[Embedding(vocabularySize: 50, dimension: 33)]
[Lstm(hiddenSize: 64, layers: 2, bidirectional: true)]
[Dense(outputSize: 7, Readout = Readout.LastStep)]
public partial class TokenLstmBiLastStep;

[Embedding(vocabularySize: 27, dimension: 4)]
[Gru(hiddenSize: 7, layers: 1, bidirectional: true)]
[Dense(outputSize: 10)]
public partial class TokenGruBiEachStep;

[Embedding(vocabularySize: 38, dimension: 33)]
[Gru(hiddenSize: 64, layers: 3)]
[Dense(outputSize: 1, Readout = Readout.LastStep)]
public partial class TokenGruLastStep;

[Embedding(vocabularySize: 36, dimension: 1)]
[Rnn(hiddenSize: 1, layers: 2, bidirectional: true, Activation = Activation.Relu)]
[Dense(outputSize: 16, Readout = Readout.LastStep)]
public partial class TokenRnnReluBiLastStep;

[Embedding(vocabularySize: 2, dimension: 48)]
[Rnn(hiddenSize: 64, layers: 1)]
[Dense(outputSize: 19)]
public partial class TokenRnnTanhEachStep;

[Lstm(inputSize: 1, hiddenSize: 1, layers: 3, bidirectional: true)]
[Dense(outputSize: 13, Readout = Readout.LastStep)]
public partial class FloatLstmBiLastStep;

[Gru(inputSize: 7, hiddenSize: 1, layers: 2)]
[Dense(outputSize: 5)]
public partial class FloatGruEachStep;

[Rnn(inputSize: 7, hiddenSize: 1, layers: 1, Activation = Activation.Relu, Name = "encoder")]
[Dense(outputSize: 3)]
[Gru(hiddenSize: 64, layers: 2, bidirectional: true)]
[Dense(outputSize: 15, Readout = Readout.LastStep)]
public partial class MixedStack;

// Not drawn: dropout between stacked layers acts in training only, so in inference this model must
// equal nn.LSTM(dropout=0.25) in eval mode; in training the masks are random on both sides.
[Lstm(inputSize: 7, hiddenSize: 33, layers: 3, bidirectional: true, Dropout = 0.25f)] public partial class LstmWithDropout;
