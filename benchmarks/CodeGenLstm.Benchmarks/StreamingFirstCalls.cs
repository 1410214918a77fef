using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The first steps of --streaming: for each model and streamed path of its table, a fresh process
/// (<see cref="FreshProcess"/>) builds the path ("construct", timed), then times steps 1 to 10 of a stream, one call
/// each; the table puts step 1 and steps 1-10 beside the least time per step the parent measured. Ours: the model and
/// its Stateful streamer; ONNX Runtime: the session from the graph's bytes (exported before the timer) and its
/// bindings; libtorch: the module, its weights and the step views (its native library loaded on first use). After
/// timing, each child streams its 10 steps again from zero state and checks them against libtorch in float64 streamed
/// the same way, as the table's checks do. A path the parent found wrong is not timed here either.
/// </summary>
public static class StreamingFirstCalls
{
    /// <summary>The streamed paths of the table, in its order: the child's argument and the name in the table.</summary>
    public static IReadOnlyList<(string Path, string Name)> Paths { get; } = new[]
    {
        ("ours", "ours, Stateful"),
        ("ort", "ONNX Runtime, (h, c) bound"),
        ("torch-lstm", "libtorch nn.LSTM"),
        ("torch-cell", "libtorch nn.LSTMCell"),
    };

    /// <summary>One model of the parent's table: the least time per step of each path in ms (in <see cref="Paths"/>' order) and why a path was not timed.</summary>
    public sealed record Timed(string Model, double[] Steady, string?[] Wrong);

    /// <summary>Runs the children and prints the table; the count of children that failed or timed a wrong result.</summary>
    public static int Run(IReadOnlyList<Timed> models, int threads, string self)
    {
        Console.WriteLine();
        Console.WriteLine($"First steps of a stream, each path in a fresh process ({threads} thread(s)); a call is one step; steady: the least time per step above.");
        var table = new FirstCallTable("model", quantise: false);
        Console.WriteLine(table.Header());
        int failures = 0;
        foreach (Timed timed in models)
        {
            for (int p = 0; p < Paths.Count; p++)
            {
                (string path, string name) = Paths[p];
                if (timed.Wrong[p] is not null)
                {
                    Console.WriteLine(table.Row(timed.Model, name, null, double.NaN, "wrong here"));
                    continue;
                }
                ChildResult? result = FreshProcess.Run(self, ChildArguments.Streaming(path, threads, timed.Model, Ours.LendParameters),
                    FreshProcess.NoEnvironment, $"{timed.Model} {path}");
                if (result is null || result.Wrong) failures++;
                Console.WriteLine(table.Row(timed.Model, name, result, timed.Steady[p]));
            }
        }
        return failures;
    }

    /// <summary>The child: one path of one model, in a fresh process. Prints its <see cref="ChildResult"/>.</summary>
    public static int RunChild(string path, StreamingModel model, int threads)
    {
        Parallelism.MaxThreads = threads;
        float[] x = Streaming.Inputs(model.Input);
        // The peers' weights, from a twin, made before the timer; not for ours, whose construction (the model's, first in
        // this process) is what is timed. The exporter is run once first: it is our code, not the peer's.
        IFloatSequenceModel? twin = path == "ours" ? null : model.Create();
        _ = twin?.ExportParameters();
        Func<IStreamingPeer> build = path switch
        {
            "ours" => () =>
            {
                IFloatSequenceModel ours = model.Create();
                if (Ours.LendParameters) _ = ours.Parameters;  // --lent, as the table's
                return new OursStreaming(ours, x);
            },
            "ort" => OnnxBuilder(twin!, x, threads),
            "torch-lstm" => () => new TorchStreaming(twin!, x, threads) { KeepOutputs = false },
            "torch-cell" => () => new TorchCellStreaming(twin!, x, threads) { KeepOutputs = false },
            _ => throw new ArgumentException($"unknown path {path}", nameof(path)),
        };

        (IStreamingPeer peer, double construct) = FirstCallTimer.Time(build);
        using (peer)
        {
            int t = 0;
            double[] steps = FirstCallTimer.FirstCalls(() => peer.Step(t++));
            bool right = RightAfterTiming(peer, twin ?? model.Create(), x, threads, steps.Length);
            Console.WriteLine(new ChildResult { Construct = construct, Calls = steps, Check = right ? "right" : "wrong" }.Format());
        }
        return 0;
    }

    /// <summary>The graph exported before the timer; the builder makes the session from its bytes.</summary>
    private static Func<IStreamingPeer> OnnxBuilder(IFloatSequenceModel twin, float[] x, int threads)
    {
        byte[] graph = OnnxStreaming.Graph(twin);
        return () => new OnnxStreaming(graph, twin, x, threads);
    }

    /// <summary>The first <paramref name="steps"/> steps again from zero state, their outputs kept, against libtorch float64 streamed alike.</summary>
    private static bool RightAfterTiming(IStreamingPeer peer, IFloatSequenceModel twin, float[] x, int threads, int steps)
    {
        if (peer is TorchStreaming lstm) lstm.KeepOutputs = true;
        if (peer is TorchCellStreaming cell) cell.KeepOutputs = true;
        using var oracle = new TorchStreaming(twin, x, threads, ScalarType.Float64);
        int length = steps * twin.OutputSize;
        float[] Stream(IStreamingPeer p)
        {
            p.Reset();
            for (int t = 0; t < steps; t++) p.Step(t);
            return p.Outputs.AsSpan(0, length).ToArray();
        }
        return Agreement.Disagreement(Stream(oracle), Stream(peer), PeerHealth.OutputTolerance) is null;
    }
}
