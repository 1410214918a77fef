using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// Builds the ONNX model of a grid case in code: one LSTM / GRU / RNN node per stacked layer (with the
/// Transpose and Reshape that feed a bidirectional layer's output to the next), and for the Braun row a
/// Gemm read-out of Y_h. The protobuf bytes are written by hand (field numbers of onnx.proto3) so that no
/// ONNX package is needed. Input X is [T, B, I] and output Y is [T, directions, B, H] (or [B, classes]),
/// ONNX's default layout; the conversion from and to our batch-first layout happens outside the timing.
/// </summary>
public static class OnnxModel
{
    public static byte[] Build(Case c, IReadOnlyList<NamedTensor> weights)
    {
        var tensors = weights.ToDictionary(t => t.Name, t => t);
        string prefix = c.Cell switch { Cell.Lstm => "lstm", Cell.Gru => "gru", _ => "rnn" };
        string op = c.Cell switch { Cell.Lstm => "LSTM", Cell.Gru => "GRU", _ => "RNN" };
        // ONNX's gate order as blocks of PyTorch's: LSTM i, o, f, c from i, f, g, o; GRU z, r, h from r, z, n.
        int[] order = c.Cell switch { Cell.Lstm => new[] { 0, 3, 1, 2 }, Cell.Gru => new[] { 1, 0, 2 }, _ => new[] { 0 } };
        int h = c.Hidden, g = c.Gates * h, dirs = c.Directions;

        var nodes = new List<byte[]>();
        var initializers = new List<byte[]>();
        string x = "X";
        string lastYh = "";
        for (int layer = 0; layer < c.Layers; layer++)
        {
            int input = layer == 0 ? c.Input : dirs * h;
            float[] w = new float[dirs * g * input], r = new float[dirs * g * h], b = new float[dirs * 2 * g];
            for (int d = 0; d < dirs; d++)
            {
                string suffix = $"_l{layer}" + (d == 1 ? "_reverse" : "");
                float[] wih = tensors[$"{prefix}.weight_ih{suffix}"].Data, whh = tensors[$"{prefix}.weight_hh{suffix}"].Data;
                float[] bih = tensors[$"{prefix}.bias_ih{suffix}"].Data, bhh = tensors[$"{prefix}.bias_hh{suffix}"].Data;
                for (int gate = 0; gate < order.Length; gate++)
                {
                    int from = order[gate];
                    Array.Copy(wih, from * h * input, w, d * g * input + gate * h * input, h * input);
                    Array.Copy(whh, from * h * h, r, d * g * h + gate * h * h, h * h);
                    Array.Copy(bih, from * h, b, d * 2 * g + gate * h, h);
                    Array.Copy(bhh, from * h, b, d * 2 * g + g + gate * h, h);
                }
            }
            string W = $"W{layer}", R = $"R{layer}", B = $"B{layer}", Y = $"Y{layer}", Yh = $"Yh{layer}";
            initializers.Add(Tensor(W, new long[] { dirs, g, input }, w));
            initializers.Add(Tensor(R, new long[] { dirs, g, h }, r));
            initializers.Add(Tensor(B, new long[] { dirs, 2 * g }, b));
            var attributes = new List<byte[]>
            {
                IntAttribute("hidden_size", h),
                StringAttribute("direction", dirs == 2 ? "bidirectional" : "forward"),
            };
            if (c.Cell == Cell.Gru) attributes.Add(IntAttribute("linear_before_reset", 1));
            nodes.Add(Node(op, $"{op}_{layer}", new[] { x, W, R, B }, new[] { Y, Yh }, attributes));
            lastYh = Yh;
            x = Y;
            if (layer + 1 < c.Layers)
            {
                // [T, dirs, B, H] -> [T, B, dirs, H] -> [T, B, dirs * H]
                nodes.Add(Node("Transpose", $"Transpose_{layer}", new[] { Y }, new[] { $"T{layer}" },
                    new List<byte[]> { IntsAttribute("perm", new long[] { 0, 2, 1, 3 }) }));
                initializers.Add(Int64Tensor($"Shape{layer}", new long[] { 3 }, new long[] { 0, 0, -1 }));
                nodes.Add(Node("Reshape", $"Reshape_{layer}", new[] { $"T{layer}", $"Shape{layer}" }, new[] { $"X{layer + 1}" }, new List<byte[]>()));
                x = $"X{layer + 1}";
            }
        }

        long[] outputShape;
        string output;
        if (c.Classes > 0)
        {
            // logits = Y_h W^T + b: Y_h [dirs = 1, B, H] reshaped to [B, H].
            initializers.Add(Int64Tensor("HShape", new long[] { 2 }, new long[] { c.Batch, h }));
            nodes.Add(Node("Reshape", "ReshapeYh", new[] { lastYh, "HShape" }, new[] { "Last" }, new List<byte[]>()));
            initializers.Add(Tensor("Wd", new long[] { c.Classes, h }, tensors["dense.weight"].Data));
            initializers.Add(Tensor("Bd", new long[] { c.Classes }, tensors["dense.bias"].Data));
            nodes.Add(Node("Gemm", "Readout", new[] { "Last", "Wd", "Bd" }, new[] { "Logits" }, new List<byte[]> { IntAttribute("transB", 1) }));
            output = "Logits";
            outputShape = new long[] { c.Batch, c.Classes };
        }
        else
        {
            output = x;
            outputShape = new long[] { c.Steps, dirs, c.Batch, h };
        }

        var graph = new Proto();
        foreach (byte[] node in nodes) graph.Bytes(1, node);
        graph.String(2, "codegenlstm_benchmark");
        foreach (byte[] init in initializers) graph.Bytes(5, init);
        graph.Bytes(11, ValueInfo("X", new long[] { c.Steps, c.Batch, c.Input }));
        graph.Bytes(12, ValueInfo(output, outputShape));

        var model = new Proto();
        model.Varint(1, 8);                         // ir_version
        model.String(2, "CodeGenLstm.Benchmarks");  // producer_name
        model.Bytes(7, graph.ToArray());
        var opset = new Proto();
        opset.String(1, "");
        opset.Varint(2, 17);
        model.Bytes(8, opset.ToArray());
        return model.ToArray();
    }

