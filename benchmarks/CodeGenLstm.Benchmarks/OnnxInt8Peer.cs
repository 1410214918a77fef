using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// ONNX Runtime's int8 LSTM: one com.microsoft DynamicQuantizeLSTM node (then a Squeeze of the direction axis), its
/// graph built here, time-major as <see cref="OnnxPeer"/>, inputs and outputs bound once. R is our own int8 W_hh
/// (<see cref="OurInt8Weights"/>) with our per-row scales, which are its per-column scales in its transposed
/// [directions, H, 4H] layout; W (the input weights) is quantized the same way (symmetric, one scale per gate and
/// unit: max|w| / 127), which ours does not do (our W_ih stays float32). The op quantizes X and h itself at run time
/// (uint8 with a zero point, per tensor). ONNX's gate blocks are i, o, f, c; ours are PyTorch's i, f, g, o.
/// </summary>
public sealed class OnnxInt8Peer : IDisposable
{
    /// <summary>ONNX's blocks i, o, f, c as indices of PyTorch's i, f, g, o.</summary>
    private static readonly int[] s_onnxFromTorch = { 0, 3, 1, 2 };
    private static readonly int[] s_torchOrder = { 0, 1, 2, 3 };

    private readonly Case _case;
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtValue _x, _y;
    private readonly float[] _yData;
    private readonly string[] _inputNames = { "input" }, _outputNames = { "output" };

    /// <param name="c">A one-layer, one-direction LSTM case without read-out.</param>
    /// <param name="model">Ours, after an inference call in InferencePrecision.Int8 (its int8 W_hh is read).</param>
    /// <param name="threads">ONNX Runtime's intra-op threads.</param>
    /// <param name="keepTorchGateOrder">A negative control: the gate blocks left in PyTorch's order, which the check must refuse.</param>
    public OnnxInt8Peer(Case c, IFloatSequenceModel model, int threads, bool keepTorchGateOrder = false)
        : this(c, GraphBytes(c, model, keepTorchGateOrder), threads)
    {
    }

    /// <summary>A peer on a graph <see cref="GraphBytes"/> wrote: the session is made from bytes, as from a file a user loads.</summary>
    public OnnxInt8Peer(Case c, byte[] graph, int threads)
    {
        Supported(c);
        _case = c;
        SessionOptions options = OnnxPeer.Options(threads);
        _session = new InferenceSession(graph, options);
        float[] x = new float[c.Batch * c.Steps * c.Input];
        float[] batchFirst = c.Inputs();
        for (int b = 0; b < c.Batch; b++)
            for (int t = 0; t < c.Steps; t++)
                Array.Copy(batchFirst, (b * c.Steps + t) * c.Input, x, (t * c.Batch + b) * c.Input, c.Input);
        _x = OrtValue.CreateTensorValueFromMemory(x, new long[] { c.Steps, c.Batch, c.Input });
        _yData = new float[c.OutputLength];
        _y = OrtValue.CreateTensorValueFromMemory(_yData, new long[] { c.Steps, c.Batch, c.Hidden });
    }

    /// <summary>The graph this peer runs for <paramref name="c"/> on the int8 W_hh of <paramref name="model"/> (see the constructor).</summary>
    public static byte[] GraphBytes(Case c, IFloatSequenceModel model, bool keepTorchGateOrder = false)
    {
        Supported(c);
        return Graph(c.Input, c.Hidden, model, keepTorchGateOrder ? s_torchOrder : s_onnxFromTorch, states: false).ToByteArray();
    }

    /// <summary>
    /// The same graph with its state as inputs and outputs, for a stream of one step per run (<see cref="OnnxInt8Streaming"/>):
    /// inputs input, h0, c0; outputs output, hN, cN (h and c [1, batch, H]).
    /// </summary>
    public static byte[] StreamingGraphBytes(IFloatSequenceModel model) =>
        Graph(model.InputSize, model.StateSize, model, s_onnxFromTorch, states: true).ToByteArray();

    private static void Supported(Case c)
    {
        if (c.Cell != Cell.Lstm || c.Layers != 1 || c.Bidirectional || c.Classes != 0)
            throw new ArgumentException($"{c}: DynamicQuantizeLSTM is timed on one-layer, one-direction LSTMs without read-out.", nameof(c));
    }

    public void Inference() => _session.Run(_run, _inputNames, new[] { _x }, _outputNames, new[] { _y });

    /// <summary>The output of one inference call, batch-first as ours.</summary>
    public float[] InferenceOutput()
    {
        Inference();
        int h = _case.Hidden;
        float[] result = new float[_yData.Length];
        for (int t = 0; t < _case.Steps; t++)
            for (int b = 0; b < _case.Batch; b++)
                Array.Copy(_yData, (t * _case.Batch + b) * h, result, (b * _case.Steps + t) * h, h);
        return result;
    }

