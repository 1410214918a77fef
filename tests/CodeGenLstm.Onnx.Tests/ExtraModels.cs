using CodeGenLstm;

namespace CodeGenLstm.Onnx.Tests;

// Declarations the parity grid does not have: residual connections (Add nodes), the sigmoid RNN (no
// PyTorch twin, but an ONNX activation), dropout (inference ignores it), a Dense at each step below a
// LastStep read-out, and a model without a recurrent layer.

[Lstm(inputSize: 6, hiddenSize: 6, layers: 3, Residual = true)] public partial class ResidualLstm;
[Gru(inputSize: 5, hiddenSize: 4, layers: 3, bidirectional: true, Residual = true)] public partial class ResidualBiGru;
[Rnn(inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true, Activation = Activation.Sigmoid)] public partial class SigmoidRnnBi;

[Embedding(vocabularySize: 11, dimension: 6)]
[Lstm(hiddenSize: 6, layers: 2, Dropout = 0.3f, Residual = true)]
[Dense(outputSize: 4)]
[Dense(outputSize: 3, Readout = Readout.LastStep)]
public partial class TokenLstmDenseChain;

[Embedding(vocabularySize: 9, dimension: 5)]
[Dense(outputSize: 3)]
public partial class EmbeddingDenseOnly;

[Gru(inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true)]
[Dense(outputSize: 3)]
[Dense(outputSize: 2, Readout = Readout.LastStep)]
public partial class BiGruDenseLastStep;

// Declarations that differ from a grid model in one respect, for the import's mismatch errors.
[Lstm(inputSize: 48, hiddenSize: 32, layers: 1)] public partial class LstmL1UniNarrower;
[Gru(inputSize: 48, hiddenSize: 33, layers: 1)] public partial class GruInsteadOfLstmL1Uni;
[Lstm(inputSize: 48, hiddenSize: 33, layers: 2)] public partial class LstmL1UniDeeper;
[Lstm(inputSize: 48, hiddenSize: 33, layers: 1, bidirectional: true)] public partial class LstmL1UniBidirectional;
[Rnn(inputSize: 29, hiddenSize: 48, layers: 1)] public partial class RnnTanhInsteadOfRelu;
[Lstm(inputSize: 1, hiddenSize: 1, layers: 3, bidirectional: true)][Dense(outputSize: 12, Readout = Readout.LastStep)] public partial class FloatLstmBiLastStepNarrowerDense;
