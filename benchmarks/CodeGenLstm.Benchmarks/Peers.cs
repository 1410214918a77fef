using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace CodeGenLstm.Benchmarks;

/// <summary>Our generated model on one case: inputs, outputs and gradients allocated once.</summary>
public sealed class Ours
{
    public Ours(Case c) : this(c, c.Create())
    {
    }

    /// <summary>Ours on a model of the case built by the caller (the first-call modes time building it alone).</summary>
    public Ours(Case c, IFloatSequenceModel model)
    {
        Case = c;
        Model = model;
        X = c.Inputs();
        Y = new float[c.OutputLength];
        Dy = c.OutputGradient();
        Dx = new float[X.Length];
        // A model whose Parameters span was taken compares its weights with its packed copies on every call (as in
        // training, where the optimizer writes through it); one that was never lent one skips that (weights from the
        // constructor or ImportParameters, as in deployment). The grid measures the second; --lent the first.
        if (LendParameters) _ = Model.Parameters;
    }

    /// <summary>With --lent: take the Parameters span once, so that every call compares the weights.</summary>
    public static bool LendParameters { get; set; }

    public Case Case { get; }
    public IFloatSequenceModel Model { get; }
    public float[] X { get; }
    public float[] Y { get; }
    public float[] Dy { get; }

    /// <summary>dL/d(input): training computes it, so that backward is the full 2x forward of the FLOP count (torch's input requires grad too).</summary>
    public float[] Dx { get; }

    public void Inference() => Model.Forward(X, Case.Batch, Case.Steps, Y);

    public void Training()
    {
        Model.Forward(X, Case.Batch, Case.Steps, Y, training: true);
        Model.Backward(Dy, Dx);
    }
}

/// <summary>
/// TorchSharp (libtorch CPU): nn.LSTM / GRU / RNN with batch_first, the same weights as ours, in float32 (the peer
/// that is timed) or float64 (the oracle the peers and ours are checked against; never timed).
/// </summary>
public sealed class TorchPeer : IDisposable
{
    private readonly Case _case;
    private readonly nn.Module<Tensor, Tensor> _net;
    private readonly Tensor _x, _dy;
    private readonly List<(string Name, Tensor Parameter)> _parameters;

    public TorchPeer(Case c, IReadOnlyList<NamedTensor> weights, int threads, ScalarType dtype = ScalarType.Float32)
    {
        _case = c;
        torch.set_num_threads(threads);
        _net = new Network(c);
        if (dtype != ScalarType.Float32) _net.to(dtype);
        _parameters = _net.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        var byName = weights.ToDictionary(t => t.Name, t => t);
        using (torch.no_grad())
        {
            foreach (var (name, parameter) in _parameters)
            {
                // Our names are {layer}.{tensor}: "lstm.weight_ih_l0", "dense.weight"; the network's the same.
                NamedTensor source = byName[name];
                parameter.copy_(torch.tensor(source.Data, source.Shape.Select(d => (long)d).ToArray()).to_type(dtype));
            }
        }
        _x = torch.tensor(c.Inputs(), new long[] { c.Batch, c.Steps, c.Input }).to_type(dtype).requires_grad_(true);
        _dy = torch.tensor(c.OutputGradient(), c.Classes > 0 ? new long[] { c.Batch, c.Classes } : new long[] { c.Batch, c.Steps, c.OutputSize })
            .to_type(dtype);
    }

    /// <summary>The output of <see cref="Inference"/> (under no_grad), as float.</summary>
    public float[] InferenceOutput()
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        return Floats(_net.forward(_x));
    }

    private static float[] Floats(Tensor t) => t.detach().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    public void Inference()
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        _net.forward(_x);
    }

    public void Training()
    {
        using var scope = torch.NewDisposeScope();
        Tensor y = _net.forward(_x);
        y.backward(new[] { _dy });
    }

    /// <summary>dL/d(input) accumulated by the training calls so far.</summary>
    public float[] InputGradient() => _x.grad is { } g ? Floats(g) : Array.Empty<float>();

    /// <summary>The accumulated gradients, by our tensor names.</summary>
    public Dictionary<string, float[]> Gradients() =>
        _parameters.ToDictionary(p => p.Name, p => p.Parameter.grad is { } g ? Floats(g) : Array.Empty<float>());

    public void ZeroGradients()
    {
        foreach (var (_, parameter) in _parameters) parameter.grad?.zero_();
        _x.grad?.zero_();
    }

    public void Dispose()
    {
        _x.Dispose();
        _dy.Dispose();
        _net.Dispose();
    }

    /// <summary>The recurrent module, and for the Braun row a Linear read-out of the last step.</summary>
    private sealed class Network : nn.Module<Tensor, Tensor>
    {
        private readonly Case _c;
        private readonly TorchSharp.Modules.LSTM? _lstm;
        private readonly TorchSharp.Modules.GRU? _gru;
        private readonly TorchSharp.Modules.RNN? _rnn;
        private readonly TorchSharp.Modules.Linear? _dense;

        public Network(Case c) : base("net")
        {
            _c = c;
            // Registered under PyTorch's attribute names, so that parameter names are ours: "lstm.weight_ih_l0".
            switch (c.Cell)
            {
                case Cell.Lstm: _lstm = nn.LSTM(c.Input, c.Hidden, c.Layers, bias: true, batchFirst: true, bidirectional: c.Bidirectional); register_module("lstm", _lstm); break;
                case Cell.Gru: _gru = nn.GRU(c.Input, c.Hidden, c.Layers, bias: true, batchFirst: true, bidirectional: c.Bidirectional); register_module("gru", _gru); break;
                default: _rnn = nn.RNN(c.Input, c.Hidden, c.Layers, nn.NonLinearities.Tanh, bias: true, batchFirst: true, bidirectional: c.Bidirectional); register_module("rnn", _rnn); break;
            }
            if (c.Classes > 0)
            {
                _dense = nn.Linear(c.Directions * c.Hidden, c.Classes);
                register_module("dense", _dense);
            }
        }

        public override Tensor forward(Tensor x)
        {
            Tensor y = _lstm is not null ? _lstm.call(x).Item1 : _gru is not null ? _gru.call(x).Item1 : _rnn!.call(x).Item1;
            if (_dense is null) return y;
            return _dense.call(y.select(1, _c.Steps - 1));
        }
    }
}

