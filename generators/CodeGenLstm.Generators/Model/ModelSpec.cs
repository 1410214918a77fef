namespace CodeGenLstm.Generators.Model;

// The equatable description of one model: everything the emitter needs and nothing from Roslyn
// (no ISymbol, no Compilation, no SyntaxNode, no Location), so that the incremental pipeline can
// cache it across edits. A test walks this graph and fails if a Roslyn object ever gets in.

/// <summary>A class to generate a model into.</summary>
/// <param name="Namespace">The containing namespace, or null for the global namespace.</param>
/// <param name="ContainingTypes">Enclosing types, outermost first, as "partial class Outer" declarations.</param>
/// <param name="ClassName">The model class's name.</param>
/// <param name="Layers">The layers, top to bottom, with their sizes resolved.</param>
/// <param name="HintName">The generated file's name, unique in the compilation (Parsing.HintNames).</param>
internal sealed record ModelSpec(
    string? Namespace,
    ImmutableEquatableArray<ContainingTypeSpec> ContainingTypes,
    string ClassName,
    ImmutableEquatableArray<LayerSpec> Layers,
    string HintName)
{
    /// <summary>True when the first layer is an Embedding: the model takes int token ids.</summary>
    public bool TakesTokens => Layers[0].Kind == LayerKind.Embedding;

    /// <summary>Features per step of the input (1 for token input).</summary>
    public int InputSize => TakesTokens ? 1 : Layers[0].InputSize;

    /// <summary>Features per step (or per sequence, for a LastStep read-out) of the output.</summary>
    public int OutputSize => Layers[Layers.Count - 1].OutputSize;

    /// <summary>True when the model ends in a Dense LastStep read-out.</summary>
    public bool LastStep => Layers[Layers.Count - 1].Readout == ReadoutKind.LastStep;
}

/// <summary>
/// A class whose declaration has a configuration error (CGL0xxx) but whose shape can take a generated
/// part: the generator gives it a placeholder with the model's public surface, every member of which
/// throws, so that the user's code that uses the model compiles and the CGL0 error stands alone.
/// </summary>
/// <param name="Namespace">As <see cref="ModelSpec.Namespace"/>.</param>
/// <param name="ContainingTypes">As <see cref="ModelSpec.ContainingTypes"/>.</param>
/// <param name="ClassName">The model class's name.</param>
/// <param name="TakesTokens">True when the first layer attribute is [Embedding]: Forward takes token ids.</param>
/// <param name="ErrorIds">The ids of the errors found (CGL0xxx), distinct, in source order; empty when
/// only the compiler's own errors (a layer attribute that does not bind) stop the model.</param>
/// <param name="HintName">As <see cref="ModelSpec.HintName"/>: a class gets a model or a placeholder, under one name.</param>
internal sealed record PlaceholderSpec(
    string? Namespace,
    ImmutableEquatableArray<ContainingTypeSpec> ContainingTypes,
    string ClassName,
    bool TakesTokens,
    ImmutableEquatableArray<string> ErrorIds,
    string HintName);

/// <summary>What the generator makes of one attributed class: a model, a placeholder, or (both null) nothing.</summary>
internal sealed record GenerationTarget(ModelSpec? Model, PlaceholderSpec? Placeholder);

/// <summary>An enclosing type that must be reopened as partial around the model.</summary>
internal sealed record ContainingTypeSpec(string Keyword, string Name);

/// <summary>Kinds of layers.</summary>
internal enum LayerKind { Lstm, Gru, Rnn, Embedding, Dense }

/// <summary>Mirrors CodeGenLstm.Activation (the generator cannot reference the runtime).</summary>
internal enum ActivationKind { Tanh, Relu, Sigmoid }

/// <summary>Mirrors CodeGenLstm.RecurrentInit.</summary>
internal enum InitKind { Uniform, XavierUniform, Orthogonal, Identity }

/// <summary>Mirrors CodeGenLstm.Readout.</summary>
internal enum ReadoutKind { EachStep, LastStep }

/// <summary>
/// One declared layer (one attribute), with sizes resolved. <see cref="InputSize"/> is what the layer reads per
/// step (for an Embedding: one token id out of <see cref="VocabularySize"/>); <see cref="Units"/> is what it
/// computes per step and direction: a recurrent layer's hiddenSize, an Embedding's dimension, a Dense layer's
/// outputSize; <see cref="OutputSize"/> is what it writes per step (both directions). Built by
/// <see cref="Recurrent"/>, <see cref="Embedding"/> and <see cref="Dense"/>, which name every argument.
/// </summary>
internal sealed record LayerSpec(
    LayerKind Kind,
    string Name,
    int InputSize,
    int Units,
    int StackedLayers,
    bool Bidirectional,
    ActivationKind Activation,
    InitKind Init,
    float InitGain,
    float ForgetBias,
    float Dropout,
    bool Residual,
    ReadoutKind Readout)
{
    /// <summary>True for Lstm, Gru and Rnn.</summary>
    public bool IsRecurrent => Kind is LayerKind.Lstm or LayerKind.Gru or LayerKind.Rnn;

    /// <summary>Directions of a recurrent layer: 2 when bidirectional.</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Gate blocks of the layer's weights: <see cref="GatesOf"/> its kind.</summary>
    public int Gates => GatesOf(Kind);

    /// <summary>
    /// Gate blocks of a layer kind's weights, as PyTorch lays them out (weight_ih and weight_hh have Gates * H rows):
    /// LSTM 4 (i, f, g, o), GRU 3 (r, z, n), a plain RNN 1, the other layers 1. The parser's size checks, the
    /// analyzers and the cells (Emitting/Cells, which name the gates in this many blocks) all read it here.
    /// </summary>
    public static int GatesOf(LayerKind kind) => kind switch
    {
        LayerKind.Lstm => 4,
        LayerKind.Gru => 3,
        _ => 1,
    };

    /// <summary>Token ids an Embedding accepts.</summary>
    public int VocabularySize => Kind == LayerKind.Embedding ? InputSize : 0;

    /// <summary>Features per step this layer writes.</summary>
    public int OutputSize => IsRecurrent ? Units * Directions : Units;

    /// <summary>An Lstm, Gru or Rnn layer: <paramref name="hiddenSize"/> units per direction, <paramref name="layers"/> stacked.</summary>
    public static LayerSpec Recurrent(LayerKind kind, string name, int inputSize, int hiddenSize, int layers, bool bidirectional,
        ActivationKind activation, InitKind init, float initGain, float forgetBias, float dropout, bool residual) =>
        new(kind, name, inputSize, hiddenSize, layers, bidirectional, activation, init, initGain, forgetBias, dropout, residual, ReadoutKind.EachStep);

    /// <summary>An Embedding layer: token ids below <paramref name="vocabularySize"/> to <paramref name="dimension"/> features.</summary>
    public static LayerSpec Embedding(string name, int vocabularySize, int dimension) =>
        new(LayerKind.Embedding, name, vocabularySize, dimension, 1, false, ActivationKind.Tanh, InitKind.Uniform, 1f, 0f, 0f, false, ReadoutKind.EachStep);

    /// <summary>A Dense layer: <paramref name="inputSize"/> to <paramref name="outputSize"/> features, at every step or the last valid one.</summary>
    public static LayerSpec Dense(string name, int inputSize, int outputSize, ReadoutKind readout) =>
        new(LayerKind.Dense, name, inputSize, outputSize, 1, false, ActivationKind.Tanh, InitKind.Uniform, 1f, 0f, 0f, false, readout);
}
