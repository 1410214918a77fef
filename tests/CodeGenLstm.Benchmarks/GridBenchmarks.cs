using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The grid: every case, inference (forward) and training (forward + backward), ours and the peers.
/// Each peer's setup first checks its output (and, for training, its weight gradients) against ours.
/// </summary>
public class GridBenchmarks
{
    /// <summary>The cases this run measures (Program narrows them with --only).</summary>
    public static IReadOnlyList<Case> Selected { get; set; } = Case.All;

    /// <summary>Threads for ours (Parallelism.MaxThreads) and for the peers (torch.set_num_threads, ORT intra-op threads).</summary>
    public static int Threads { get; set; } = Environment.ProcessorCount;

    public static IEnumerable<Case> Cases() => Selected;

    [ParamsSource(nameof(Cases))]
    public Case Case { get; set; } = null!;

    private Ours _ours = null!;
    private TorchPeer? _torch;
    private OnnxPeer? _onnx;

    [GlobalSetup(Targets = new[] { nameof(OursInference), nameof(OursTraining) })]
    public void SetupOurs()
    {
        Parallelism.MaxThreads = Threads;
        _ours = new Ours(Case);
    }

    [GlobalSetup(Targets = new[] { nameof(TorchInference), nameof(TorchTraining) })]
    public void SetupTorch()
    {
        SetupOurs();
        _torch = new TorchPeer(Case, _ours.Model.ExportParameters(), Threads);
        _ours.Inference();
        Agreement.Check($"{Case}: torch inference output", _ours.Y, _torch.InferenceOutput());
        _ours.Model.ZeroGradients();
        _ours.Training();
        _torch.ZeroGradients();
        _torch.Training();
        Dictionary<string, float[]> torchGradients = _torch.Gradients();
        foreach (NamedTensor gradient in _ours.Model.ExportGradients())
            Agreement.Check($"{Case}: torch gradient of {gradient.Name}", gradient.Data, torchGradients[gradient.Name], 1e-3);
        Agreement.Check($"{Case}: torch input gradient", _ours.Dx, _torch.InputGradient(), 1e-3);
    }

    [GlobalSetup(Targets = new[] { nameof(OnnxInference) })]
    public void SetupOnnx()
    {
        SetupOurs();
        _onnx = new OnnxPeer(Case, _ours.Model.ExportParameters(), Threads);
        _ours.Inference();
        Agreement.Check($"{Case}: ONNX Runtime output", _ours.Y, _onnx.InferenceOutput());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torch?.Dispose();
        _onnx?.Dispose();
        _torch = null;
        _onnx = null;
    }

    [Benchmark] public void OursInference() => _ours.Inference();
    [Benchmark] public void OursTraining() => _ours.Training();
    [Benchmark] public void TorchInference() => _torch!.Inference();
    [Benchmark] public void TorchTraining() => _torch!.Training();
    [Benchmark] public void OnnxInference() => _onnx!.Inference();
}
