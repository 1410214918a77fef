using CodeGenLstm.Tests.Reference;

namespace CodeGenLstm.Tests.Numerics;

// The models the numerical tests check, declared as a user declares them. Input 3 and hidden 5 keep
// finite differences cheap, and are deliberately not multiples of any vector width, so that the
// kernels' vector bodies and their scalar tails both run (5 units: no whole vector; 4 * 5 = 20 gate
// rows: one 16-float vector and a tail of 4).

[Lstm(inputSize: 3, hiddenSize: 5, layers: 1)] public partial class Lstm1;
[Lstm(inputSize: 3, hiddenSize: 5, layers: 2)] public partial class Lstm2;
[Lstm(inputSize: 3, hiddenSize: 5, layers: 3)] public partial class Lstm3;
[Lstm(inputSize: 3, hiddenSize: 5, layers: 1, bidirectional: true)] public partial class Lstm1Bi;
[Lstm(inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true)] public partial class Lstm2Bi;
[Lstm(inputSize: 3, hiddenSize: 5, layers: 3, bidirectional: true)] public partial class Lstm3Bi;

[Gru(inputSize: 3, hiddenSize: 5, layers: 1)] public partial class Gru1;
[Gru(inputSize: 3, hiddenSize: 5, layers: 2)] public partial class Gru2;
[Gru(inputSize: 3, hiddenSize: 5, layers: 3)] public partial class Gru3;
[Gru(inputSize: 3, hiddenSize: 5, layers: 1, bidirectional: true)] public partial class Gru1Bi;
[Gru(inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true)] public partial class Gru2Bi;
[Gru(inputSize: 3, hiddenSize: 5, layers: 3, bidirectional: true)] public partial class Gru3Bi;

[Rnn(inputSize: 3, hiddenSize: 5, layers: 1)] public partial class Rnn1;
[Rnn(inputSize: 3, hiddenSize: 5, layers: 2)] public partial class Rnn2;
[Rnn(inputSize: 3, hiddenSize: 5, layers: 3)] public partial class Rnn3;
[Rnn(inputSize: 3, hiddenSize: 5, layers: 1, bidirectional: true)] public partial class Rnn1Bi;
[Rnn(inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true)] public partial class Rnn2Bi;
[Rnn(inputSize: 3, hiddenSize: 5, layers: 3, bidirectional: true)] public partial class Rnn3Bi;

[Rnn(inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true, Activation = Activation.Relu)] public partial class RnnRelu;
[Rnn(inputSize: 3, hiddenSize: 5, layers: 2, Activation = Activation.Sigmoid)] public partial class RnnSigmoid;

// Whole graphs: embedding, stacked bidirectional layers with dropout and residual connections, read-outs.
[Embedding(vocabularySize: 7, dimension: 4)]
[Lstm(hiddenSize: 5, layers: 2, bidirectional: true, Dropout = 0.3f, Residual = true)]
[Dense(outputSize: 3, Readout = Readout.LastStep)]
public partial class TokenLstmLastStep;

[Embedding(vocabularySize: 9, dimension: 3)]
[Gru(hiddenSize: 4, layers: 3, Dropout = 0.5f, Residual = true)]
[Dense(outputSize: 2)]
public partial class TokenGruEachStep;

[Rnn(inputSize: 3, hiddenSize: 4, Name = "first")]
[Dense(outputSize: 6)]
[Lstm(hiddenSize: 3, bidirectional: true)]
[Dense(outputSize: 2, Readout = Readout.LastStep)]
public partial class MixedStack;

// Sizes on and across vector boundaries (16-float vectors: 33 = 2 x 16 + 1, 37, 64; 4-row blocks),
// for the vector-against-scalar tests and spot gradient checks.
[Lstm(inputSize: 33, hiddenSize: 37, layers: 2, bidirectional: true)] public partial class WideLstm;
[Gru(inputSize: 17, hiddenSize: 16, layers: 2)] public partial class WideGru;
[Rnn(inputSize: 8, hiddenSize: 64, Activation = Activation.Relu)][Dense(outputSize: 19)] public partial class WideRnnDense;

/// <summary>Each test model with the reference description of the same network.</summary>
public static class Catalogue
{
    public static ReferenceModel Recurrent(RefCell cell, int layers, bool bidirectional, Activation activation = Activation.Tanh) =>
        new(new RefRecurrent(cell, 3, 5, layers, bidirectional, activation, Name: cell.ToString().ToLowerInvariant()));

