namespace CodeGenLstm.Generators.Parsing;

/// <summary>
/// The documented maxima of a declaration (docs/api.md, CGL0011 and CGL0016). They are checked before
/// anything is emitted, so that no declaration can make the generator write megabytes of source or
/// stall the IDE. Generated source grows with the number of stages (each stacked layer has its own
/// methods, about 20 KB) and with the number of distinct shapes (each gets kernels specialised on its
/// sizes, about 100 KB), never with the sizes' values: a layer attribute brings at most two shapes (its
/// first layer's input, and its stacked layers'), so the attribute count bounds the kernels and the
/// layer count the stages (the measured bound is in docs/diagnostics/CGL0016.md). The sizes are bounded
/// so that every product the parser and the emitter compute stays far from overflowing.
/// </summary>
internal static class ModelLimits
{
    /// <summary>The most stacked layers one recurrent attribute may declare (its <c>layers</c> argument).</summary>
    public const int MaxStackedLayers = 16;

    /// <summary>The most layers a model may have in all: every stacked layer, every [Embedding] and every [Dense] counts one.</summary>
    public const int MaxModelLayers = 32;

    /// <summary>The most layer attributes ([Embedding], [Lstm], [Gru], [Rnn], [Dense]) a model may have: each brings its own kernels.</summary>
    public const int MaxLayerAttributes = 8;

    /// <summary>
    /// The longest layer Name (tensor-name prefix): it is written into every tensor name and message of its
    /// stages, about 300 times per attribute in a deep model, so its length would multiply the source.
    /// </summary>
    public const int MaxNameLength = 64;

    /// <summary>The largest size: hiddenSize, inputSize, vocabularySize, dimension, outputSize (2^24).</summary>
    public const int MaxSize = 1 << 24;

    /// <summary>
    /// The largest parameter count a model may have: Parameters is one float[] and every offset an int.
    /// </summary>
    public const long MaxParameterCount = int.MaxValue / 2;
}