/// <summary>
/// ONNX Runtime (CPU): the model as OnnxFile exports it, time-major (input [T, B, I], output [T, B, features] or
/// [B, classes]: ONNX's recurrent layout, so the graph has no transposes at its edges), inputs and outputs bound
/// once; the conversion from and to our batch-first layout happens outside the timing.
/// </summary>
public sealed class OnnxPeer : IDisposable
{
    private static readonly OnnxExportOptions s_export = new() { TimeMajor = true };
    private readonly Case _case;
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtValue _x, _y;
    private readonly float[] _yData;
    private readonly string[] _inputNames = { "input" }, _outputNames = { "output" };

    /// <summary>
    /// How every ONNX Runtime peer runs: <paramref name="threads"/> intra-op threads, one inter-op thread, operators in
    /// sequence, every graph optimisation on.
    /// </summary>
    internal static SessionOptions Options(int threads) => new()
    {
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    public OnnxPeer(Case c, ISequenceModel model, int threads) : this(c, Graph(model), threads)
    {
    }

    /// <summary>A peer on a graph <see cref="Graph"/> wrote: the session is made from bytes, as from a file a user loads.</summary>
    public OnnxPeer(Case c, byte[] graph, int threads)
    {
        _case = c;
        SessionOptions options = OnnxPeer.Options(threads);
        _session = new InferenceSession(graph, options);
        float[] x = TimeMajor(c, c.Inputs());
        _x = OrtValue.CreateTensorValueFromMemory(x, new long[] { c.Steps, c.Batch, c.Input });
        _yData = new float[c.OutputLength];
        long[] yShape = c.Classes > 0 ? new long[] { c.Batch, c.Classes } : new long[] { c.Steps, c.Batch, c.OutputSize };
        _y = OrtValue.CreateTensorValueFromMemory(_yData, yShape);
    }

    /// <summary>The graph of <paramref name="model"/> as this peer runs it: exported time-major by OnnxFile.</summary>
    public static byte[] Graph(ISequenceModel model) => OnnxFile.ToBytes(model, s_export);

    public void Inference() => _session.Run(_run, _inputNames, new[] { _x }, _outputNames, new[] { _y });

    public float[] InferenceOutput()
    {
        Inference();
        return _case.Classes > 0 ? _yData : BatchFirst(_case, _yData);
    }

    /// <summary>[B, T, I] -> [T, B, I].</summary>
    private static float[] TimeMajor(Case c, float[] batchFirst)
    {
        float[] result = new float[batchFirst.Length];
        for (int b = 0; b < c.Batch; b++)
            for (int t = 0; t < c.Steps; t++)
                Array.Copy(batchFirst, (b * c.Steps + t) * c.Input, result, (t * c.Batch + b) * c.Input, c.Input);
        return result;
    }

    /// <summary>[T, B, F] -> [B, T, F].</summary>
    private static float[] BatchFirst(Case c, float[] timeMajor)
    {
        int f = c.OutputSize;
        float[] result = new float[timeMajor.Length];
        for (int t = 0; t < c.Steps; t++)
            for (int b = 0; b < c.Batch; b++)
                Array.Copy(timeMajor, (t * c.Batch + b) * f, result, (b * c.Steps + t) * f, f);
        return result;
    }

    public void Dispose()
    {
        _x.Dispose();
        _y.Dispose();
        _run.Dispose();
        _session.Dispose();
    }
}

/// <summary>Numbers checked against an oracle before anything is timed.</summary>
public static class Agreement
{
    /// <summary>Throws when <paramref name="actual"/> differs from <paramref name="expected"/> by more than tolerance * max(1, scale).</summary>
    public static void Check(string what, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance = 2e-4)
    {
        if (Disagreement(expected, actual, tolerance) is { } message) throw new InvalidOperationException($"{what}: {message}");
    }

    /// <summary>Null when <paramref name="actual"/> is within tolerance * max(1, scale) of <paramref name="expected"/>, else what differs.</summary>
    public static string? Disagreement(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance)
    {
        if (expected.Length != actual.Length) return $"{actual.Length} values, expected {expected.Length}.";
        double scale = 0, worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++) scale = Math.Max(scale, Math.Abs(expected[i]));
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(expected[i] - actual[i]);
            if (!(difference <= worst)) { worst = difference; at = i; }
        }
        return worst <= tolerance * Math.Max(scale, 1) ? null
            : $"element {at} is {actual[at]:R}, expected {expected[at]:R} (largest difference {worst:E2}, scale {scale:E2}).";
    }
}
