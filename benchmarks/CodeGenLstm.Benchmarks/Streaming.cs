using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using CodeGenLstm.TestSupport;
using static TorchSharp.torch;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --streaming [--repetitions N]: batch 1, one step per call, 1,000 consecutive calls, LSTM H = 256 and 1024 (input
/// size H, as the grid's LSTM rows). Per-step latency, least and median over N repetitions of the 1,000 calls, of:
/// (a) ours, Stateful, Forward with steps = 1; (b) ONNX Runtime with (h, c) bound in and out on every call
/// (<see cref="OnnxStreaming"/>); (c) libtorch's nn.LSTM under no_grad called per step with (h, c)
/// (<see cref="TorchStreaming"/>), and its nn.LSTMCell likewise (<see cref="TorchCellStreaming"/>); (d) ours on the same 1,000 steps as one sequence, per step.
/// Before timing, every streamed path is checked against libtorch in float64 streamed the same way (a path that
/// disagrees is not timed), and ours streamed against ours on the whole sequence (the largest difference is printed).
/// With --lent, our model's Parameters span is taken first, so that every call of (a) and (d) compares the weights.
/// Then, for bfloat16 and int8 (InferencePrecision), (a) and (d) in that precision and, in int8, ONNX Runtime's
/// DynamicQuantizeLSTM streamed the same way (<see cref="StreamingReduced"/>). --precisions names the precisions timed
/// (fp32, bf16, int8; all by default): "--precisions fp32" gives the float32 table alone.
/// Then, unless --no-first-calls, the first steps of the float32 (a), (b) and (c), each in a fresh process (<see cref="StreamingFirstCalls"/>).
/// </summary>
public static class Streaming
{
    public const int Steps = 1000;

    /// <summary>The models of the table: name, input size (H, as the grid's LSTM rows) and constructor.</summary>
    public static IReadOnlyList<StreamingModel> Models { get; } = new StreamingModel[]
    {
        new("LSTM H=256", 256, () => new Lstm256(1)),
        new("LSTM H=1024", 1024, () => new Lstm1024(1)),
    };

    /// <summary>The models whose name contains one of <paramref name="only"/> (all when null).</summary>
    public static IEnumerable<StreamingModel> Selected(string[]? only) =>
        Models.Where(m => only is null || only.Any(o => m.Name.Contains(o, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The one model a child of the first calls is given (by its whole name).</summary>
    public static StreamingModel Model(string[]? only) => Models.Single(m => only is not null && only.Any(o => m.Name.Equals(o, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Times the table; then, unless <paramref name="self"/> is null, the first steps of each path in fresh processes
    /// (<see cref="StreamingFirstCalls"/>).
    /// </summary>
    public static int Run(int threads, int repetitions, string[]? only, IReadOnlyCollection<string> precisions, string? self)
    {
        var timed = new List<StreamingFirstCalls.Timed>();
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"Machine: {Machine.Description}; {threads} threads; libtorch {__version__}; ONNX Runtime {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}");
        Console.WriteLine($"Batch 1, {Steps} single-step calls, {repetitions} repetitions; microseconds per step (least / median)" +
            (Ours.LendParameters ? "; ours with its Parameters span taken (--lent)." : "."));
        int failures = 0;
        foreach (StreamingModel selected in Selected(only))
        {
            double onnxFloat32 = double.NaN;
            if (precisions.Contains("fp32")) failures += Float32(selected, threads, repetitions, timed, out onnxFloat32);
            if (precisions.Any(p => p != "fp32"))
            {
                Console.WriteLine($"{"model",-14} {"prec.",-5} {"ours streamed",16} {"ORT int8 (h,c)",16} {"ours one sequence",18}");
                failures += StreamingReduced.Run(selected, Inputs(selected.Input), threads, repetitions, precisions, onnxFloat32);
            }
        }
        // After the whole table, with every in-process model and peer of it disposed: the children have the machine.
        // The children time the float32 paths: with --precisions leaving float32 out there is nothing to compare them with.
        if (self is not null && timed.Count > 0) failures += StreamingFirstCalls.Run(timed, threads, self);
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The float32 row of one model (the table as before --precisions); the failures of ours, ONNX Runtime's least time per step (NaN when not timed).</summary>
    private static int Float32(StreamingModel selected, int threads, int repetitions, List<StreamingFirstCalls.Timed> timed, out double onnxLeast)
    {
        (string name, _, Func<IFloatSequenceModel> create) = selected;
        onnxLeast = double.NaN;
        int failures = 0;
        Console.WriteLine($"{"model",-14} {"ours streamed",16} {"ORT (h,c) bound",16} {"libtorch nn.LSTM",18} {"libtorch LSTMCell",18} {"ours one sequence",18}");
        {
            IFloatSequenceModel model = create();
            if (Ours.LendParameters) _ = model.Parameters;  // --lent: every call compares the weights with the packed copies
            float[] x = Inputs(model.InputSize);
            // The peers take their weights from a twin (same seed, same weights): the exporter reads the twin's
            // Parameters span, and a model whose span was taken compares its weights on every call.
            IFloatSequenceModel twin = create();
            using var ours = new OursStreaming(model, x);
            using var onnx = new OnnxStreaming(twin, x, threads);
            using var torch32 = new TorchStreaming(twin, x, threads);
            using var torchCell = new TorchCellStreaming(twin, x, threads);

            // The oracle: libtorch in float64, streamed step by step (float64 has no fast path to go wrong).
            float[] expected;
            using (var oracle = new TorchStreaming(twin, x, threads, ScalarType.Float64)) expected = Stream(oracle);

            float[] whole = new float[Steps * model.OutputSize];
            ours.WholeSequence(whole);
            float[] streamed = Stream(ours);
            if (Agreement.Disagreement(expected, streamed, PeerHealth.OutputTolerance) is { } oursWrong)
            {
                Console.WriteLine($"{name}: OURS STREAMED DISAGREES with libtorch float64: {oursWrong}");
                failures++;
                return failures;
            }
            float[] onnxStreamed = Stream(onnx);
            ours.Reset();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            for (int t = 0; t < Steps; t++) ours.Step(t);
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Console.WriteLine($"{name}: ours streamed against ours on the whole sequence: {StreamingChecks.Difference(whole, streamed)}; " +
                $"against ONNX Runtime streamed: {StreamingChecks.Difference(onnxStreamed, streamed)}; ours allocated {allocated} B in {Steps} calls");
            // Streamed against whole: the bound of StreamingTests (the one-row and many-row input projections may round in
            // another order). ONNX Runtime against the oracle is checked below (a disagreement there is the peer's).
            if (!StreamingChecks.WithinStreamingBound(whole, streamed))
            {
                Console.WriteLine($"{name}: OURS STREAMED DISAGREES with ours on the whole sequence (bound 1e-6 (1 + |value|)).");
                failures++;
                return failures;
            }
            string? onnxWrong = Agreement.Disagreement(expected, onnxStreamed, PeerHealth.OutputTolerance);
            string? torchWrong = Agreement.Disagreement(expected, Stream(torch32), PeerHealth.OutputTolerance);
            string? cellWrong = Agreement.Disagreement(expected, Stream(torchCell), PeerHealth.OutputTolerance);
            if (onnxWrong is not null) Console.WriteLine($"{name}: ONNX Runtime streamed is WRONG here, not timed: {onnxWrong}");
            if (torchWrong is not null) Console.WriteLine($"{name}: libtorch float32 under no_grad streamed is WRONG here, not timed: {torchWrong}");
            if (cellWrong is not null) Console.WriteLine($"{name}: libtorch float32 LSTMCell under no_grad streamed is WRONG here, not timed: {cellWrong}");
            torch32.KeepOutputs = false;
            torchCell.KeepOutputs = false;

            var oursTime = Time(ours, repetitions);
            Console.WriteLine($"{name}: ours streamed {Cell(oursTime)}");
            var onnxTime = onnxWrong is null ? Time(onnx, repetitions) : (Least: double.NaN, Median: double.NaN);
            Console.WriteLine($"{name}: ONNX Runtime streamed {Cell(onnxTime)}");
            var torchTime = torchWrong is null ? Time(torch32, repetitions) : (Least: double.NaN, Median: double.NaN);
            Console.WriteLine($"{name}: libtorch nn.LSTM streamed {Cell(torchTime)}");
            var cellTime = cellWrong is null ? Time(torchCell, repetitions) : (Least: double.NaN, Median: double.NaN);
            Console.WriteLine($"{name}: libtorch nn.LSTMCell streamed {Cell(cellTime)}");
            var wholeTime = Time(() => ours.WholeSequence(whole), repetitions);
            Console.WriteLine($"{name,-14} {Cell(oursTime),16} {Cell(onnxTime),16} {Cell(torchTime),18} {Cell(cellTime),18} {Cell(wholeTime),18}");
            // The issue's targets, from the least times: at least 2x ONNX Runtime's per-step latency, within 20% of one sequence.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: ours streamed is {onnxTime.Least / oursTime.Least:F2}x ONNX Runtime's speed, {torchTime.Least / oursTime.Least:F2}x libtorch's nn.LSTM, {cellTime.Least / oursTime.Least:F2}x its nn.LSTMCell, and takes {oursTime.Least / wholeTime.Least:F2}x the time of a step of one sequence"));
            // In the order of StreamingFirstCalls.Paths, ms per step.
            timed.Add(new StreamingFirstCalls.Timed(name,
                new[] { oursTime.Least, onnxTime.Least, torchTime.Least, cellTime.Least }.Select(t => t * 1e3).ToArray(),
                new[] { null, onnxWrong, torchWrong, cellWrong }));
            onnxLeast = onnxTime.Least;
        }
        return failures;
    }

    /// <summary>Deterministic inputs in [-1, 1], [Steps, input].</summary>
    public static float[] Inputs(int input)
    {
        var random = new Random(7);
        return Enumerable.Range(0, Steps * input).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>The outputs of one stream of <paramref name="peer"/> from zero state, copied (the next stream writes over Outputs).</summary>
    public static float[] Stream(IStreamingPeer peer)
    {
        peer.Reset();
        for (int t = 0; t < Steps; t++) peer.Step(t);
        return peer.Outputs.ToArray();
    }

    public static (double Least, double Median) Time(IStreamingPeer peer, int repetitions) => Time(() =>
    {
        peer.Reset();
        for (int t = 0; t < Steps; t++) peer.Step(t);
    }, repetitions);

    /// <summary>Seconds per step of <paramref name="stream"/> (which runs <see cref="Steps"/> steps): least and median of the repetitions, after one warm-up run.</summary>
    public static (double Least, double Median) Time(Action stream, int repetitions)
    {
        stream();
        var times = new List<double>();
        for (int r = 0; r < repetitions; r++)
        {
            long start = Stopwatch.GetTimestamp();
            stream();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds / Steps);
        }
        times.Sort();
        return (times[0], times[times.Count / 2]);
    }

    public static string Cell((double Least, double Median) t) => double.IsNaN(t.Least) ? "wrong here" :
        string.Create(CultureInfo.InvariantCulture, $"{t.Least * 1e6:F1} / {t.Median * 1e6:F1}");
}

/// <summary>A model of the streaming table: its name, its input size and how to build it (same seed, same weights, every time).</summary>
public sealed record StreamingModel(string Name, int Input, Func<IFloatSequenceModel> Create);
