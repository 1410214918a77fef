using System;
using System.Collections.Generic;
using CodeGenLstm.Tests.Reference;

namespace CodeGenLstm.PortabilityCheck;

// The models under check, declared as a user declares them. The sizes put the kernels' loops on and
// across every vector width: 4 floats (Vector128, NEON), 8 (Vector256) and 16 (Vector512), so that both
// the vector bodies and the scalar tails run on each path.

/// <summary>LSTM, one layer; 3 inputs, 5 units, 20 gate rows: no size a multiple of 4 but 20.</summary>
[Lstm(inputSize: 3, hiddenSize: 5)]
public partial class LstmOdd;

/// <summary>LSTM, two stacked layers; every size a multiple of 4 and of 16.</summary>
[Lstm(inputSize: 16, hiddenSize: 16, layers: 2)]
public partial class LstmStacked16;

/// <summary>Bidirectional LSTM, two stacked layers; 12 units: a multiple of 4, not of 8 or 16.</summary>
[Lstm(inputSize: 6, hiddenSize: 12, layers: 2, bidirectional: true)]
public partial class LstmBi;

/// <summary>Bidirectional LSTM across the 16-float boundary: 33 = 2 x 16 + 1 inputs, 37 = 9 x 4 + 1 units.</summary>
[Lstm(inputSize: 33, hiddenSize: 37, bidirectional: true)]
public partial class LstmWideBi;

/// <summary>GRU, two stacked layers; 17 inputs, 20 units (a multiple of 4, not of 8).</summary>
[Gru(inputSize: 17, hiddenSize: 20, layers: 2)]
public partial class GruStacked;

/// <summary>Bidirectional GRU; 5 inputs, 7 units: less than one 8-float vector.</summary>
[Gru(inputSize: 5, hiddenSize: 7, bidirectional: true)]
public partial class GruBi;

/// <summary>ReLU RNN, two stacked bidirectional layers of 32 (a multiple of 16), then a Dense of 19 per step.</summary>
[Rnn(inputSize: 8, hiddenSize: 32, layers: 2, bidirectional: true, Activation = Activation.Relu)]
[Dense(outputSize: 19)]
public partial class RnnReluDense;

/// <summary>Tokens -> Embedding -> bidirectional 2-layer LSTM -> Dense read out at the last valid step.</summary>
[Embedding(vocabularySize: 11, dimension: 6)]
[Lstm(hiddenSize: 10, layers: 2, bidirectional: true)]
[Dense(outputSize: 3, Readout = Readout.LastStep)]
public partial class TokenLstmLastStep;

/// <summary>One model to check: how to make it, its twin in the reference, and the shape of the run.</summary>
internal sealed record CheckCase(string Name, string Description, Func<ISequenceModel> Create, ReferenceModel Reference,
                                 int Batch, int Steps, int[] Lengths);

internal static class Catalogue
{
    /// <summary>Seed of every model's weights; vector and scalar twins are made with the same seed.</summary>
    public const int ModelSeed = 3;

    public static IReadOnlyList<CheckCase> All() =>
    [
        new("LstmOdd", "Lstm(3 -> 5)", () => new LstmOdd(ModelSeed),
            new ReferenceModel(new RefRecurrent(RefCell.Lstm, 3, 5)),
            Batch: 3, Steps: 5, Lengths: [5, 1, 4]),
        new("LstmStacked16", "Lstm(16 -> 16, 2 layers)", () => new LstmStacked16(ModelSeed),
            new ReferenceModel(new RefRecurrent(RefCell.Lstm, 16, 16, Layers: 2)),
            Batch: 3, Steps: 6, Lengths: [6, 3, 1]),
        new("LstmBi", "Lstm(6 -> 12, 2 layers, bidirectional)", () => new LstmBi(ModelSeed),
            new ReferenceModel(new RefRecurrent(RefCell.Lstm, 6, 12, Layers: 2, Bidirectional: true)),
            Batch: 4, Steps: 5, Lengths: [2, 5, 1, 4]),
        new("LstmWideBi", "Lstm(33 -> 37, bidirectional)", () => new LstmWideBi(ModelSeed),
            new ReferenceModel(new RefRecurrent(RefCell.Lstm, 33, 37, Bidirectional: true)),
            Batch: 3, Steps: 4, Lengths: [4, 1, 3]),
        new("GruStacked", "Gru(17 -> 20, 2 layers)", () => new GruStacked(ModelSeed),
            new ReferenceModel(new RefRecurrent(RefCell.Gru, 17, 20, Layers: 2, Name: "gru")),
            Batch: 3, Steps: 5, Lengths: [5, 2, 1]),
        new("GruBi", "Gru(5 -> 7, bidirectional)", () => new GruBi(ModelSeed),
            new ReferenceModel(new RefRecurrent(RefCell.Gru, 5, 7, Bidirectional: true, Name: "gru")),
            Batch: 2, Steps: 6, Lengths: [3, 6]),
        new("RnnReluDense", "Rnn(8 -> 32, relu, 2 layers, bidirectional) -> Dense(19)", () => new RnnReluDense(ModelSeed),
            new ReferenceModel(new RefRecurrent(RefCell.Rnn, 8, 32, Layers: 2, Bidirectional: true, Activation: Activation.Relu, Name: "rnn"),
                             new RefDense(0, 19)),
            Batch: 3, Steps: 5, Lengths: [5, 4, 1]),
        new("TokenLstmLastStep", "Embedding(11, 6) -> Lstm(10, 2 layers, bidirectional) -> Dense(3, LastStep)", () => new TokenLstmLastStep(ModelSeed),
            new ReferenceModel(new RefEmbedding(11, 6),
                             new RefRecurrent(RefCell.Lstm, 0, 10, Layers: 2, Bidirectional: true),
                             new RefDense(0, 3, Readout.LastStep)),
            Batch: 4, Steps: 6, Lengths: [6, 1, 4, 5]),
    ];
}
