using System.Linq;
using System.Text.RegularExpressions;
using CodeGenLstm.Generators.Emitting.Cells;
using CodeGenLstm.Generators.Model;
using CodeGenLstm.Generators.Tests.Infrastructure;

namespace CodeGenLstm.Generators.Tests.Generator;

/// <summary>
/// The cell descriptors (Emitting/Cells) against PyTorch's documentation of nn.LSTM, nn.GRU and nn.RNN, and
/// against what the generator writes from them: the shapes of the tensors under PyTorch's names, the
/// forget-gate slice, the equations in the comments, the buffers kept for backward.
/// </summary>
public class RecurrentCellTests
{
    // PyTorch's documentation: weight_ih_l[k] is (W_ii|W_if|W_ig|W_io) for nn.LSTM, (W_ir|W_iz|W_in) for nn.GRU,
    // and W_ih, one block of hidden_size rows, for nn.RNN.
    [Theory]
    [InlineData("Lstm", "i f g o")]
    [InlineData("Gru", "r z n")]
    [InlineData("Rnn", "h")]
    public void GatesAreInPyTorchsOrder(string kind, string pytorchOrder)
    {
        RecurrentCell cell = RecurrentCell.Of(Kind(kind));
        Assert.Equal(pytorchOrder.Split(' '), cell.GateOrder);
        Assert.Equal(pytorchOrder.Split(' ').Length, cell.Gates);
    }

    // The shapes PyTorch gives weight_ih_l0, weight_hh_l0 and bias_ih_l0 (4, 3 or 1 times hidden_size rows), read
    // from the tensor table of the generated file, which ExportParameters and ImportParameters match names against.
    [Theory]
    [InlineData("Lstm", "lstm", 4)]
    [InlineData("Gru", "gru", 3)]
    [InlineData("Rnn", "rnn", 1)]
    public void TensorsUnderPyTorchNamesHaveOneBlockPerGate(string attribute, string layerName, int pytorchBlocks)
    {
        string source = Generate($"[{attribute}(inputSize: 3, hiddenSize: 5)]");
        Assert.Contains($"new(\"{layerName}.weight_ih_l0\", new[] {{ {pytorchBlocks * 5}, 3 }}", source);
        Assert.Contains($"new(\"{layerName}.weight_hh_l0\", new[] {{ {pytorchBlocks * 5}, 5 }}", source);
        Assert.Contains($"new(\"{layerName}.bias_ih_l0\", new[] {{ {pytorchBlocks * 5} }}", source);
    }

    // nn.LSTM's forget gate is the second block: rows [H, 2H) of bias_ih. The constructor names gate 1 and the
    // ForgetBias; the runtime fills rows forgetGate * H.. of that gate (RecurrentInitializationTests).
    [Fact]
    public void TheForgetBiasFillsTheSecondBlockOfBiasIh()
    {
        string source = Generate("[Lstm(inputSize: 3, hiddenSize: 5, ForgetBias = 2f)]");
        Assert.Contains("Offset_lstm_bias_ih_l0, Offset_lstm_bias_hh_l0, input: 3, hidden: 5, gates: 4,", source);
        Assert.Contains("forgetGate: 1, forgetBias: 2f, rng);", source);
        Assert.Equal(1, RecurrentCell.Of(LayerKind.Lstm).GateIndex("f"));
        Assert.Equal(-1, RecurrentCell.Of(LayerKind.Gru).GateIndex("f"));
    }

    // Each equation line of a cell stands in the generated file twice: above the stage's forward method and
    // above the forward kernel, from the one text.
    [Theory]
    [InlineData("Lstm", "Lstm", "Tanh")]
    [InlineData("Gru", "Gru", "Tanh")]
    [InlineData("Rnn", "Rnn", "Tanh")]
    [InlineData("Rnn", "Rnn", "Relu")]
    public void EquationsStandAboveTheStageAndTheKernel(string attribute, string kind, string activation)
    {
        string source = Generate($"[{attribute}(inputSize: 3, hiddenSize: 5{(Kind(kind) == LayerKind.Rnn ? $", Activation = Activation.{activation}" : "")})]");
        RecurrentCell cell = RecurrentCell.Of(Kind(kind), Activation(activation));
        Assert.NotEmpty(cell.Equations);
        foreach (string line in cell.Equations)
            Assert.Equal(2, Regex.Matches(source, Regex.Escape("///   " + line + "\n")).Count);
    }

