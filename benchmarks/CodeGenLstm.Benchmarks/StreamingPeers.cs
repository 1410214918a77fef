using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// One step per call, batch 1, as real-time input arrives: each peer keeps nothing between calls but the (h, c) it
/// is handed, and its output state of one call is the input state of the next. Inputs are [steps, InputSize].
/// </summary>
public interface IStreamingPeer : IDisposable
{
    /// <summary>Starts a stream from zero state.</summary>
    void Reset();

    /// <summary>Runs step <paramref name="t"/> of the stream (steps in order from 0 after <see cref="Reset"/>).</summary>
    void Step(int t);

    /// <summary>The outputs of every step run since the last <see cref="Reset"/>, [steps, H].</summary>
    float[] Outputs { get; }
}

/// <summary>Ours: a Stateful model, Forward with batch 1 and steps 1 per call, spans over one input and one output array.</summary>
public sealed class OursStreaming : IStreamingPeer
{
    private readonly IFloatSequenceModel _model;
    private readonly float[] _x;
    private readonly int _in, _out;

    public OursStreaming(IFloatSequenceModel model, float[] x)
    {
        _model = model;
        _x = x;
        _in = model.InputSize;
        _out = model.OutputSize;
        Outputs = new float[x.Length / _in * _out];
        _model.Stateful = true;
    }

    public float[] Outputs { get; }

    /// <summary>The model streamed (its InferencePrecision is the caller's).</summary>
    public IFloatSequenceModel Model => _model;

    public void Reset() => _model.ResetState();

    public void Step(int t) => _model.Forward(_x.AsSpan(t * _in, _in), 1, 1, Outputs.AsSpan(t * _out, _out));

    /// <summary>(d): the same steps as one sequence in one call, the model not Stateful.</summary>
    public void WholeSequence(float[] output)
    {
        _model.Stateful = false;
        _model.ResetState();
        _model.Forward(_x, 1, _x.Length / _in, output);
        _model.Stateful = true;
    }

    public void Dispose() => _model.Stateful = false;
}

/// <summary>
/// ONNX Runtime: the graph our exporter writes with States (inputs input, {layer}.l0.h0, .c0; outputs output, .hN, .cN),
/// time-major, one step per run. Every OrtValue is created once over arrays pinned for the stream: the step's input
/// (its values copied in before the run), the output, and two (h, c) pairs that swap roles every call, bound in two
/// IOBindings made once, so a call allocates nothing and copies no state: the state the run writes is the next run's input.
/// </summary>
public sealed class OnnxStreaming : IStreamingPeer
{
    private static readonly OnnxExportOptions s_export = new() { TimeMajor = true, States = true };
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly float[] _x, _xStep, _yStep;
    private readonly float[][] _h, _c;
    private readonly List<OrtValue> _values = new();
    private readonly OrtIoBinding[] _bindings = new OrtIoBinding[2];
    private readonly int _in, _hidden;
    private int _parity;

    public OnnxStreaming(IFloatSequenceModel model, float[] x, int threads) : this(Graph(model), model, x, threads)
    {
    }

