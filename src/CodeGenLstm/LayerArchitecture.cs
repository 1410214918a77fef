namespace CodeGenLstm;

/// <summary>Kinds of declared layers, as <see cref="LayerArchitecture.Type"/> reports them.</summary>
public enum LayerType
{
    /// <summary>A token-embedding table (<see cref="EmbeddingAttribute"/>).</summary>
    Embedding,
    /// <summary>An LSTM layer (<see cref="LstmAttribute"/>).</summary>
    Lstm,
    /// <summary>A GRU layer (<see cref="GruAttribute"/>).</summary>
    Gru,
    /// <summary>A plain recurrent layer (<see cref="RnnAttribute"/>).</summary>
    Rnn,
    /// <summary>A fully connected layer (<see cref="DenseAttribute"/>).</summary>
    Dense,
}

/// <summary>
/// One declared layer (one attribute) as the generator resolved it, so that code that needs the
/// architecture at run time (an exporter, a report) does not parse attributes again.
/// </summary>
/// <param name="Type">The kind of layer.</param>
/// <param name="Name">The tensor-name prefix: "lstm", "dense", or the attribute's Name.</param>
/// <param name="InputSize">Features per step the layer reads (for an Embedding: its vocabulary size).</param>
/// <param name="Size">Hidden units per direction, the embedding dimension, or the Dense output size.</param>
/// <param name="OutputSize">Features per step (or per sequence, for a LastStep read-out) the layer writes.</param>
/// <param name="StackedLayers">Stacked layers of a recurrent layer; 1 for the others.</param>
/// <param name="Bidirectional">Whether a recurrent layer also reads the sequence backwards.</param>
/// <param name="Activation">The nonlinearity of an Rnn layer; <see cref="CodeGenLstm.Activation.Tanh"/> for the others.</param>
/// <param name="Residual">Whether a recurrent layer adds each stacked layer's input to its output where the sizes match.</param>
/// <param name="Readout">How a Dense layer reads its input; <see cref="CodeGenLstm.Readout.EachStep"/> for the others.</param>
/// <param name="Dropout">Dropout between stacked layers in training (no effect on inference).</param>
public sealed record LayerArchitecture(
    LayerType Type,
    string Name,
    int InputSize,
    int Size,
    int OutputSize,
    int StackedLayers,
    bool Bidirectional,
    Activation Activation,
    bool Residual,
    Readout Readout,
    float Dropout)
{
    /// <summary>True for Lstm, Gru and Rnn.</summary>
    public bool IsRecurrent => Type is LayerType.Lstm or LayerType.Gru or LayerType.Rnn;

    /// <summary>2 for a bidirectional recurrent layer, else 1.</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Token ids an Embedding accepts; 0 for the other layers.</summary>
    public int VocabularySize => Type == LayerType.Embedding ? InputSize : 0;

    // The initialisation facts below are what the gradient analyzers (CGL1xxx) read from the declaration;
    // GradientWatch reads them at run time to name the rule that predicts a measured vanishing or explosion.
    // Init-only properties rather than positional parameters, so the record's constructor stays as it was.

    /// <summary>The initialiser of a recurrent layer's weight_hh; <see cref="RecurrentInit.Uniform"/> for the other layers.</summary>
    public RecurrentInit Init { get; init; }

    /// <summary>The gain of <see cref="Init"/> of a recurrent layer; 1 for the other layers.</summary>
    public float InitGain { get; init; } = 1f;

    /// <summary>An Lstm layer's forget-gate bias at initialisation; 0 for the other layers.</summary>
    public float ForgetBias { get; init; }
}
