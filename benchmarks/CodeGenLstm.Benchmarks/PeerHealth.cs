using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.TestSupport;
using static TorchSharp.torch;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// Does each timed path compute the right function on this machine? Every path (ours, libtorch's inference under
/// no_grad, libtorch's training, ONNX Runtime's inference) is checked against one oracle: libtorch in float64 on the
/// same weights, inputs and output gradient (float64 has no fast path to go wrong: libtorch 2.10's float32 LSTM
/// under no_grad, its oneDNN inference path, is wrong on AMD Zen 5 while its float64 is right). Ours must agree;
/// a peer that does not is reported as wrong on this machine and is not timed.
/// </summary>
public sealed class PeerHealth
{
    /// <summary>Largest |path - oracle| allowed on outputs, relative to max(1, largest |output|).</summary>
    public const double OutputTolerance = 2e-4;

    /// <summary>The same for gradients (sums over batch and steps carry more rounding).</summary>
    public const double GradientTolerance = 1e-3;

    private static readonly ConcurrentDictionary<Case, PeerHealth> s_checked = new();

    private PeerHealth(Case c) => Case = c;

    public Case Case { get; }

    /// <summary>Null when libtorch's float32 inference under no_grad agrees with the oracle, else what is wrong.</summary>
    public string? TorchInferenceWrong { get; private set; }

    /// <summary>Null when libtorch's float32 forward + backward agrees with the oracle, else what is wrong.</summary>
    public string? TorchTrainingWrong { get; private set; }

    /// <summary>Null when ONNX Runtime's output agrees with the oracle, else what is wrong.</summary>
    public string? OnnxWrong { get; private set; }

    /// <summary>Why a path is not timed, or null when it may be.</summary>
    public string? Wrong(string path) => path switch
    {
        "TorchInference" => TorchInferenceWrong,
        "TorchTraining" => TorchTrainingWrong,
        "OnnxInference" => OnnxWrong,
        _ => null,
    };

    /// <summary>Cases checked so far in this process, with their findings.</summary>
    public static IReadOnlyCollection<PeerHealth> Checked => s_checked.Values.OrderBy(h => Case.All.ToList().IndexOf(h.Case)).ToList();

    /// <summary>
    /// Checks the case once per process (the grid's setups ask for it before each peer's benchmarks). Throws when
    /// ours disagrees with the oracle: that is our bug, never the peer's.
    /// </summary>
    public static PeerHealth For(Case c, int threads) => s_checked.GetOrAdd(c, _ => Measure(c, threads));

    private static PeerHealth Measure(Case c, int threads)
    {
        var health = new PeerHealth(c);
        var ours = new Ours(c);
        IReadOnlyList<NamedTensor> weights = ours.Model.ExportParameters();
        using var oracle = new TorchPeer(c, weights, threads, ScalarType.Float64);
        float[] expectedOutput = oracle.InferenceOutput();
        oracle.ZeroGradients();
        oracle.Training();
        Dictionary<string, float[]> expectedGradients = oracle.Gradients();
        float[] expectedInputGradient = oracle.InputGradient();

        // Ours first: a disagreement here is ours to fix, and stops everything.
        ours.Inference();
        Agreement.Check($"{c}: our inference output against libtorch float64", expectedOutput, ours.Y, OutputTolerance);
        ours.Model.ZeroGradients();
        ours.Training();
        foreach (NamedTensor gradient in ours.Model.ExportGradients())
            Agreement.Check($"{c}: our gradient of {gradient.Name} against libtorch float64", expectedGradients[gradient.Name], gradient.Data, GradientTolerance);
        Agreement.Check($"{c}: our input gradient against libtorch float64", expectedInputGradient, ours.Dx, GradientTolerance);

        using (var torch32 = new TorchPeer(c, weights, threads))
        {
            health.TorchInferenceWrong = Name("libtorch float32 inference under no_grad",
                Agreement.Disagreement(expectedOutput, torch32.InferenceOutput(), OutputTolerance));
            torch32.ZeroGradients();
            torch32.Training();
            Dictionary<string, float[]> gradients = torch32.Gradients();
            string? training = gradients.Select(g => Agreement.Disagreement(expectedGradients[g.Key], g.Value, GradientTolerance) is { } m ? $"gradient of {g.Key}: {m}" : null)
                .Append(Agreement.Disagreement(expectedInputGradient, torch32.InputGradient(), GradientTolerance) is { } mi ? $"input gradient: {mi}" : null)
                .FirstOrDefault(m => m is not null);
            health.TorchTrainingWrong = Name("libtorch float32 training (forward + backward)", training);
        }

        using (var onnx = new OnnxPeer(c, ours.Model, threads))
            health.OnnxWrong = Name("ONNX Runtime float32 inference", Agreement.Disagreement(expectedOutput, onnx.InferenceOutput(), OutputTolerance));
        return health;
    }

    private static string? Name(string path, string? disagreement) => disagreement is null ? null
        : $"{path} is WRONG on this machine ({Machine.Description}; libtorch {__version__}): against libtorch float64, {disagreement}";

    public override string ToString()
    {
        var wrong = new[] { TorchInferenceWrong, TorchTrainingWrong, OnnxWrong }.Where(w => w is not null).ToList();
        return wrong.Count == 0
            ? $"{Case}: ours, libtorch (inference under no_grad, training) and ONNX Runtime agree with libtorch float64"
            : $"{Case}: ours agrees with libtorch float64; not timed: {string.Join("; ", wrong)}";
    }
}
