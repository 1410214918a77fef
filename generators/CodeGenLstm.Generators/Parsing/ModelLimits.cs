namespace CodeGenLstm.Generators.Parsing;

/// <summary>
/// The documented maxima of a declaration (docs/api.md, CGL0011 and CGL0016). They are checked before
/// anything is emitted, so that no declaration can make the generator write megabytes of source or
/// stall the IDE: generated source grows with the number of layers (each stacked layer is a stage with
/// its own methods), never with the sizes, and the sizes are bounded so that every product the parser
/// and the emitter compute stays far from overflowing.
/// </summary>
internal static class ModelLimits
{
    /// <summary>The most stacked layers one recurrent attribute may declare (its <c>layers</c> argument).</summary>
    public const int MaxStackedLayers = 16;

    /// <summary>The most layers a model may have in all: every stacked layer, every [Embedding] and every [Dense] counts one.</summary>
    public const int MaxModelLayers = 32;

    /// <summary>The largest size: hiddenSize, inputSize, vocabularySize, dimension, outputSize (2^24).</summary>
    public const int MaxSize = 1 << 24;

    /// <summary>
    /// The largest parameter count a model may have: Parameters is one float[] and every offset an int.
    /// </summary>
    public const long MaxParameterCount = int.MaxValue / 2;
}