    private static ModelProto Graph(int input, int h, IFloatSequenceModel model, int[] order, bool states)
    {
        int g = 4 * h;
        Dictionary<string, NamedTensor> weights = model.ExportParameters().ToDictionary(t => t.Name, StringComparer.Ordinal);
        float[] wih = weights["lstm.weight_ih_l0"].Data, bih = weights["lstm.bias_ih_l0"].Data, bhh = weights["lstm.bias_hh_l0"].Data;
        OurInt8Weights whh = OurInt8Weights.Of(model, h);
        if (whh.Rows != g) throw new InvalidOperationException($"{model.GetType().Name}: our int8 W_hh has {whh.Rows} rows, expected {g}.");

        // ONNX column j = gate * H + unit is our row order[gate] * H + unit: W[k, j] = W_ih[row, k], R[k, j] = W_hh[row, k].
        sbyte[] w = new sbyte[input * g], r = new sbyte[h * g];
        float[] wScale = new float[g], rScale = new float[g], bias = new float[2 * g];
        sbyte[] row = new sbyte[input];
        for (int gate = 0; gate < 4; gate++)
        {
            for (int unit = 0; unit < h; unit++)
            {
                int j = gate * h + unit, source = order[gate] * h + unit;
                wScale[j] = QuantizeRow(wih.AsSpan(source * input, input), row);
                for (int k = 0; k < input; k++) w[k * g + j] = row[k];
                rScale[j] = whh.Scales[source];
                for (int k = 0; k < h; k++) r[k * g + j] = whh.Weights[source * h + k];
                bias[j] = bih[source];
                bias[g + j] = bhh[source];
            }
        }

        var graph = new GraphProto { Name = "dynamic_quantize_lstm" };
        graph.Initializer.Add(Tensor("W", DataType.Int8, new long[] { 1, input, g }, MemoryMarshal.AsBytes(w.AsSpan())));
        graph.Initializer.Add(Tensor("R", DataType.Int8, new long[] { 1, h, g }, MemoryMarshal.AsBytes(r.AsSpan())));
        graph.Initializer.Add(Tensor("B", DataType.Float, new long[] { 1, 2 * g }, MemoryMarshal.AsBytes(bias.AsSpan())));
        graph.Initializer.Add(Tensor("W_scale", DataType.Float, new long[] { 1, g }, MemoryMarshal.AsBytes(wScale.AsSpan())));
        graph.Initializer.Add(Tensor("W_zero_point", DataType.Int8, new long[] { 1, g }, new byte[g]));  // symmetric: int8 weights need zero points 0
        graph.Initializer.Add(Tensor("R_scale", DataType.Float, new long[] { 1, g }, MemoryMarshal.AsBytes(rScale.AsSpan())));
        graph.Initializer.Add(Tensor("R_zero_point", DataType.Int8, new long[] { 1, g }, new byte[g]));
        graph.Initializer.Add(Tensor("squeeze_axes", DataType.Int64, new long[] { 1 }, BitConverter.GetBytes(1L)));

        // Inputs by position: X, W, R, B, sequence_lens, initial_h, initial_c, P, W_scale, W_zero_point, R_scale, R_zero_point.
        var lstm = new NodeProto { OpType = "DynamicQuantizeLSTM", Domain = "com.microsoft", Name = "lstm" };
        lstm.Input.AddRange(new[] { "input", "W", "R", "B", "", states ? "h0" : "", states ? "c0" : "", "", "W_scale", "W_zero_point", "R_scale", "R_zero_point" });
        lstm.Output.Add("Y");  // [steps, 1, batch, H]
        if (states) lstm.Output.AddRange(new[] { "hN", "cN" });  // [1, batch, H]
        lstm.Attribute.Add(new AttributeProto { Name = "hidden_size", Type = AttributeProto.Types.AttributeType.Int, I = h });
        lstm.Attribute.Add(new AttributeProto { Name = "direction", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("forward") });
        graph.Node.Add(lstm);
        var squeeze = new NodeProto { OpType = "Squeeze", Name = "output" };
        squeeze.Input.AddRange(new[] { "Y", "squeeze_axes" });
        squeeze.Output.Add("output");
        graph.Node.Add(squeeze);
        graph.Input.Add(Value("input", input));
        graph.Output.Add(Value("output", h));
        if (states)
        {
            graph.Input.Add(State("h0", h));
            graph.Input.Add(State("c0", h));
            graph.Output.Add(State("hN", h));
            graph.Output.Add(State("cN", h));
        }

        var onnx = new ModelProto { IrVersion = 8, ProducerName = "CodeGenLstm.Benchmarks", Graph = graph };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        return onnx;
    }

    /// <summary>Symmetric int8 with one scale per row, as ours quantizes W_hh: scale = max|w| / 127, q = round(w / scale), ties to even.</summary>
    private static float QuantizeRow(ReadOnlySpan<float> values, Span<sbyte> q)
    {
        float max = 0f;
        foreach (float v in values) max = MathF.Max(max, MathF.Abs(v));
        float inverse = max > 0f ? 127f / max : 0f;
        for (int k = 0; k < values.Length; k++) q[k] = (sbyte)Math.Clamp(MathF.Round(values[k] * inverse), -127f, 127f);
        return max / 127f;
    }

    private static TensorProto Tensor(string name, DataType type, long[] dims, ReadOnlySpan<byte> data)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };  // little-endian raw_data
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>A float tensor [steps, batch, features] with symbolic steps and batch.</summary>
    private static ValueInfoProto Value(string name, int features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "steps" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } } };
    }

    /// <summary>A float state [1 direction, batch, H] with symbolic batch.</summary>
    private static ValueInfoProto State(string name, int h)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = h });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } } };
    }

    public void Dispose()
    {
        _x.Dispose();
        _y.Dispose();
        _run.Dispose();
        _session.Dispose();
    }
}
