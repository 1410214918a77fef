namespace CodeGenLstm.Onnx;

/// <summary>
/// ONNX's gate blocks as indices into PyTorch's (our layout): LSTM i, o, f, c from i, f, g, o; GRU z, r, h
/// from r, z, n; RNN one block.
/// </summary>
internal static class GateOrder
{
    private static readonly int[] s_lstm = { 0, 3, 1, 2 };
    private static readonly int[] s_gru = { 1, 0, 2 };
    private static readonly int[] s_rnn = { 0 };

    public static int[] Of(LayerType type) => type switch
    {
        LayerType.Lstm => s_lstm,
        LayerType.Gru => s_gru,
        _ => s_rnn,
    };

    public static string OpType(LayerType type) => type switch
    {
        LayerType.Lstm => "LSTM",
        LayerType.Gru => "GRU",
        _ => "RNN",
    };
}
