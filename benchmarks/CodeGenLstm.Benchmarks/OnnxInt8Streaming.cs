using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// ONNX Runtime's int8 LSTM (com.microsoft DynamicQuantizeLSTM on our int8 W_hh, <see cref="OnnxInt8Peer"/>'s graph with
/// its state as inputs and outputs) streamed one step per run, as <see cref="OnnxStreaming"/> streams the float32 graph:
/// every OrtValue made once over arrays kept for the stream, two (h, c) pairs that swap roles every call, bound in two
/// IOBindings made once, so that a call allocates nothing of ours and copies no state.
/// </summary>
public sealed class OnnxInt8Streaming : IStreamingPeer
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly float[] _x, _xStep, _yStep;
    private readonly float[][] _h, _c;
    private readonly List<OrtValue> _values = new();
    private readonly OrtIoBinding[] _bindings = new OrtIoBinding[2];
    private readonly int _in, _hidden;
    private int _parity;

    /// <param name="model">Ours, after an inference call in InferencePrecision.Int8 (its int8 W_hh is read).</param>
    /// <param name="x">The stream's inputs, [steps, InputSize].</param>
    /// <param name="threads">ONNX Runtime's intra-op threads.</param>
    public OnnxInt8Streaming(IFloatSequenceModel model, float[] x, int threads)
    {
        if (model.StateSize != model.OutputSize || model.CellStateSize != model.StateSize)
            throw new ArgumentException("The streaming peers take one LSTM layer whose output is its state.", nameof(model));
        _x = x;
        _in = model.InputSize;
        _hidden = model.StateSize;
        _session = new InferenceSession(OnnxInt8Peer.StreamingGraphBytes(model), OnnxPeer.Options(threads));

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
            binding.BindInput("h0", h[parity]);
            binding.BindInput("c0", c[parity]);
            binding.BindOutput("output", yValue);
            binding.BindOutput("hN", h[1 - parity]);
            binding.BindOutput("cN", c[1 - parity]);
            _bindings[parity] = binding;
        }
        Outputs = new float[x.Length / _in * _hidden];
    }

    public float[] Outputs { get; }

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
