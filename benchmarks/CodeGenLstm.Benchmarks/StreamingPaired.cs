using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --streaming --paired [--repetitions ROUNDS]: the streamed paths of every precision and ours on one sequence, timed in
/// turn in the same process, for a machine that other programs share: each round gives every path a chunk of 20 ms
/// (the order reversed every other round), each stream of 1,000 steps (or each sequence of 1,000 steps) timed alone, and
/// keeps the chunk's least time per step (a chunk holds at least one stream). Load that comes and goes then falls on every path alike; the table gives, per path, the least of the
/// chunk minima and their median, and the ratios the streaming targets are stated in, from both. Nothing is checked
/// here that --streaming does not check first: run it on a machine where --streaming passed.
/// </summary>
public static class StreamingPaired
{
    private const double ChunkSeconds = 0.020;

    private static readonly (string Name, InferencePrecision Value)[] s_precisions =
    {
        ("fp32", InferencePrecision.Float32),
        ("bf16", InferencePrecision.BFloat16),
        ("int8", InferencePrecision.Int8),
    };

    public static int Run(int threads, int rounds, string[]? only)
    {
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"Paired: {rounds} rounds of a {ChunkSeconds * 1e3:F0} ms chunk per path; microseconds per step, least and median of the chunk minima; {threads} threads.");
        foreach (StreamingModel model in Streaming.Selected(only))
        {
            float[] x = Streaming.Inputs(model.Input);
            var disposables = new List<IDisposable>();
            var paths = new List<(string Name, Func<double> Unit)>();
            IFloatSequenceModel? int8 = null;
            foreach ((string name, InferencePrecision value) in s_precisions)
            {
                var streamed = new OursStreaming(Create(model, value), x);
                var whole = new OursStreaming(Create(model, value), x);
                disposables.Add(streamed);
                disposables.Add(whole);
                float[] output = new float[Streaming.Steps * model.Create().OutputSize];
                whole.WholeSequence(output);  // builds the reduced copies before any timing
                if (value == InferencePrecision.Int8) int8 = whole.Model;
                paths.Add(($"ours {name} streamed", Stepper(streamed)));
                paths.Add(($"ours {name} one sequence", () =>
                {
                    long start = Stopwatch.GetTimestamp();
                    whole.WholeSequence(output);
                    return Stopwatch.GetElapsedTime(start).TotalSeconds / Streaming.Steps;
                }));
            }
            var onnx = new OnnxStreaming(model.Create(), x, threads);
            var onnxInt8 = new OnnxInt8Streaming(int8!, x, threads);
            disposables.Add(onnx);
            disposables.Add(onnxInt8);
            paths.Add(("ORT fp32 streamed", Stepper(onnx)));
            paths.Add(("ORT int8 streamed", Stepper(onnxInt8)));

            var minima = paths.Select(_ => new List<double>()).ToArray();
            foreach (var path in paths) Chunk(path.Unit, 0.2);  // warm-up
            for (int r = 0; r < rounds; r++)
            {
                for (int i = 0; i < paths.Count; i++)
                {
                    int p = r % 2 == 0 ? i : paths.Count - 1 - i;
                    minima[p].Add(Chunk(paths[p].Unit, ChunkSeconds));
                }
            }
            var least = minima.Select(m => m.Min()).ToArray();
            var median = minima.Select(m => m.OrderBy(v => v).ElementAt(m.Count / 2)).ToArray();
            for (int p = 0; p < paths.Count; p++)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model.Name,-12} {paths[p].Name,-22} {least[p] * 1e6,9:F1} {median[p] * 1e6,9:F1}"));
            int Index(string name) => paths.FindIndex(q => q.Name == name);
            string Ratio(string over, string under) => string.Create(CultureInfo.InvariantCulture,
                $"{least[Index(over)] / least[Index(under)]:F2} / {median[Index(over)] / median[Index(under)]:F2}");
            foreach ((string name, _) in s_precisions)
            {
                string ours = $"ours {name} streamed";
                string againstInt8 = name == "int8" ? $", ORT int8 / ours {Ratio("ORT int8 streamed", ours)}" : "";
                Console.WriteLine($"{model.Name} {name} (least / median): ORT fp32 / ours {Ratio("ORT fp32 streamed", ours)}{againstInt8}, " +
                    $"ours streamed / one sequence {Ratio(ours, $"ours {name} one sequence")}");
            }
            foreach (IDisposable d in disposables) d.Dispose();
        }
        return 0;
    }

    private static IFloatSequenceModel Create(StreamingModel model, InferencePrecision precision)
    {
        IFloatSequenceModel ours = model.Create();
        ours.InferencePrecision = precision;
        return ours;
    }

    /// <summary>
    /// One unit: a stream of the peer, <see cref="Streaming.Steps"/> steps from zero state, in seconds per step. Whole
    /// streams, not single steps, so that the unit is the one sequence's (its mean over as many steps), as --streaming's.
    /// </summary>
    private static Func<double> Stepper(IStreamingPeer peer) => () =>
    {
        long start = Stopwatch.GetTimestamp();
        peer.Reset();
        for (int t = 0; t < Streaming.Steps; t++) peer.Step(t);
        return Stopwatch.GetElapsedTime(start).TotalSeconds / Streaming.Steps;
    };

    /// <summary>The least seconds per step of the units run in <paramref name="seconds"/> (at least one unit).</summary>
    private static double Chunk(Func<double> unit, double seconds)
    {
        double least = double.PositiveInfinity;
        long start = Stopwatch.GetTimestamp();
        do least = Math.Min(least, unit());
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds);
        return least;
    }
}
