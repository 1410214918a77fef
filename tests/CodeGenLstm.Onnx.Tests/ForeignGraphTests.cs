using System;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace CodeGenLstm.Onnx.Tests;

/// <summary>
/// Import of a graph written as torch.onnx writes one: initializers with other names ("onnx::LSTM_12"), Linear
/// as MatMul with the weight stored transposed, or as Gemm with transB = 0, and no checksum. The graph is our
/// export rewritten that way; the weights must come back exactly.
/// </summary>
public sealed class ForeignGraphTests
{
    [Theory]
    [InlineData("TokenLstmDenseChain")]
    [InlineData("MixedStack")]
    [InlineData("TokenRnnReluBiLastStep")]
    public void RenamedAndTransposedWeightsAreRead(string name)
    {
        ISequenceModel source = ModelGrid.Create(name, seed: 1), target = ModelGrid.Create(name, seed: 2);
        ModelProto model = ModelProto.Parser.ParseFrom(OnnxFile.ToBytes(source));
        model.MetadataProps.Clear();
        GraphProto graph = model.Graph;

        // Dense at each step: Transpose(W) -> MatMul becomes MatMul with a [in, out] initializer.
        foreach (NodeProto transpose in graph.Node.Where(n => n.OpType == "Transpose" && graph.Initializer.Any(i => i.Name == n.Input[0])).ToList())
        {
            TensorProto weight = graph.Initializer.Single(i => i.Name == transpose.Input[0]);
            graph.Initializer.Add(Transposed(weight, transpose.Output[0]));
            graph.Initializer.Remove(weight);
            graph.Node.Remove(transpose);
        }
        // Dense at the last step: Gemm with transB = 1 becomes Gemm with transB = 0 and a [in, out] initializer.
        foreach (NodeProto gemm in graph.Node.Where(n => n.OpType == "Gemm"))
        {
            TensorProto weight = graph.Initializer.Single(i => i.Name == gemm.Input[1]);
            graph.Initializer.Remove(weight);
            graph.Initializer.Add(Transposed(weight, weight.Name));
            gemm.Attribute.Remove(gemm.Attribute.Single(a => a.Name == "transB"));
        }
        // Every initializer renamed.
        int counter = 0;
        foreach (TensorProto initializer in graph.Initializer)
        {
            string old = initializer.Name;
            initializer.Name = $"onnx::Weight_{counter++}";
            foreach (NodeProto node in graph.Node)
                for (int i = 0; i < node.Input.Count; i++)
                    if (node.Input[i] == old) node.Input[i] = initializer.Name;
        }

        OnnxFile.Read(target, model.ToByteArray());

        Assert.True(source.Parameters.SequenceEqual(target.Parameters));
    }

    private static TensorProto Transposed(TensorProto weight, string name)
    {
        int rows = (int)weight.Dims[0], columns = (int)weight.Dims[1];
        float[] data = MemoryMarshal.Cast<byte, float>(weight.RawData.Span).ToArray(), result = new float[data.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                result[j * rows + i] = data[i * columns + j];
        var tensor = new TensorProto { Name = name, DataType = weight.DataType, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(result.AsSpan())) };
        tensor.Dims.Add(columns);
        tensor.Dims.Add(rows);
        return tensor;
    }
}