    /// <summary>The output name of the graph <see cref="Build"/> writes.</summary>
    public static string OutputName(Case c) => c.Classes > 0 ? "Logits" : $"Y{c.Layers - 1}";

    /// <summary>[B, T, I] -> [T, B, I].</summary>
    public static float[] TimeMajor(Case c, float[] batchFirst)
    {
        float[] result = new float[batchFirst.Length];
        for (int b = 0; b < c.Batch; b++)
            for (int t = 0; t < c.Steps; t++)
                Array.Copy(batchFirst, (b * c.Steps + t) * c.Input, result, (t * c.Batch + b) * c.Input, c.Input);
        return result;
    }

    /// <summary>ONNX's Y [T, dirs, B, H] -> our [B, T, dirs * H]; the read-out's [B, classes] unchanged.</summary>
    public static float[] ToBatchFirst(Case c, float[] y)
    {
        if (c.Classes > 0) return y;
        int h = c.Hidden, dirs = c.Directions;
        float[] result = new float[y.Length];
        for (int t = 0; t < c.Steps; t++)
            for (int d = 0; d < dirs; d++)
                for (int b = 0; b < c.Batch; b++)
                    Array.Copy(y, ((t * dirs + d) * c.Batch + b) * h, result, (b * c.Steps + t) * dirs * h + d * h, h);
        return result;
    }

    private static byte[] Node(string op, string name, string[] inputs, string[] outputs, List<byte[]> attributes)
    {
        var node = new Proto();
        foreach (string input in inputs) node.String(1, input);
        foreach (string output in outputs) node.String(2, output);
        node.String(3, name);
        node.String(4, op);
        foreach (byte[] attribute in attributes) node.Bytes(5, attribute);
        return node.ToArray();
    }

    private static byte[] IntAttribute(string name, long value)
    {
        var a = new Proto();
        a.String(1, name);
        a.Varint(3, (ulong)value);
        a.Varint(20, 2);  // AttributeType.INT
        return a.ToArray();
    }

    private static byte[] IntsAttribute(string name, long[] values)
    {
        var a = new Proto();
        a.String(1, name);
        foreach (long v in values) a.Varint(8, (ulong)v);
        a.Varint(20, 7);  // AttributeType.INTS
        return a.ToArray();
    }

    private static byte[] StringAttribute(string name, string value)
    {
        var a = new Proto();
        a.String(1, name);
        a.String(4, value);
        a.Varint(20, 3);  // AttributeType.STRING
        return a.ToArray();
    }

    private static byte[] Tensor(string name, long[] dims, float[] data)
    {
        var t = new Proto();
        foreach (long d in dims) t.Varint(1, (ulong)d);
        t.Varint(2, 1);  // DataType.FLOAT
        t.String(8, name);
        byte[] raw = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, raw, 0, raw.Length);  // little-endian, as ONNX's raw_data
        t.Bytes(9, raw);
        return t.ToArray();
    }

    private static byte[] Int64Tensor(string name, long[] dims, long[] data)
    {
        var t = new Proto();
        foreach (long d in dims) t.Varint(1, (ulong)d);
        t.Varint(2, 7);  // DataType.INT64
        t.String(8, name);
        byte[] raw = new byte[data.Length * 8];
        Buffer.BlockCopy(data, 0, raw, 0, raw.Length);
        t.Bytes(9, raw);
        return t.ToArray();
    }

    private static byte[] ValueInfo(string name, long[] dims)
    {
        var shape = new Proto();
        foreach (long d in dims)
        {
            var dim = new Proto();
            dim.Varint(1, (ulong)d);
            shape.Bytes(1, dim.ToArray());
        }
        var tensorType = new Proto();
        tensorType.Varint(1, 1);  // elem_type FLOAT
        tensorType.Bytes(2, shape.ToArray());
        var type = new Proto();
        type.Bytes(1, tensorType.ToArray());
        var info = new Proto();
        info.String(1, name);
        info.Bytes(2, type.ToArray());
        return info.ToArray();
    }

    /// <summary>The protobuf wire format, the part ONNX needs: varints and length-delimited fields.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _stream = new();

        public void Varint(int field, ulong value)
        {
            Raw((ulong)(field << 3));
            Raw(value);
        }

        public void Bytes(int field, byte[] bytes)
        {
            Raw((ulong)(field << 3 | 2));
            Raw((ulong)bytes.Length);
            _stream.Write(bytes);
        }

        public void String(int field, string text) => Bytes(field, Encoding.UTF8.GetBytes(text));

        public byte[] ToArray() => _stream.ToArray();

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _stream.WriteByte((byte)value);
        }
    }
}