    /// <summary>A peer on the bytes of <see cref="Graph"/> (the session made from them, as from a file a user loads); <paramref name="model"/> gives the sizes.</summary>
    public OnnxStreaming(byte[] graph, IFloatSequenceModel model, float[] x, int threads)
    {
        if (model.StateSize != model.OutputSize || model.CellStateSize != model.StateSize)
            throw new ArgumentException("The streaming peers take one LSTM layer whose output is its state.", nameof(model));
        _x = x;
        _in = model.InputSize;
        _hidden = model.StateSize;
        SessionOptions options = OnnxPeer.Options(threads);
        _session = new InferenceSession(graph, options);
        string hIn = _session.InputNames.Single(n => n.EndsWith(".h0", StringComparison.Ordinal));
        string cIn = _session.InputNames.Single(n => n.EndsWith(".c0", StringComparison.Ordinal));
        string hOut = _session.OutputNames.Single(n => n.EndsWith(".hN", StringComparison.Ordinal));
        string cOut = _session.OutputNames.Single(n => n.EndsWith(".cN", StringComparison.Ordinal));

        _xStep = new float[_in];
        _yStep = new float[_hidden];
        _h = new[] { new float[_hidden], new float[_hidden] };
        _c = new[] { new float[_hidden], new float[_hidden] };
        OrtValue Value(float[] data, params long[] shape)
        {
            OrtValue value = OrtValue.CreateTensorValueFromMemory(data, shape);
            _values.Add(value);
            return value;
        }
        OrtValue xValue = Value(_xStep, 1, 1, _in), yValue = Value(_yStep, 1, 1, _hidden);
        OrtValue[] h = _h.Select(a => Value(a, 1, 1, _hidden)).ToArray(), c = _c.Select(a => Value(a, 1, 1, _hidden)).ToArray();
        for (int parity = 0; parity < 2; parity++)
        {
            // Binding 0 reads state pair 0 and writes pair 1; binding 1 the other way round.
            OrtIoBinding binding = _session.CreateIoBinding();
            binding.BindInput("input", xValue);
            binding.BindInput(hIn, h[parity]);
            binding.BindInput(cIn, c[parity]);
            binding.BindOutput("output", yValue);
            binding.BindOutput(hOut, h[1 - parity]);
            binding.BindOutput(cOut, c[1 - parity]);
            _bindings[parity] = binding;
        }
        Outputs = new float[x.Length / _in * _hidden];
    }

    public float[] Outputs { get; }

    /// <summary>The graph this peer runs: <paramref name="model"/> exported with its states, time-major.</summary>
    public static byte[] Graph(IFloatSequenceModel model) => OnnxFile.ToBytes(model, s_export);

    public void Reset()
    {
        Array.Clear(_h[0]);
        Array.Clear(_c[0]);
        _parity = 0;
    }

    public void Step(int t)
    {
        Array.Copy(_x, t * _in, _xStep, 0, _in);
        _session.RunWithBinding(_run, _bindings[_parity]);
        _parity ^= 1;
        Array.Copy(_yStep, 0, Outputs, t * _hidden, _hidden);
    }

    public void Dispose()
    {
        foreach (OrtIoBinding binding in _bindings) binding.Dispose();
        foreach (OrtValue value in _values) value.Dispose();
        _run.Dispose();
        _session.Dispose();
    }
}

/// <summary>
/// libtorch: nn.LSTM (batch_first) under no_grad, called once per step with the (h, c) the previous call returned.
/// The per-step input views are made once; the call's own tensors (output, h_n, c_n) are libtorch's to allocate.
/// In float64 it is the oracle the streamed paths are checked against (never timed).
/// </summary>
public sealed class TorchStreaming : IStreamingPeer
{
    private readonly TorchSharp.Modules.LSTM _lstm;
    private readonly Tensor _x;
    private readonly Tensor[] _steps;
    private readonly int _hidden;
    private readonly ScalarType _dtype;
    private Tensor _h, _c;

    public TorchStreaming(IFloatSequenceModel model, float[] x, int threads, ScalarType dtype = ScalarType.Float32)
    {
        torch.set_num_threads(threads);
        _dtype = dtype;
        int input = model.InputSize;
        _hidden = model.StateSize;
        int steps = x.Length / input;
        _lstm = nn.LSTM(input, _hidden, 1, bias: true, batchFirst: true);
        if (dtype != ScalarType.Float32) _lstm.to(dtype);
        var byName = model.ExportParameters().ToDictionary(t => t.Name, t => t);
        using (torch.no_grad())
        {
            // Our names are "lstm.weight_ih_l0", ...; the module's own are "weight_ih_l0", ...
            foreach (var (name, parameter) in _lstm.named_parameters())
            {
                NamedTensor source = byName.Values.Single(t => t.Name.EndsWith("." + name, StringComparison.Ordinal));
                parameter.copy_(torch.tensor(source.Data, source.Shape.Select(d => (long)d).ToArray()).to_type(dtype));
            }
        }
        _x = torch.tensor(x, new long[] { 1, steps, input }).to_type(dtype);
        _steps = Enumerable.Range(0, steps).Select(t => _x.narrow(1, t, 1)).ToArray();
        _h = torch.zeros(1, 1, _hidden, dtype);
        _c = torch.zeros(1, 1, _hidden, dtype);
        Outputs = new float[steps * _hidden];
    }

