using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The first calls of --precision: for each case and path of its table, a fresh process (<see cref="FreshProcess"/>)
/// builds the model or the peer ("construct", timed), then times calls 1 to 10 one by one; the table puts call 1 and
/// calls 1-10 beside the least time the parent measured in its own loop. Ours: <c>new</c> and setting
/// InferencePrecision; the reduced copy of W_hh is built lazily, by call 1, so call 1 includes the first quantisation,
/// and a further fresh process per reduced precision times that quantisation alone ("quantise": the runtime's
/// ReducedRecurrentWeights building the copy from the case's W_hh, on one thread, as the first thing it does).
/// The peers' inputs (our graph or weights) are made before the timer: construct is the peer's own (for ONNX Runtime,
/// the session from the graph's bytes; for libtorch, the module and its weights, its native library loaded on first
/// use). Each peer's child checks after timing that what it timed agrees with its oracle, as the table's checks do.
/// A path the parent found wrong is not timed here either.
/// </summary>
public static class PrecisionFirstCalls
{
    /// <summary>The paths of the precision table, in its order: the child's argument and the name in the table.</summary>
    public static IReadOnlyList<(string Path, string Name)> Paths { get; } = new[]
    {
        ("ours-fp32", "ours float32"),
        ("ours-bf16", "ours bfloat16"),
        ("ours-int8", "ours int8"),
        ("ort-fp32", "ONNX Runtime float32"),
        ("ort-int8", "ONNX Runtime int8 (DynamicQuantizeLSTM)"),
        ("torch-fp32", "libtorch float32"),
    };

    /// <summary>One case of the parent's table: the least time of each path in ms (in <see cref="Paths"/>' order) and why a path was not timed.</summary>
    public sealed record Timed(Case Case, double[] Steady, string?[] Wrong);

    /// <summary>Runs the children and prints the table; the count of children that failed or timed a wrong result.</summary>
    public static int Run(IReadOnlyList<Timed> cases, int threads, string self)
    {
        Console.WriteLine();
        Console.WriteLine($"First calls, each path in a fresh process ({threads} thread(s)); steady: the least time above.");
        var table = new FirstCallTable("case", quantise: true);
        Console.WriteLine(table.Header());
        int failures = 0;
        foreach (Timed timed in cases)
        {
            for (int p = 0; p < Paths.Count; p++)
            {
                (string path, string name) = Paths[p];
                if (timed.Wrong[p] is not null)
                {
                    Console.WriteLine(table.Row(timed.Case.ToString(), name, null, double.NaN, "wrong here"));
                    continue;
                }
                ChildResult? result = Child(self, timed.Case, path, threads);
                if (result is not null && QuantisedPrecision(path) is { } precision)
                {
                    ChildResult? quantise = Child(self, timed.Case, "quantise-" + precision, threads);
                    result = quantise?.Quantise is { } q ? result with { Quantise = q } : null;
                }
                if (result is null || result.Wrong) failures++;
                Console.WriteLine(table.Row(timed.Case.ToString(), name, result, timed.Steady[p]));
            }
        }
        return failures;
    }

    private static ChildResult? Child(string self, Case c, string path, int threads) =>
        FreshProcess.Run(self, ChildArguments.Precision(path, threads, c.ToString(), Ours.LendParameters), FreshProcess.NoEnvironment, $"{c} {path}");

    /// <summary>"bf16" or "int8" for ours in a reduced precision, else null.</summary>
    private static string? QuantisedPrecision(string path) => path switch { "ours-bf16" => "bf16", "ours-int8" => "int8", _ => null };

    private static InferencePrecision Precision(string name) => name switch
    {
        "fp32" => InferencePrecision.Float32,
        "bf16" => InferencePrecision.BFloat16,
        "int8" => InferencePrecision.Int8,
        _ => throw new ArgumentException($"unknown precision {name}", nameof(name)),
    };

