using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Onnx;
using static CodeGenLstm.Onnx.GraphBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace CodeGenLstm.Onnx;

/// <summary>
/// Builds the ONNX graph of a model from its <see cref="ISequenceModel.Architecture"/> and its weights.
/// Inside the graph every activation is time-major, [steps, batch, features], ONNX's recurrent layout;
/// a batch-major input and output are transposed at the edges.
/// </summary>
internal sealed class OnnxExporter
{
    private readonly ISequenceModel _model;
    private readonly OnnxExportOptions _options;
    private readonly Dictionary<string, NamedTensor> _weights;
    private readonly GraphBuilder _g = new();
    private string? _mask;  // [steps, batch, 1] float: 1 at valid steps, 0 at padded ones (VariableLengths only)
    private string? _lengths;

    public OnnxExporter(ISequenceModel model, OnnxExportOptions options)
    {
        _model = model;
        _options = options;
        _weights = model.ExportParameters().ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public ModelProto Build()
    {
        IReadOnlyList<LayerArchitecture> layers = _model.Architecture;
        if (layers.Count == 0) throw new ArgumentException("The model reports no layers in Architecture.", nameof(_model));
        bool tokens = layers[0].Type == LayerType.Embedding;
        string[] inputDims = _options.TimeMajor ? new[] { "steps", "batch" } : new[] { "batch", "steps" };
        string x;
        if (tokens)
        {
            _g.Input("tokens", DataType.Int64, inputDims);
            x = _options.TimeMajor ? "tokens" : _g.Node("Transpose", "tokens_time_major", new[] { "tokens" }, Ints("perm", 1, 0));
        }
        else
        {
            _g.Input("input", DataType.Float, inputDims.Append(layers[0].InputSize.ToString(CultureInfo.InvariantCulture)).ToArray());
            x = _options.TimeMajor ? "input" : _g.Node("Transpose", "input_time_major", new[] { "input" }, Ints("perm", 1, 0, 2));
        }
        if (_options.VariableLengths)
        {
            _g.Input("lengths", DataType.Int32, "batch");
            _lengths = "lengths";
            _mask = BuildMask(x);
        }

        bool belowIsBidirectional = false;
        bool perSequence = false;
        foreach (LayerArchitecture layer in layers)
        {
            switch (layer.Type)
            {
                case LayerType.Embedding:
                    x = Masked(_g.Node("Gather", layer.Name, new[] { Weight(layer.Name + ".weight", out _), x }), layer.Name);
                    belowIsBidirectional = false;
                    break;
                case LayerType.Dense when layer.Readout == Readout.LastStep:
                    x = DenseLastStep(layer, x, belowIsBidirectional);
                    perSequence = true;
                    break;
                case LayerType.Dense:
                    x = DenseEachStep(layer, x);
                    belowIsBidirectional = false;
                    break;
                default:
                    for (int k = 0; k < layer.StackedLayers; k++) x = Recurrent(layer, k, x);
                    belowIsBidirectional = layer.Bidirectional;
                    break;
            }
        }

        string outputSize = _model.OutputSize.ToString(CultureInfo.InvariantCulture);
        if (perSequence)
            _g.Node("Identity", "output", new[] { x });
        else if (_options.TimeMajor)
            _g.Node("Identity", "output", new[] { x });
        else
            _g.Node("Transpose", "output", new[] { x }, Ints("perm", 1, 0, 2));
        _g.Output("output", DataType.Float, perSequence ? new[] { "batch", outputSize } :
            _options.TimeMajor ? new[] { "steps", "batch", outputSize } : new[] { "batch", "steps", outputSize });

        var model = new ModelProto
        {
            IrVersion = 8,  // the IR of opset 17
            ProducerName = "CodeGenLstm.Onnx",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "",
            Graph = _g.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxFile.Opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = WeightChecksum.Key, Value = WeightChecksum.Of(_model.ExportParameters()) });
        return model;
    }