    public float[] Outputs { get; }

    /// <summary>With <see cref="KeepOutputs"/> false (timing), the outputs are not copied out of libtorch.</summary>
    public bool KeepOutputs { get; set; } = true;

    public void Reset()
    {
        _h.zero_();
        _c.zero_();
    }

    public void Step(int t)
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var (y, h, c) = _lstm.call(_steps[t], (_h, _c));
        if (KeepOutputs)
        {
            float[] values = y.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
            Array.Copy(values, 0, Outputs, t * _hidden, _hidden);
        }
        // The new state outlives the scope; the old one is released.
        h.MoveToOuterDisposeScope();
        c.MoveToOuterDisposeScope();
        _h.Dispose();
        _c.Dispose();
        _h = h;
        _c = c;
    }

    public void Dispose()
    {
        foreach (Tensor step in _steps) step.Dispose();
        _x.Dispose();
        _h.Dispose();
        _c.Dispose();
        _lstm.Dispose();
    }
}

/// <summary>
/// libtorch: nn.LSTMCell in float32 under no_grad, called once per step with (h, c), the way a per-step caller of
/// libtorch writes it without nn.LSTM (its products are aten's, not oneDNN's RNN primitive). The per-step input views
/// are made once; each call's (h, c) tensors are libtorch's to allocate.
/// </summary>
public sealed class TorchCellStreaming : IStreamingPeer
{
    private readonly TorchSharp.Modules.LSTMCell _cell;
    private readonly Tensor _x;
    private readonly Tensor[] _steps;
    private readonly int _hidden;
    private Tensor _h, _c;

    public TorchCellStreaming(IFloatSequenceModel model, float[] x, int threads)
    {
        torch.set_num_threads(threads);
        int input = model.InputSize;
        _hidden = model.StateSize;
        int steps = x.Length / input;
        _cell = nn.LSTMCell(input, _hidden, bias: true);
        var byName = model.ExportParameters().ToDictionary(t => t.Name, t => t);
        using (torch.no_grad())
        {
            // The cell's names are "weight_ih", ...; ours "lstm.weight_ih_l0", ...
            foreach (var (name, parameter) in _cell.named_parameters())
            {
                NamedTensor source = byName.Values.Single(t => t.Name.EndsWith("." + name + "_l0", StringComparison.Ordinal));
                parameter.copy_(torch.tensor(source.Data, source.Shape.Select(d => (long)d).ToArray()));
            }
        }
        _x = torch.tensor(x, new long[] { steps, 1, input });
        _steps = Enumerable.Range(0, steps).Select(t => _x[t]).ToArray();
        _h = torch.zeros(1, _hidden);
        _c = torch.zeros(1, _hidden);
        Outputs = new float[steps * _hidden];
    }

    public float[] Outputs { get; }

    /// <summary>With <see cref="KeepOutputs"/> false (timing), the outputs are not copied out of libtorch.</summary>
    public bool KeepOutputs { get; set; } = true;

    public void Reset()
    {
        _h.zero_();
        _c.zero_();
    }

    public void Step(int t)
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var (h, c) = _cell.call(_steps[t], (_h, _c));
        if (KeepOutputs) Array.Copy(h.data<float>().ToArray(), 0, Outputs, t * _hidden, _hidden);
        h.MoveToOuterDisposeScope();
        c.MoveToOuterDisposeScope();
        _h.Dispose();
        _c.Dispose();
        _h = h;
        _c = c;
    }

    public void Dispose()
    {
        foreach (Tensor step in _steps) step.Dispose();
        _x.Dispose();
        _h.Dispose();
        _c.Dispose();
        _cell.Dispose();
    }
}
