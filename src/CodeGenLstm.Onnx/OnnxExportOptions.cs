namespace CodeGenLstm.Onnx;

/// <summary>What the exported graph takes and gives besides the input and the output.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// Adds the input <c>lengths</c> (int32 [batch]): the valid steps of each sequence, as the
    /// <c>lengths</c> argument of Forward. Without it every sequence has all its steps.
    /// </summary>
    public bool VariableLengths { get; init; }

    /// <summary>
    /// Adds, per stacked recurrent layer, the inputs <c>{layer}.l{k}.h0</c> (and <c>.c0</c> for LSTM) and the
    /// outputs <c>{layer}.l{k}.hN</c> (and <c>.cN</c>), each [directions, batch, hidden], so that a streaming
    /// caller can carry the state from one call to the next. Concatenated in that order they are the
    /// spans of SetInitialState and GetFinalState.
    /// </summary>
    public bool States { get; init; }

    /// <summary>Input [steps, batch, ...] and output [steps, batch, OutputSize] instead of batch first.</summary>
    public bool TimeMajor { get; init; }
}