    /// <summary>mask[t, b, 0] = t &lt; lengths[b], as float: Range over steps compared with the lengths.</summary>
    private string BuildMask(string timeMajorInput)
    {
        string shape = _g.Node("Shape", "mask_shape", new[] { timeMajorInput });
        string steps = _g.Node("Gather", "mask_steps", new[] { shape, _g.Int64Scalar("mask_zero", 0) }, Int("axis", 0));
        string range = _g.Node("Range", "mask_range", new[] { "mask_zero", steps, _g.Int64Scalar("mask_one", 1) });
        string column = _g.Node("Unsqueeze", "mask_range_column", new[] { range, _g.Int64s("mask_axis_1", 1) });  // [steps, 1]
        string lengths = _g.Node("Cast", "mask_lengths", new[] { "lengths" }, Int("to", (long)DataType.Int64));
        string valid = _g.Node("Less", "mask_valid", new[] { column, lengths });  // [steps, batch]
        string asFloat = _g.Node("Cast", "mask_float", new[] { valid }, Int("to", (long)DataType.Float));
        return _g.Node("Unsqueeze", "mask", new[] { asFloat, _g.Int64s("mask_axis_2", 2) });  // [steps, batch, 1]
    }

    /// <summary>Padded steps set to zero, as in Forward's activations (only with VariableLengths).</summary>
    private string Masked(string x, string name) => _mask is null ? x : _g.Node("Mul", name + ".masked", new[] { x, _mask });

    private string Recurrent(LayerArchitecture layer, int k, string x)
    {
        int h = layer.Size, dirs = layer.Directions, gates = GateOrder.Of(layer.Type).Length, g = gates * h;
        int input = k == 0 ? layer.InputSize : layer.OutputSize;
        string prefix = $"{layer.Name}.l{k.ToString(CultureInfo.InvariantCulture)}";
        float[] w = new float[dirs * g * input], r = new float[dirs * g * h], b = new float[dirs * 2 * g];
        for (int d = 0; d < dirs; d++)
        {
            string suffix = $"_l{k.ToString(CultureInfo.InvariantCulture)}" + (d == 1 ? "_reverse" : "");
            float[] wih = Tensor($"{layer.Name}.weight_ih{suffix}", g, input), whh = Tensor($"{layer.Name}.weight_hh{suffix}", g, h);
            float[] bih = Tensor($"{layer.Name}.bias_ih{suffix}", g), bhh = Tensor($"{layer.Name}.bias_hh{suffix}", g);
            int[] order = GateOrder.Of(layer.Type);
            for (int gate = 0; gate < gates; gate++)
            {
                int from = order[gate];
                Array.Copy(wih, from * h * input, w, d * g * input + gate * h * input, h * input);
                Array.Copy(whh, from * h * h, r, d * g * h + gate * h * h, h * h);
                Array.Copy(bih, from * h, b, d * 2 * g + gate * h, h);
                Array.Copy(bhh, from * h, b, d * 2 * g + g + gate * h, h);
            }
        }
        var inputs = new List<string>
        {
            x,
            _g.Initializer(prefix + ".W", new long[] { dirs, g, input }, w),
            _g.Initializer(prefix + ".R", new long[] { dirs, g, h }, r),
            _g.Initializer(prefix + ".B", new long[] { dirs, 2 * g }, b),
            _lengths ?? "",
        };
        var outputs = new List<string> { prefix + ".Y" };
        string hidden = h.ToString(CultureInfo.InvariantCulture), directions = dirs.ToString(CultureInfo.InvariantCulture);
        if (_options.States)
        {
            _g.Input(prefix + ".h0", DataType.Float, directions, "batch", hidden);
            inputs.Add(prefix + ".h0");
            outputs.Add(prefix + ".hN");
            _g.Output(prefix + ".hN", DataType.Float, directions, "batch", hidden);
            if (layer.Type == LayerType.Lstm)
            {
                _g.Input(prefix + ".c0", DataType.Float, directions, "batch", hidden);
                inputs.Add(prefix + ".c0");
                outputs.Add(prefix + ".cN");
                _g.Output(prefix + ".cN", DataType.Float, directions, "batch", hidden);
            }
        }
        while (inputs[inputs.Count - 1].Length == 0) inputs.RemoveAt(inputs.Count - 1);  // trailing optional inputs left out

        var attributes = new List<AttributeProto>
        {
            Int("hidden_size", h),
            String("direction", dirs == 2 ? "bidirectional" : "forward"),
        };
        if (layer.Type == LayerType.Gru) attributes.Add(Int("linear_before_reset", 1));  // PyTorch's GRU: r scales (W_hn h + b_hn)
        if (layer.Type == LayerType.Rnn)
        {
            string activation = layer.Activation switch { Activation.Relu => "Relu", Activation.Sigmoid => "Sigmoid", _ => "Tanh" };
            attributes.Add(Strings("activations", Enumerable.Repeat(activation, dirs).ToArray()));
        }
        string y = _g.Node(GateOrder.OpType(layer.Type), prefix, inputs.ToArray(), outputs.ToArray(), attributes.ToArray())[0];

        // Y [steps, dirs, batch, H] -> [steps, batch, dirs * H]: the forward and reverse halves side by side per step.
        string merged = dirs == 1
            ? _g.Node("Squeeze", prefix + ".output", new[] { y, _g.Int64s(prefix + ".squeeze_axes", 1) })
            : _g.Node("Reshape", prefix + ".output", new[]
            {
                _g.Node("Transpose", prefix + ".Y_batch_inner", new[] { y }, Ints("perm", 0, 2, 1, 3)),
                _g.Int64s(prefix + ".output_shape", 0, 0, -1),
            });
        // Residual connection where the stacked layer's input and output widths match (as the generator does).
        if (layer.Residual && input == layer.OutputSize)
            merged = _g.Node("Add", prefix + ".residual", new[] { merged, x });
        return Masked(merged, prefix);
    }

