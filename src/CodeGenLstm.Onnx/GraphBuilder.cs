using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace CodeGenLstm.Onnx;

/// <summary>Adds nodes, initializers and constants to an ONNX graph, with names unique in the graph.</summary>
internal sealed class GraphBuilder
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new() { Name = "codegenlstm" };

    public string Initializer(string name, long[] dims, float[] data)
    {
        var tensor = new TensorProto { Name = Reserve(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan()));  // little-endian, as ONNX's raw_data
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = Reserve(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A 0-dimensional int64 constant (a scalar index for Gather).</summary>
    public string Int64Scalar(string name, long value)
    {
        var tensor = new TensorProto { Name = Reserve(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.RawData = ByteString.CopyFrom(BitConverter.GetBytes(value));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node whose single output is named after the node; returns that name.</summary>
    public string Node(string op, string name, string[] inputs, params AttributeProto[] attributes) =>
        Node(op, name, inputs, new[] { name }, attributes)[0];

    public string[] Node(string op, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        foreach (string output in outputs) node.Output.Add(output.Length == 0 ? "" : Reserve(output));
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outputs;
    }

    public void Input(string name, TensorProto.Types.DataType type, params string[] dims) =>
        Graph.Input.Add(Value(Reserve(name), type, dims));

    public void Output(string name, TensorProto.Types.DataType type, params string[] dims) =>
        Graph.Output.Add(Value(name, type, dims));

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (string dim in dims)
            shape.Dim.Add(long.TryParse(dim, out long value) ? new TensorShapeProto.Types.Dimension { DimValue = value } : new TensorShapeProto.Types.Dimension { DimParam = dim });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private string Reserve(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"Two values of the graph are named '{name}'.");
        return name;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Strings(string name, params string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        foreach (string value in values) attribute.Strings.Add(ByteString.CopyFromUtf8(value));
        return attribute;
    }
}