    public static (ISequenceModel Model, ReferenceModel Reference) Create(string name, int seed) => name switch
    {
        "Lstm1" => (new Lstm1(seed), Recurrent(RefCell.Lstm, 1, false)),
        "Lstm2" => (new Lstm2(seed), Recurrent(RefCell.Lstm, 2, false)),
        "Lstm3" => (new Lstm3(seed), Recurrent(RefCell.Lstm, 3, false)),
        "Lstm1Bi" => (new Lstm1Bi(seed), Recurrent(RefCell.Lstm, 1, true)),
        "Lstm2Bi" => (new Lstm2Bi(seed), Recurrent(RefCell.Lstm, 2, true)),
        "Lstm3Bi" => (new Lstm3Bi(seed), Recurrent(RefCell.Lstm, 3, true)),
        "Gru1" => (new Gru1(seed), Recurrent(RefCell.Gru, 1, false)),
        "Gru2" => (new Gru2(seed), Recurrent(RefCell.Gru, 2, false)),
        "Gru3" => (new Gru3(seed), Recurrent(RefCell.Gru, 3, false)),
        "Gru1Bi" => (new Gru1Bi(seed), Recurrent(RefCell.Gru, 1, true)),
        "Gru2Bi" => (new Gru2Bi(seed), Recurrent(RefCell.Gru, 2, true)),
        "Gru3Bi" => (new Gru3Bi(seed), Recurrent(RefCell.Gru, 3, true)),
        "Rnn1" => (new Rnn1(seed), Recurrent(RefCell.Rnn, 1, false)),
        "Rnn2" => (new Rnn2(seed), Recurrent(RefCell.Rnn, 2, false)),
        "Rnn3" => (new Rnn3(seed), Recurrent(RefCell.Rnn, 3, false)),
        "Rnn1Bi" => (new Rnn1Bi(seed), Recurrent(RefCell.Rnn, 1, true)),
        "Rnn2Bi" => (new Rnn2Bi(seed), Recurrent(RefCell.Rnn, 2, true)),
        "Rnn3Bi" => (new Rnn3Bi(seed), Recurrent(RefCell.Rnn, 3, true)),
        "RnnRelu" => (new RnnRelu(seed), Recurrent(RefCell.Rnn, 2, true, Activation.Relu)),
        "RnnSigmoid" => (new RnnSigmoid(seed), Recurrent(RefCell.Rnn, 2, false, Activation.Sigmoid)),
        "TokenLstmLastStep" => (new TokenLstmLastStep(seed), new ReferenceModel(
            new RefEmbedding(7, 4),
            new RefRecurrent(RefCell.Lstm, 0, 5, 2, true, Residual: true, Dropout: 0.3f, Name: "lstm"),
            new RefDense(0, 3, Readout.LastStep))),
        "TokenGruEachStep" => (new TokenGruEachStep(seed), new ReferenceModel(
            new RefEmbedding(9, 3),
            new RefRecurrent(RefCell.Gru, 0, 4, 3, false, Residual: true, Dropout: 0.5f, Name: "gru"),
            new RefDense(0, 2))),
        "MixedStack" => (new MixedStack(seed), new ReferenceModel(
            new RefRecurrent(RefCell.Rnn, 3, 4, Name: "first"),
            new RefDense(0, 6),
            new RefRecurrent(RefCell.Lstm, 0, 3, 1, true, Name: "lstm"),
            new RefDense(0, 2, Readout.LastStep, Name: "dense_1"))),
        "WideLstm" => (new WideLstm(seed), new ReferenceModel(new RefRecurrent(RefCell.Lstm, 33, 37, 2, true))),
        "WideGru" => (new WideGru(seed), new ReferenceModel(new RefRecurrent(RefCell.Gru, 17, 16, 2, Name: "gru"))),
        "WideRnnDense" => (new WideRnnDense(seed), new ReferenceModel(
            new RefRecurrent(RefCell.Rnn, 8, 64, Activation: Activation.Relu, Name: "rnn"), new RefDense(0, 19))),
        _ => throw new System.ArgumentException(name),
    };
}

// Sizes big enough for the stages to run on several threads (ParallelTests): H = 192 is three chunks of 64
// units, so that one sequence splits by units; GRU and RNN with Dense read-outs split by sequences; the
// bidirectional GRU puts one direction on each thread.
[Lstm(inputSize: 32, hiddenSize: 192)] public partial class ParallelLstm;
[Gru(inputSize: 24, hiddenSize: 96, bidirectional: true)][Dense(outputSize: 7, Readout = Readout.LastStep)] public partial class ParallelBiGru;
[Rnn(inputSize: 16, hiddenSize: 256, layers: 2)][Dense(outputSize: 100)] public partial class ParallelRnnDense;

// Probes of the vector kernels' tanh and sigmoid (FastActivationTests): with W_ih = 1, W_hh = 0 and a
// different bias per unit, unit j of step t computes the activation of x_t + bias_j.
[Rnn(inputSize: 1, hiddenSize: 64)] public partial class TanhProbe;
[Rnn(inputSize: 1, hiddenSize: 64, Activation = Activation.Sigmoid)] public partial class SigmoidProbe;
