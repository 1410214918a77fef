using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The grid: every case, inference (forward) and training (forward + backward), ours and the peers.
/// Each peer's setup first checks that the path it times computes the right function on this machine (<see cref="PeerHealth"/>).
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

    // Each peer's setup first checks, once per case, that the path about to be timed computes the right function
    // here (PeerHealth: ours and every peer path against libtorch in float64). A path that is wrong on this machine
    // throws from its setup, so BenchmarkDotNet times nothing for it, and the report says why.

    [GlobalSetup(Target = nameof(TorchInference))]
    public void SetupTorchInference() => SetupTorch(nameof(TorchInference));

    [GlobalSetup(Target = nameof(TorchTraining))]
    public void SetupTorchTraining() => SetupTorch(nameof(TorchTraining));

    /// <summary>Used by --check: every path of the case checked, nothing timed.</summary>
    public PeerHealth CheckOnly()
    {
        Parallelism.MaxThreads = Threads;
        return PeerHealth.For(Case, Threads);
    }

    private void SetupTorch(string path)
    {
        SetupOurs();
        if (PeerHealth.For(Case, Threads).Wrong(path) is { } wrong) throw new InvalidOperationException(wrong);
        _torch = new TorchPeer(Case, _ours.Model.ExportParameters(), Threads);
    }

    [GlobalSetup(Targets = new[] { nameof(OnnxInference) })]
    public void SetupOnnx()
    {
        SetupOurs();
        if (PeerHealth.For(Case, Threads).OnnxWrong is { } wrong) throw new InvalidOperationException(wrong);
        _onnx = new OnnxPeer(Case, _ours.Model, Threads);
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