    private string DenseEachStep(LayerArchitecture layer, string x)
    {
        string weight = Weight(layer.Name + ".weight", out _), bias = Weight(layer.Name + ".bias", out _);
        string transposed = _g.Node("Transpose", layer.Name + ".weight_t", new[] { weight }, Ints("perm", 1, 0));
        string product = _g.Node("MatMul", layer.Name + ".matmul", new[] { x, transposed });
        return Masked(_g.Node("Add", layer.Name, new[] { product, bias }), layer.Name);
    }

    /// <summary>
    /// y[b] = W z[b] + bias, z[b] the input at sequence b's last valid step; above a bidirectional layer, the
    /// reverse half of z comes from step 0, where that direction ends (PyTorch's h_n), as the generated Forward.
    /// </summary>
    private string DenseLastStep(LayerArchitecture layer, string x, bool belowIsBidirectional)
    {
        string p = layer.Name;
        string last;
        if (_lengths is null)
            last = _g.Node("Gather", p + ".last_step", new[] { x, _g.Int64Scalar(p + ".last_index", -1) }, Int("axis", 0));
        else
        {
            string batchMajor = _g.Node("Transpose", p + ".input_batch_major", new[] { x }, Ints("perm", 1, 0, 2));
            string lengths = _g.Node("Cast", p + ".lengths_int64", new[] { _lengths }, Int("to", (long)DataType.Int64));
            string index = _g.Node("Sub", p + ".last_index", new[] { lengths, _g.Int64s(p + ".one", 1) });
            string indices = _g.Node("Unsqueeze", p + ".last_indices", new[] { index, _g.Int64s(p + ".axis_1", 1) });  // [batch, 1]
            last = _g.Node("GatherND", p + ".last_step", new[] { batchMajor, indices }, Int("batch_dims", 1));
        }
        if (belowIsBidirectional)
        {
            long half = layer.InputSize / 2;
            string first = _g.Node("Gather", p + ".first_step", new[] { x, _g.Int64Scalar(p + ".first_index", 0) }, Int("axis", 0));
            string axes = _g.Int64s(p + ".feature_axis", 1);
            string forward = _g.Node("Slice", p + ".forward_half", new[] { last, _g.Int64s(p + ".forward_begin", 0), _g.Int64s(p + ".forward_end", half), axes });
            string reverse = _g.Node("Slice", p + ".reverse_half", new[] { first, _g.Int64s(p + ".reverse_begin", half), _g.Int64s(p + ".reverse_end", 2 * half), axes });
            last = _g.Node("Concat", p + ".last_state", new[] { forward, reverse }, Int("axis", 1));
        }
        return _g.Node("Gemm", p, new[] { last, Weight(p + ".weight", out _), Weight(p + ".bias", out _) }, Int("transB", 1));
    }

    /// <summary>A weight as an initializer under its PyTorch name and shape.</summary>
    private string Weight(string name, out NamedTensor tensor)
    {
        tensor = Find(name);
        return _g.Initializer(name, tensor.Shape.Select(d => (long)d).ToArray(), tensor.Data);
    }

    private float[] Tensor(string name, params int[] shape)
    {
        NamedTensor tensor = Find(name);
        if (!tensor.Shape.SequenceEqual(shape))
            throw new ArgumentException($"Weight '{name}' has shape [{string.Join(", ", tensor.Shape)}]; the architecture gives [{string.Join(", ", shape)}].");
        return tensor.Data;
    }

    private NamedTensor Find(string name) => _weights.TryGetValue(name, out NamedTensor? tensor)
        ? tensor
        : throw new ArgumentException($"The model has no weight '{name}', which its Architecture implies.");
}
