using System;
using System.Linq;

namespace CodeGenLstm.Tests.Reference;

// The layer descriptions of the double-precision reference. They mirror the layer attributes of
// docs/api.md, but they are plain data: nothing here is shared with the generator.

/// <summary>The recurrent cell of a <see cref="RefRecurrent"/> layer.</summary>
public enum RefCell
{
    /// <summary>PyTorch's nn.LSTM: 4 gates, rows i, f, g, o.</summary>
    Lstm,
    /// <summary>PyTorch's nn.GRU: 3 gates, rows r, z, n.</summary>
    Gru,
    /// <summary>PyTorch's nn.RNN (plus a sigmoid variant): 1 gate.</summary>
    Rnn,
}

/// <summary>One layer (one attribute) of a reference model.</summary>
public abstract record RefLayer;

/// <summary>
/// A recurrent attribute: <paramref name="Layers"/> stacked layers of <paramref name="Cell"/>.
/// <paramref name="InputSize"/> = 0 means "the previous layer's output" (as the attribute's inputSize = 0);
/// a recurrent first layer must give it. <paramref name="Activation"/> is only meaningful for
/// <see cref="RefCell.Rnn"/> (anything but Tanh on another cell is rejected).
/// </summary>
public sealed record RefRecurrent(
    RefCell Cell,
    int InputSize,
    int HiddenSize,
    int Layers = 1,
    bool Bidirectional = false,
    Activation Activation = Activation.Tanh,
    bool Residual = false,
    float Dropout = 0f,
    string Name = "lstm") : RefLayer
{
    /// <summary>4 for LSTM, 3 for GRU, 1 for RNN: the number of H-row blocks in each weight.</summary>
    public int Gates => Cell switch
    {
        RefCell.Lstm => 4,
        RefCell.Gru => 3,
        RefCell.Rnn => 1,
        _ => throw new InvalidOperationException($"Unknown cell {Cell}."),
    };

    /// <summary>1, or 2 when bidirectional.</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Features per step of each stacked layer's output: H * directions.</summary>
    public int OutputWidth => HiddenSize * Directions;
}

/// <summary>PyTorch's nn.Embedding: token id -> row of <c>{Name}.weight</c> [V, D]. Only as the first layer.</summary>
public sealed record RefEmbedding(int VocabularySize, int Dimension, string Name = "embedding") : RefLayer;

/// <summary>
/// PyTorch's nn.Linear, y = W x + b with W [O, in]. <paramref name="InputSize"/> = 0 means "the previous
/// layer's output". <see cref="Readout.LastStep"/> only as the last layer.
/// </summary>
public sealed record RefDense(int InputSize, int OutputSize, Readout Readout = Readout.EachStep, string Name = "dense") : RefLayer;

/// <summary>A named tensor of the flat parameter vector: PyTorch state_dict name, shape, and start offset.</summary>
public sealed record RefTensor(string Name, int[] Shape, int Offset)
{
    /// <summary>The number of elements (product of the shape).</summary>
    public int Length => Shape.Aggregate(1, (a, b) => a * b);

    /// <summary>The shape as PyTorch prints it, e.g. "[20, 3]".</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>
/// One dropout site: the output of stacked layer <paramref name="StackedLayer"/> (never the last one) of the
/// recurrent attribute at <paramref name="LayerIndex"/> (index in the constructor's list), named <paramref name="Name"/>,
/// whose <see cref="RefRecurrent.Dropout"/> is &gt; 0. <paramref name="Width"/> = H * directions.
/// </summary>
public sealed record RefDropoutSite(int Site, int LayerIndex, string Name, int StackedLayer, int Width, float Probability);

/// <summary>
/// The result of <see cref="ReferenceModel.Forward"/>.
/// <para><paramref name="Output"/>: [batch, steps, OutputSize], or [batch, OutputSize] for a LastStep model.</para>
/// <para><paramref name="FinalH"/>: [batch * StateSize], per recurrent attribute [layers * dirs, batch, H], concatenated.</para>
/// <para><paramref name="FinalC"/>: the same for LSTM attributes only [batch * CellStateSize].</para>
/// <para><paramref name="TopHiddenPerStep"/>: [TopDirections, batch, steps, TopHiddenSize], the hidden state h_t of each
/// direction of the last stacked layer of the last recurrent attribute, as computed at step t (after the optional
/// perturbation delta, before residual and output); 0 at padded positions. Empty when the model has no recurrent layer.</para>
/// </summary>
public sealed record RefResult(double[] Output, double[] FinalH, double[] FinalC, double[] TopHiddenPerStep);
