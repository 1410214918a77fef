using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --precision [--seconds S]: inference of the LSTM rows H = 256 and 1024 at B = 1 and 16 with the recurrent weights in
/// float32, bfloat16 and int8 (InferencePrecision), beside ONNX Runtime's float32 LSTM as the grid runs it, ONNX
/// Runtime's int8 DynamicQuantizeLSTM fed our int8 W_hh (<see cref="OnnxInt8Peer"/>) and libtorch's float32 nn.LSTM
/// under no_grad as the grid runs it; least and median times of a Stopwatch loop, as --dev. Before timing, each
/// reduced precision's largest output error against our float32 is printed, and every peer is checked: ONNX Runtime's
/// float32 against ours, libtorch's float32 against libtorch float64 (<see cref="PeerHealth"/>), ONNX Runtime's int8
/// against our float32 within a bound set by our own int8 error (<see cref="PrecisionRuns"/>). A peer that disagrees
/// is not timed. Timings from a busy machine are indications only. Then the first calls of each path, each in a fresh
/// process (<see cref="PrecisionFirstCalls"/>), unless --no-first-calls.
/// </summary>
public static class PrecisionTimer
{
    /// <summary>The cases of the precision table among <paramref name="selected"/> (what --only kept).</summary>
    public static IEnumerable<Case> Cases(IEnumerable<Case> selected) =>
        selected.Where(c => c.Cell == Cell.Lstm && c.Layers == 1 && c.Classes == 0 && (c.Hidden == 256 || c.Hidden == 1024) && (c.Batch == 1 || c.Batch == 16));

    /// <summary>
    /// Times the table; then, unless <paramref name="self"/> is null, the first calls of each path in fresh processes
    /// (<see cref="PrecisionFirstCalls"/>). 1 when a first-call child failed or timed a wrong result.
    /// </summary>
    public static int Run(IEnumerable<Case> selected, int threads, double seconds, string? self)
    {
        var timed = new List<PrecisionFirstCalls.Timed>();
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"int8 dot products: {Generated.ReducedRecurrentWeights.Int8Path(Simd.ActiveWidth)}; vectors: {Simd.ActivePath}; threads: {threads}");
        Console.WriteLine("Times in ms (least; medians on the line below). Ratios are speed-ups of our int8 (or bf16) over the named path: its time / ours.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"case",-18} {"fp32",8} {"bf16",8} {"int8",8} {"ORT fp32",8} {"ORT int8",8} {"torch",8} {"int8:fp32",9} {"int8:ORT",8} {"int8:ORTq",9} {"bf16:fp32",9} {"bf16 err",9} {"int8 err",9} {"ORTq err",9}"));
        foreach (Case c in Cases(selected))
        {
            using var runs = new PrecisionRuns(c, threads);
            float[] float32 = runs.Outputs[0];

            using var onnx = new OnnxPeer(c, runs.Ours[0].Model, threads);
            string? onnxWrong = Agreement.Disagreement(float32, onnx.InferenceOutput(), PeerHealth.OutputTolerance);
            if (onnxWrong is not null) Console.WriteLine($"{c}: ONNX Runtime float32 disagrees with ours, not timed: {onnxWrong}");
            if (runs.Int8PeerWrong is not null) Console.WriteLine($"{c}: not timed: {runs.Int8PeerWrong}");
            // libtorch's float32 LSTM under no_grad is wrong on some CPUs (oneDNN): its float64 decides, as in the grid.
            string? torchWrong = PeerHealth.For(c, threads).TorchInferenceWrong;
            if (torchWrong is not null) Console.WriteLine($"{c}: not timed: {torchWrong}");
            using var torch = new TorchPeer(c, runs.Ours[0].Model.ExportParameters(), threads);

            var times = runs.Ours.Select(o => DevTimer.Time(o.Inference, seconds)).ToList();
            (double Min, double Median) Peer(Action call, bool wrong) => wrong ? (double.NaN, double.NaN) : DevTimer.Time(call, seconds);
            var ort = Peer(onnx.Inference, onnxWrong is not null);
            var ortInt8 = Peer(runs.Int8Peer.Inference, runs.Int8PeerWrong is not null);
            var libtorch = Peer(torch.Inference, torchWrong is not null);

            string F(double v) => double.IsNaN(v) ? "wrong" : (v * 1e3).ToString("F3", CultureInfo.InvariantCulture);
            string R(double v) => double.IsNaN(v) ? "-" : v.ToString("F2", CultureInfo.InvariantCulture);
            double int8 = times[2].Min;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.ToString(),-18} {F(times[0].Min),8} {F(times[1].Min),8} {F(int8),8} {F(ort.Min),8} {F(ortInt8.Min),8} {F(libtorch.Min),8} {R(times[0].Min / int8),9} {R(ort.Min / int8),8} {R(ortInt8.Min / int8),9} {R(times[0].Min / times[1].Min),9} {runs.BFloat16Error,9:E2} {runs.Int8Error,9:E2} {runs.Int8PeerError,9:E2}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"  median",-18} {F(times[0].Median),8} {F(times[1].Median),8} {F(times[2].Median),8} {F(ort.Median),8} {F(ortInt8.Median),8} {F(libtorch.Median),8}"));
            // In the order of PrecisionFirstCalls.Paths, in ms.
            timed.Add(new PrecisionFirstCalls.Timed(c,
                new[] { times[0].Min, times[1].Min, times[2].Min, ort.Min, ortInt8.Min, libtorch.Min }.Select(s => s * 1e3).ToArray(),
                new[] { null, null, null, onnxWrong, runs.Int8PeerWrong, torchWrong }));
        }
        // After the whole table, with every in-process model and peer of it disposed: the children have the machine.
        return self is null || PrecisionFirstCalls.Run(timed, threads, self) == 0 ? 0 : 1;
    }
}