    // The update of each cell as PyTorch documents it, so that a wrong equation text cannot pass as the cell's.
    [Theory]
    [InlineData("Lstm", "Tanh", "c_t = f * c_{t-1} + i * g")]
    [InlineData("Lstm", "Tanh", "h_t = o * tanh(c_t)")]
    [InlineData("Gru", "Tanh", "n = tanh(x_n + r * h_n)")]
    [InlineData("Gru", "Tanh", "h_t = (1 - z) * n + z * h_{t-1}")]
    [InlineData("Rnn", "Relu", "h_t = relu(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)")]
    public void EquationsSayWhatPyTorchComputes(string kind, string activation, string expected) =>
        Assert.Contains(RecurrentCell.Of(Kind(kind), Activation(activation)).Equations, line => line.Contains(expected));

    // What forward keeps for backward names fields of the runtime's RecurrentBuffers that the forward recurrence
    // writes and the backward recurrence reads.
    [Theory]
    [InlineData("Lstm", "Lstm", "CPrev TanhC")]
    [InlineData("Gru", "Gru", "HiddenN")]
    [InlineData("Rnn", "Rnn", "")]
    public void BuffersKeptForBackwardAreWrittenForwardAndReadBackward(string attribute, string kind, string fields)
    {
        string source = Generate($"[{attribute}(inputSize: 3, hiddenSize: 5)]");
        string[] kept = RecurrentCell.Of(Kind(kind)).KeptForBackward.Select(k => Regex.Match(k, @"\((\w+)\)$").Groups[1].Value).ToArray();
        Assert.Equal(fields.Split(' ', System.StringSplitOptions.RemoveEmptyEntries), kept);
        string forward = Method(source, "private void ForwardRecurrence0("), backward = Method(source, "private void BackwardRecurrence0(");
        foreach (string field in kept)
        {
            Assert.Equal(typeof(float[]), typeof(global::CodeGenLstm.Generated.RecurrentBuffers).GetField(field)?.FieldType);
            Assert.Contains($"buffers.{field}.AsSpan(row * H", forward);
            Assert.Contains($"buffers.{field}.AsSpan(row * H, H)", backward);
        }
    }

    [Fact]
    public void EveryRecurrentKindHasACellAndNoOtherDoes()
    {
        foreach (LayerKind kind in new[] { LayerKind.Lstm, LayerKind.Gru, LayerKind.Rnn })
            Assert.Equal(kind, RecurrentCell.Of(kind).Kind);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => RecurrentCell.Of(LayerKind.Dense));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => RecurrentCell.Of(LayerKind.Embedding));
    }

    // LayerKind and ActivationKind are internal: the theories name them as text.
    private static LayerKind Kind(string name) => System.Enum.Parse<LayerKind>(name);

    private static ActivationKind Activation(string name) => System.Enum.Parse<ActivationKind>(name);

    private static string Generate(string attributes)
    {
        var (result, output, _) = GeneratorHarness.Run($$"""
            using CodeGenLstm;
            namespace Demo;
            {{attributes}}
            public partial class M;
            """);
        Assert.Empty(GeneratorHarness.CompileErrors(output));
        return GeneratorHarness.Sources(result)["Demo.M.g.cs"];
    }

    /// <summary>The text of one generated method, from its signature to the next member's documentation.</summary>
    private static string Method(string source, string signature)
    {
        int start = source.IndexOf(signature, System.StringComparison.Ordinal);
        Assert.True(start >= 0, signature);
        int end = source.IndexOf("/// <summary>", start, System.StringComparison.Ordinal);
        return source.Substring(start, (end < 0 ? source.Length : end) - start);
    }
}
