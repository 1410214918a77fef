using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// The bfloat16 and int8 rows of --streaming, one model at a time: ours in that InferencePrecision, Stateful, one step
/// per call; ours on the same steps as one sequence in that precision; and, in int8, ONNX Runtime's DynamicQuantizeLSTM
/// on our int8 weights streamed with (h, c) bound in and out (<see cref="OnnxInt8Streaming"/>). Before timing, ours in
/// float32, bfloat16 and int8 and the int8 peer are run (whatever --precisions times: each check needs the others'
/// errors) and checked by <see cref="StreamingChecks"/>; a failing check of ours fails the run, a failing peer is not timed.
/// </summary>
public static class StreamingReduced
{
    /// <summary>The precisions of --precisions that this class times, with the runtime's value for each.</summary>
    private static readonly (string Name, InferencePrecision Value)[] s_reduced =
    {
        ("bf16", InferencePrecision.BFloat16),
        ("int8", InferencePrecision.Int8),
    };

    /// <summary>
    /// Checks and times the selected reduced precisions of one model; prints a line per precision. <paramref name="onnxFloat32"/>
    /// is ONNX Runtime's float32 least time per step from the float32 rows (NaN when not timed). The count of failures of ours.
    /// </summary>
    public static int Run(StreamingModel model, float[] x, int threads, int repetitions, IReadOnlyCollection<string> precisions, double onnxFloat32)
    {
        string name = model.Name;
        var float32Model = Create(model, InferencePrecision.Float32);
        float[] float32 = new float[Streaming.Steps * float32Model.OutputSize];
        using (var float32Stream = new OursStreaming(float32Model, x)) float32Stream.WholeSequence(float32);

        var streams = new Dictionary<string, OursStreaming>();
        var wholes = new Dictionary<string, float[]>();
        var streamed = new Dictionary<string, float[]>();
        try
        {
            foreach ((string p, InferencePrecision value) in s_reduced)
            {
                var stream = new OursStreaming(Create(model, value), x);
                streams[p] = stream;
                wholes[p] = new float[float32.Length];
                stream.WholeSequence(wholes[p]);  // in int8, builds the int8 copies the peer reads
                streamed[p] = Streaming.Stream(stream);
            }
            // The peer reads our int8 copy of W_hh from a model that ran an int8 call; its session then needs nothing of it.
            using var peer = new OnnxInt8Streaming(streams["int8"].Model, x, threads);
            float[] peerStreamed = Streaming.Stream(peer);

            double oursInt8Error = StreamingChecks.LargestError(float32, wholes["int8"]);
            double peerError = StreamingChecks.LargestError(float32, peerStreamed);
            string? peerWrong = StreamingChecks.PeerInt8Wrong(float32, wholes["int8"], peerStreamed);
            string peerVerdict = peerWrong is null ? "" : $"; WRONG here, not timed: {peerWrong}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: ONNX Runtime int8 streamed: largest difference from our float32 {peerError:E2}, from our int8 streamed {StreamingChecks.LargestError(streamed["int8"], peerStreamed):E2}{peerVerdict}"));

            int failures = 0;
            foreach ((string p, _) in s_reduced)
            {
                if (!precisions.Contains(p)) continue;
                OursStreaming stream = streams[p];
                double limit = StreamingChecks.Limit(p, oursInt8Error, peerError);
                long allocated = Allocated(stream);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: ours {p} streamed against ours {p} on the whole sequence: {StreamingChecks.Difference(wholes[p], streamed[p])}; " +
                    $"largest difference from our float32 {StreamingChecks.LargestError(float32, streamed[p]):E2} (limit {limit:E2}); ours allocated {allocated} B in {Streaming.Steps} calls"));
                if (StreamingChecks.OursReducedWrong(p, float32, wholes[p], streamed[p], limit) is { } wrong)
                {
                    Console.WriteLine($"{name}: OURS {p.ToUpperInvariant()} IS WRONG: {wrong}");
                    failures++;
                    continue;
                }
                var oursTime = Streaming.Time(stream, repetitions);
                var peerTime = p == "int8" && peerWrong is null ? Streaming.Time(peer, repetitions) : (Least: double.NaN, Median: double.NaN);
                float[] whole = wholes[p];
                var wholeTime = Streaming.Time(() => stream.WholeSequence(whole), repetitions);
                Console.WriteLine($"{name,-14} {p,-5} {Streaming.Cell(oursTime),16} {(p == "int8" ? Streaming.Cell(peerTime) : "-"),16} {Streaming.Cell(wholeTime),18}");
                string overPeer = p == "int8" ? string.Create(CultureInfo.InvariantCulture, $", {peerTime.Least / oursTime.Least:F2}x its int8's") : "";
                // ONNX Runtime float32 is timed with the float32 rows only (NaN when --precisions leaves them out).
                string overFloat32 = double.IsNaN(onnxFloat32) ? "not timed against ONNX Runtime float32"
                    : string.Create(CultureInfo.InvariantCulture, $"{onnxFloat32 / oursTime.Least:F2}x ONNX Runtime float32's speed");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: ours {p} streamed is {overFloat32}{overPeer}, and takes {oursTime.Least / wholeTime.Least:F2}x the time of a step of one sequence in {p}"));
            }
            return failures;
        }
        finally
        {
            foreach (OursStreaming stream in streams.Values) stream.Dispose();
        }
    }

    private static IFloatSequenceModel Create(StreamingModel model, InferencePrecision precision)
    {
        IFloatSequenceModel ours = model.Create();
        if (Ours.LendParameters) _ = ours.Parameters;  // --lent, as the float32 rows
        ours.InferencePrecision = precision;
        return ours;
    }

    /// <summary>Bytes allocated on this thread by one stream of <paramref name="stream"/> (run once before, so not its first).</summary>
    private static long Allocated(OursStreaming stream)
    {
        stream.Reset();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < Streaming.Steps; t++) stream.Step(t);
        return GC.GetAllocatedBytesForCurrentThread() - allocated;
    }
}
