using System;

namespace CodeGenLstm;

// The layer attributes are read by the source generator at build time; at run time they carry no
// behaviour. Their constructor parameters and properties are the model's declaration language,
// documented in docs/api.md. Layers are read top to bottom in source order.

/// <summary>Base of the recurrent layer attributes (<see cref="LstmAttribute"/>, <see cref="GruAttribute"/>, <see cref="RnnAttribute"/>).</summary>
public abstract class RecurrentLayerAttribute : Attribute
{
    private protected RecurrentLayerAttribute(int hiddenSize, int layers, bool bidirectional, int inputSize)
    {
        HiddenSize = hiddenSize;
        Layers = layers;
        Bidirectional = bidirectional;
        InputSize = inputSize;
    }

    /// <summary>Units per direction of each stacked layer.</summary>
    public int HiddenSize { get; }

    /// <summary>Number of stacked layers (PyTorch's <c>num_layers</c>).</summary>
    public int Layers { get; }

    /// <summary>Whether each stacked layer also reads the sequence backwards; the output per step is then 2 * HiddenSize.</summary>
    public bool Bidirectional { get; }

    /// <summary>Features per step of the input; 0 means "the previous layer's output".</summary>
    public int InputSize { get; }

    /// <summary>Initialiser of <c>weight_hh</c> only.</summary>
    public RecurrentInit Init { get; set; }

    /// <summary>Gain of <see cref="RecurrentInit.Orthogonal"/> and <see cref="RecurrentInit.Identity"/>, scale of the others.</summary>
    public float InitGain { get; set; } = 1f;

    /// <summary>Dropout probability on the outputs of each stacked layer but the last, in training only (as PyTorch).</summary>
    public float Dropout { get; set; }

    /// <summary>Adds each stacked layer's input to its output where the sizes match (GNMT's residual connections).</summary>
    public bool Residual { get; set; }

    /// <summary>Tensor-name prefix; by default <c>lstm</c>, <c>gru</c> or <c>rnn</c>, with <c>_1</c>, <c>_2</c> for later layers of the same kind.</summary>
    public string? Name { get; set; }
}

/// <summary>A long short-term memory layer (Hochreiter and Schmidhuber 1997), PyTorch's <c>nn.LSTM</c>: gates i, f, g, o.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LstmAttribute : RecurrentLayerAttribute
{
    /// <summary>Declares an LSTM layer.</summary>
    public LstmAttribute(int hiddenSize, int layers = 1, bool bidirectional = false, int inputSize = 0)
        : base(hiddenSize, layers, bidirectional, inputSize) { }

    /// <summary>Value written into the forget-gate slice of <c>bias_ih</c> at initialisation (the slice of <c>bias_hh</c> is set to 0).</summary>
    public float ForgetBias { get; set; } = 1f;
}

/// <summary>A gated recurrent unit layer, PyTorch's <c>nn.GRU</c>: gates r, z, n with n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GruAttribute : RecurrentLayerAttribute
{
    /// <summary>Declares a GRU layer.</summary>
    public GruAttribute(int hiddenSize, int layers = 1, bool bidirectional = false, int inputSize = 0)
        : base(hiddenSize, layers, bidirectional, inputSize) { }
}

/// <summary>A plain (Elman) recurrent layer, PyTorch's <c>nn.RNN</c>: h' = act(W_ih x + b_ih + W_hh h + b_hh).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RnnAttribute : RecurrentLayerAttribute
{
    /// <summary>Declares a plain recurrent layer.</summary>
    public RnnAttribute(int hiddenSize, int layers = 1, bool bidirectional = false, int inputSize = 0)
        : base(hiddenSize, layers, bidirectional, inputSize) { }

    /// <summary>The recurrent nonlinearity.</summary>
    public Activation Activation { get; set; }
}

/// <summary>A token-embedding table; only as the first layer. The model then takes int token ids.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EmbeddingAttribute : Attribute
{
    /// <summary>Declares an embedding of <paramref name="vocabularySize"/> tokens into <paramref name="dimension"/> features.</summary>
    public EmbeddingAttribute(int vocabularySize, int dimension)
    {
        VocabularySize = vocabularySize;
        Dimension = dimension;
    }

    /// <summary>Number of distinct token ids, 0 to VocabularySize - 1.</summary>
    public int VocabularySize { get; }

    /// <summary>Features per token.</summary>
    public int Dimension { get; }

    /// <summary>Tensor-name prefix; by default <c>embedding</c>.</summary>
    public string? Name { get; set; }
}

/// <summary>A fully connected (linear) read-out: y = W x + b, per step or from the last valid step.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a linear layer with <paramref name="outputSize"/> outputs.</summary>
    public DenseAttribute(int outputSize) => OutputSize = outputSize;

    /// <summary>Outputs per step (or per sequence with <see cref="Readout.LastStep"/>).</summary>
    public int OutputSize { get; }

    /// <summary>Each step, or once per sequence from the last valid step.</summary>
    public Readout Readout { get; set; }

    /// <summary>Tensor-name prefix; by default <c>dense</c>.</summary>
    public string? Name { get; set; }
}
