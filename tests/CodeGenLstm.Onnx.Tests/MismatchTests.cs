using System;
using System.IO;
using System.Linq;
using CodeGenLstm.TorchParity.Tests.Declarations;

namespace CodeGenLstm.Onnx.Tests;

/// <summary>A file whose graph does not match the declaration: InvalidDataException naming the node, model unchanged.</summary>
public sealed class MismatchTests
{
    [Theory]
    [InlineData(typeof(LstmL1UniNarrower), "'lstm.l0' (LSTM): expected hidden_size 32 for 'lstm' stacked layer 0, found 33.")]
    [InlineData(typeof(GruInsteadOfLstmL1Uni), "'lstm.l0' (LSTM): expected GRU for 'gru' stacked layer 0, found LSTM.")]
    [InlineData(typeof(LstmL1UniDeeper), "Expected a LSTM node for 'lstm' stacked layer 1; the graph has only 1 recurrent nodes.")]
    [InlineData(typeof(LstmL1UniBidirectional), "'lstm.l0' (LSTM): expected direction bidirectional for 'lstm' stacked layer 0, found forward.")]
    public void LstmL1UniFileIsRejectedByOtherDeclarations(Type declaration, string message) =>
        AssertRejected(typeof(LstmL1Uni), declaration, message);

    [Fact]
    public void RnnActivationMustMatch() =>
        AssertRejected(typeof(RnnReluL1Uni), typeof(RnnTanhInsteadOfRelu), "'rnn.l0' (RNN): expected activations [Tanh] for 'rnn' stacked layer 0, found [Relu].");

    [Fact]
    public void DenseShapeMustMatch() =>
        AssertRejected(typeof(FloatLstmBiLastStep), typeof(FloatLstmBiLastStepNarrowerDense), "Initializer 'dense.weight' (input B of node 'dense' (Gemm)): expected shape [12, 2], found [13, 2].");

    private static void AssertRejected(Type exported, Type declared, string message)
    {
        byte[] onnx = OnnxFile.ToBytes((ISequenceModel)Activator.CreateInstance(exported, 1)!);
        var target = (ISequenceModel)Activator.CreateInstance(declared, 2)!;
        float[] before = target.Parameters.ToArray();
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => OnnxFile.Read(target, onnx));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(before.AsSpan().SequenceEqual(target.Parameters));
    }
}
