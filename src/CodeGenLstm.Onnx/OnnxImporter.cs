using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace CodeGenLstm.Onnx;

/// <summary>
/// Reads the weights of a model from an ONNX graph whose nodes match its declaration: the LSTM/GRU/RNN nodes in
/// graph order for the stacked recurrent layers, the first Gather of a table for the Embedding, the Gemm or
/// MatMul (+ Add) nodes with weight initializers for the Dense layers. Names do not matter, the nodes do.
/// Everything goes into a scratch copy of Parameters first; the model is written only when all of it matched.
/// </summary>
internal sealed class OnnxImporter
{
    private readonly ISequenceModel _model;
    private readonly GraphProto _graph;
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Offset, int[] Shape)> _slots = new(StringComparer.Ordinal);
    private readonly float[] _scratch;

    private OnnxImporter(ISequenceModel model, GraphProto graph)
    {
        _model = model;
        _graph = graph;
        foreach (TensorProto initializer in graph.Initializer) _constants[initializer.Name] = initializer;
        foreach (NodeProto node in graph.Node)
        {
            foreach (string output in node.Output) _producers[output] = node;
            // torch.onnx sometimes writes a weight as a Constant node rather than an initializer.
            if (node.OpType == "Constant" && node.Output.Count == 1 && node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is TensorProto value)
                _constants[node.Output[0]] = value;
        }
        int offset = 0;
        foreach (NamedTensor tensor in model.ExportParameters())
        {
            _slots[tensor.Name] = (offset, tensor.Shape);
            offset += tensor.Data.Length;
        }
        if (offset != model.ParameterCount) throw new ArgumentException("The model's ExportParameters do not cover its Parameters.", nameof(model));
        _scratch = new float[offset];
    }

    public static void Read(ISequenceModel model, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new InvalidDataException($"Not a readable ONNX model: {e.Message}", e);
        }
        if (proto.Graph is null || proto.Graph.Node.Count == 0) throw new InvalidDataException("The ONNX model has no graph (or a graph without nodes).");

        var importer = new OnnxImporter(model, proto.Graph);
        importer.ReadLayers();
        StringStringEntryProto? checksum = proto.MetadataProps.FirstOrDefault(p => p.Key == WeightChecksum.Key);
        if (checksum is not null && checksum.Value != WeightChecksum.Of(importer._scratch))
            throw new InvalidDataException($"The weights in the file do not match its checksum ({WeightChecksum.Key}): the file is damaged.");
        // Through ImportParameters, not the Parameters span: a model whose span was taken compares its weights on
        // every later call (see WeightChecksum). The tensors are ExportParameters' names and shapes over the scratch.
        model.ImportParameters(importer.ScratchTensors());
    }

    /// <summary>The scratch weights as tensors named and shaped as the model's ExportParameters, in their order.</summary>
    private List<NamedTensor> ScratchTensors()
    {
        var tensors = new List<NamedTensor>(_slots.Count);
        foreach ((string name, (int offset, int[] shape)) in _slots)
        {
            int length = shape.Aggregate(1, (a, b) => a * b);
            tensors.Add(new NamedTensor(name, shape, _scratch.AsSpan(offset, length).ToArray()));
        }
        return tensors;
    }

    private void ReadLayers()
    {
        List<NodeProto> recurrent = _graph.Node.Where(n => n.OpType is "LSTM" or "GRU" or "RNN").ToList();
        List<NodeProto> dense = _graph.Node.Where(IsDense).ToList();
        int nextRecurrent = 0, nextDense = 0;
        foreach (LayerArchitecture layer in _model.Architecture)
        {
            switch (layer.Type)
            {
                case LayerType.Embedding:
                    ReadEmbedding(layer);
                    break;
                case LayerType.Dense:
                    if (nextDense >= dense.Count)
                        throw new InvalidDataException($"Expected a Gemm or MatMul node with a weight initializer for Dense layer '{layer.Name}' [{layer.Size}, {layer.InputSize}]; the graph has only {dense.Count}.");
                    ReadDense(layer, dense[nextDense++]);
                    break;
                default:
                    for (int k = 0; k < layer.StackedLayers; k++)
                    {
                        if (nextRecurrent >= recurrent.Count)
                            throw new InvalidDataException($"Expected a {GateOrder.OpType(layer.Type)} node for '{layer.Name}' stacked layer {k}; the graph has only {recurrent.Count} recurrent nodes.");
                        ReadRecurrent(layer, k, recurrent[nextRecurrent++]);
                    }
                    break;
            }
        }
        if (nextRecurrent < recurrent.Count)
            throw new InvalidDataException($"Node {Describe(recurrent[nextRecurrent])} has no recurrent layer of the declaration to match.");
        if (nextDense < dense.Count)
            throw new InvalidDataException($"Node {Describe(dense[nextDense])} has no Dense layer of the declaration to match.");
    }

    private bool IsDense(NodeProto node) =>
        (node.OpType == "Gemm" && node.Input.Count >= 2 && _constants.ContainsKey(node.Input[1])) ||
        (node.OpType == "MatMul" && node.Input.Count == 2 && TransposedConstant(node.Input[1]) is not null);

    /// <summary>The constant behind a MatMul's B: itself, or (transposed = true) the input of a Transpose of it.</summary>
    private (TensorProto Tensor, bool Transposed)? TransposedConstant(string name)
    {
        if (_constants.TryGetValue(name, out TensorProto? direct)) return (direct, false);
        if (_producers.TryGetValue(name, out NodeProto? node) && node.OpType == "Transpose" && node.Input.Count == 1 &&
            _constants.TryGetValue(node.Input[0], out TensorProto? source))
        {
            AttributeProto? perm = node.Attribute.FirstOrDefault(a => a.Name == "perm");
            if (perm is null || perm.Ints.SequenceEqual(new long[] { 1, 0 })) return (source, true);
        }
        return null;
    }

    private void ReadRecurrent(LayerArchitecture layer, int k, NodeProto node)
    {
        string op = GateOrder.OpType(layer.Type);
        string what = $"'{layer.Name}' stacked layer {k}";
        if (node.OpType != op)
            throw new InvalidDataException($"Node {Describe(node)}: expected {op} for {what}, found {node.OpType}.");
        int h = layer.Size, dirs = layer.Directions, gates = GateOrder.Of(layer.Type).Length, g = gates * h;
        int input = k == 0 ? layer.InputSize : layer.OutputSize;
        long hidden = IntAttribute(node, "hidden_size", -1);
        if (hidden != h) throw new InvalidDataException($"Node {Describe(node)}: expected hidden_size {h} for {what}, found {hidden}.");
        string direction = StringAttribute(node, "direction", "forward");
        string expectedDirection = dirs == 2 ? "bidirectional" : "forward";
        if (direction != expectedDirection) throw new InvalidDataException($"Node {Describe(node)}: expected direction {expectedDirection} for {what}, found {direction}.");
        if (layer.Type == LayerType.Gru && IntAttribute(node, "linear_before_reset", 0) != 1)
            throw new InvalidDataException($"Node {Describe(node)}: expected linear_before_reset 1 (PyTorch's GRU) for {what}, found 0.");
        if (layer.Type == LayerType.Rnn)
        {
            string expected = layer.Activation switch { Activation.Relu => "Relu", Activation.Sigmoid => "Sigmoid", _ => "Tanh" };
            AttributeProto? activations = node.Attribute.FirstOrDefault(a => a.Name == "activations");
            string[] found = activations is null ? Enumerable.Repeat("Tanh", dirs).ToArray() : activations.Strings.Select(s => s.ToStringUtf8()).ToArray();
            if (found.Length != dirs || found.Any(a => !string.Equals(a, expected, StringComparison.OrdinalIgnoreCase)))
                throw new InvalidDataException($"Node {Describe(node)}: expected activations [{string.Join(", ", Enumerable.Repeat(expected, dirs))}] for {what}, found [{string.Join(", ", found)}].");
        }
        foreach (string unsupported in new[] { "clip", "input_forget", "layout" })
            if (IntOrFloatSet(node, unsupported))
                throw new InvalidDataException($"Node {Describe(node)}: attribute {unsupported} has no counterpart in {what}.");
        if (node.Input.Count > 7 && node.Input[7].Length > 0)
            throw new InvalidDataException($"Node {Describe(node)}: peephole weights (input P) have no counterpart in {what}.");

        float[] w = Floats(node, 1, "W", dirs, g, input);
        float[] r = Floats(node, 2, "R", dirs, g, h);
        float[] b = node.Input.Count > 3 && node.Input[3].Length > 0 ? Floats(node, 3, "B", dirs, 2 * g) : new float[dirs * 2 * g];
        int[] order = GateOrder.Of(layer.Type);
        for (int d = 0; d < dirs; d++)
        {
            string suffix = $"_l{k.ToString(CultureInfo.InvariantCulture)}" + (d == 1 ? "_reverse" : "");
            Span<float> wih = Slot($"{layer.Name}.weight_ih{suffix}"), whh = Slot($"{layer.Name}.weight_hh{suffix}");
            Span<float> bih = Slot($"{layer.Name}.bias_ih{suffix}"), bhh = Slot($"{layer.Name}.bias_hh{suffix}");
            for (int gate = 0; gate < gates; gate++)
            {
                int to = order[gate];
                w.AsSpan(d * g * input + gate * h * input, h * input).CopyTo(wih.Slice(to * h * input));
                r.AsSpan(d * g * h + gate * h * h, h * h).CopyTo(whh.Slice(to * h * h));
                b.AsSpan(d * 2 * g + gate * h, h).CopyTo(bih.Slice(to * h));
                b.AsSpan(d * 2 * g + g + gate * h, h).CopyTo(bhh.Slice(to * h));
            }
        }
    }

    private void ReadEmbedding(LayerArchitecture layer)
    {
        NodeProto? gather = _graph.Node.FirstOrDefault(n => n.OpType == "Gather" && n.Input.Count == 2 && _constants.TryGetValue(n.Input[0], out TensorProto? t) && t.Dims.Count == 2);
        if (gather is null)
            throw new InvalidDataException($"Expected a Gather node reading a [{layer.VocabularySize}, {layer.Size}] table for Embedding '{layer.Name}'; the graph has none.");
        Floats(gather, 0, "data", layer.VocabularySize, layer.Size).CopyTo(Slot(layer.Name + ".weight"));
    }

    private void ReadDense(LayerArchitecture layer, NodeProto node)
    {
        int o = layer.Size, f = layer.InputSize;
        float[] weight;  // [o, f], PyTorch's layout
        float[] bias;
        if (node.OpType == "Gemm")
        {
            if (IntAttribute(node, "transA", 0) != 0)
                throw new InvalidDataException($"Node {Describe(node)}: transA = 1 has no counterpart in Dense layer '{layer.Name}'.");
            bool transB = IntAttribute(node, "transB", 0) != 0;
            weight = transB ? Floats(node, 1, "B", o, f) : Transpose(Floats(node, 1, "B", f, o), f, o);
            if (FloatAttribute(node, "alpha", 1f) != 1f || (node.Input.Count > 2 && FloatAttribute(node, "beta", 1f) != 1f))
                throw new InvalidDataException($"Node {Describe(node)}: alpha and beta other than 1 have no counterpart in Dense layer '{layer.Name}'.");
            bias = node.Input.Count > 2 && node.Input[2].Length > 0 ? Floats(node, 2, "C", o) : new float[o];
        }
        else
        {
            (TensorProto tensor, bool transposed) = TransposedConstant(node.Input[1])!.Value;
            weight = transposed ? Values(tensor, node, "B", o, f) : Transpose(Values(tensor, node, "B", f, o), f, o);
            NodeProto? add = _graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Contains(node.Output[0]));
            string? biasName = add?.Input.FirstOrDefault(i => i != node.Output[0] && _constants.ContainsKey(i));
            if (add is null || biasName is null)
                throw new InvalidDataException($"Node {Describe(node)}: expected an Add of a [{o}] bias after it for Dense layer '{layer.Name}', found none.");
            bias = Values(_constants[biasName], add, "bias", o);
        }
        weight.CopyTo(Slot(layer.Name + ".weight"));
        bias.CopyTo(Slot(layer.Name + ".bias"));
    }

    private static float[] Transpose(float[] source, int rows, int columns)
    {
        float[] result = new float[source.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                result[j * rows + i] = source[i * columns + j];
        return result;
    }

    private Span<float> Slot(string name)
    {
        if (!_slots.TryGetValue(name, out (int Offset, int[] Shape) slot))
            throw new ArgumentException($"The model has no weight '{name}', which its Architecture implies.");
        return _scratch.AsSpan(slot.Offset, slot.Shape.Aggregate(1, (a, b) => a * b));
    }

    /// <summary>The float constant at input <paramref name="index"/> of a node, checked against the expected shape.</summary>
    private float[] Floats(NodeProto node, int index, string role, params int[] shape)
    {
        if (node.Input.Count <= index || !_constants.TryGetValue(node.Input[index], out TensorProto? tensor))
            throw new InvalidDataException($"Node {Describe(node)}: input {role} is not an initializer (or Constant), so its weights cannot be read.");
        return Values(tensor, node, role, shape);
    }

    private static float[] Values(TensorProto tensor, NodeProto node, string role, params int[] shape)
    {
        string where = $"Initializer '{tensor.Name}' (input {role} of node {Describe(node)})";
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"{where}: expected float data, found {(TensorProto.Types.DataType)tensor.DataType}.");
        if (!tensor.Dims.SequenceEqual(shape.Select(d => (long)d)))
            throw new InvalidDataException($"{where}: expected shape [{string.Join(", ", shape)}], found [{string.Join(", ", tensor.Dims)}].");
        int count = shape.Aggregate(1, (a, b) => a * b);
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new InvalidDataException($"{where}: its data is in an external file; save the model with the weights inside.");
        if (tensor.RawData.Length > 0)
        {
            if (tensor.RawData.Length != count * sizeof(float))
                throw new InvalidDataException($"{where}: expected {count * sizeof(float)} bytes of raw data, found {tensor.RawData.Length}.");
            float[] values = new float[count];
            tensor.RawData.Span.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }
        if (tensor.FloatData.Count != count)
            throw new InvalidDataException($"{where}: expected {count} values, found {tensor.FloatData.Count}.");
        return tensor.FloatData.ToArray();
    }

    private static long IntAttribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    private static float FloatAttribute(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    private static string StringAttribute(NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.S.ToStringUtf8() : fallback;

    private static bool IntOrFloatSet(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a && (a.I != 0 || a.F != 0f || a.Ints.Count > 0);

    private static string Describe(NodeProto node) => $"'{(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "?")}' ({node.OpType})";
}