    /// <summary>The child: one path of one case, in a fresh process. Prints its <see cref="ChildResult"/>.</summary>
    public static int RunChild(Case c, string path, int threads)
    {
        Parallelism.MaxThreads = threads;
        ChildResult result = path switch
        {
            "ours-fp32" or "ours-bf16" or "ours-int8" => OursFirstCalls(c, Precision(path[5..])),
            "quantise-bf16" or "quantise-int8" => Quantise(c, Precision(path[9..])),
            "ort-fp32" => OnnxFloat32(c, threads),
            "ort-int8" => OnnxInt8(c, threads),
            "torch-fp32" => Torch(c, threads),
            _ => throw new ArgumentException($"unknown path {path}", nameof(path)),
        };
        Console.WriteLine(result.Format());
        return 0;
    }

    /// <summary>
    /// Ours: construct is the model and setting its precision (which allocates the reduced copy); the case's inputs are
    /// made after the timer; call 1 builds the copy.
    /// </summary>
    private static ChildResult OursFirstCalls(Case c, InferencePrecision precision)
    {
        (IFloatSequenceModel model, double construct) = FirstCallTimer.Time(() =>
        {
            IFloatSequenceModel m = c.Create();
            m.InferencePrecision = precision;
            return m;
        });
        var ours = new Ours(c, model);
        return new ChildResult { Construct = construct, Calls = FirstCallTimer.FirstCalls(ours.Inference) };
    }

    /// <summary>The first quantisation of the case's W_hh in this process, by the runtime's own type, on one thread.</summary>
    private static ChildResult Quantise(Case c, InferencePrecision precision)
    {
        float[] weightHh = c.Create().ExportParameters().Single(t => t.Name == "lstm.weight_hh_l0").Data;
        var copy = new ReducedRecurrentWeights();
        copy.Prepare(precision, c.Gates * c.Hidden, c.Hidden);  // the allocation, which the model does when its precision is set
        return new ChildResult { Quantise = FirstCallTimer.Time(() => copy.Build(precision, weightHh, 0, 1)) };
    }

    private static ChildResult OnnxFloat32(Case c, int threads)
    {
        byte[] graph = OnnxPeer.Graph(c.Create());
        (OnnxPeer onnx, double construct) = FirstCallTimer.Time(() => new OnnxPeer(c, graph, threads));
        using (onnx)
        {
            double[] calls = FirstCallTimer.FirstCalls(onnx.Inference);
            var ours = new Ours(c);
            ours.Inference();
            bool right = Agreement.Disagreement(ours.Y, onnx.InferenceOutput(), PeerHealth.OutputTolerance) is null;
            return new ChildResult { Construct = construct, Calls = calls, Check = right ? "right" : "wrong" };
        }
    }

    /// <summary>ONNX Runtime int8 on our int8 W_hh (ours runs first, untimed, to build it); checked as <see cref="PrecisionRuns"/> checks it.</summary>
    private static ChildResult OnnxInt8(Case c, int threads)
    {
        var int8 = new Ours(c);
        int8.Model.InferencePrecision = InferencePrecision.Int8;
        int8.Inference();
        byte[] graph = OnnxInt8Peer.GraphBytes(c, int8.Model);
        (OnnxInt8Peer onnx, double construct) = FirstCallTimer.Time(() => new OnnxInt8Peer(c, graph, threads));
        using (onnx)
        {
            double[] calls = FirstCallTimer.FirstCalls(onnx.Inference);
            var float32 = new Ours(c);
            float32.Inference();
            double bound = PrecisionRuns.Int8PeerFactor * PrecisionRuns.LargestError(float32.Y, int8.Y);
            bool right = PrecisionRuns.LargestError(float32.Y, onnx.InferenceOutput()) <= bound;
            return new ChildResult { Construct = construct, Calls = calls, Check = right ? "right" : "wrong" };
        }
    }

    private static ChildResult Torch(Case c, int threads)
    {
        IReadOnlyList<NamedTensor> weights = c.Create().ExportParameters();
        (TorchPeer torch, double construct) = FirstCallTimer.Time(() => new TorchPeer(c, weights, threads));
        using (torch)
        {
            double[] calls = FirstCallTimer.FirstCalls(torch.Inference);
            bool right = FirstCalls.RightAfterTiming(c, weights, threads, torch, training: false);
            return new ChildResult { Construct = construct, Calls = calls, Check = right ? "right" : "wrong" };
        }
    }
}
