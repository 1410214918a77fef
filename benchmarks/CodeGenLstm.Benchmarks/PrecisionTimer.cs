using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CodeGenLstm.Benchmarks;

/// <summary>
/// --precision [--seconds S]: inference of the LSTM rows H = 256 and 1024 at B = 1 and 16 with the recurrent weights in
/// float32, bfloat16 and int8 (InferencePrecision), beside ONNX Runtime's float32 LSTM as the grid runs it; least and
/// median times of a Stopwatch loop, as --dev. Before timing, each reduced precision's largest output error against
/// our float32 is printed, and ONNX Runtime's output is checked against ours (a peer that disagrees is not timed).
/// Timings from a busy machine are indications only.
/// </summary>
public static class PrecisionTimer
{
    private static readonly InferencePrecision[] s_precisions = { InferencePrecision.Float32, InferencePrecision.BFloat16, InferencePrecision.Int8 };

    /// <summary>The cases of the precision table among <paramref name="selected"/> (what --only kept).</summary>
    public static IEnumerable<Case> Cases(IEnumerable<Case> selected) =>
        selected.Where(c => c.Cell == Cell.Lstm && c.Layers == 1 && c.Classes == 0 && (c.Hidden == 256 || c.Hidden == 1024) && (c.Batch == 1 || c.Batch == 16));

    public static void Run(IEnumerable<Case> selected, int threads, double seconds)
    {
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"int8 dot products: {Generated.ReducedRecurrentWeights.Int8Path(Simd.ActiveWidth)}; vectors: {Simd.ActivePath}; threads: {threads}");
        Console.WriteLine($"{"case",-18} {"fp32 ms",9} {"bf16 ms",9} {"int8 ms",9} {"ORT ms",9} {"bf16 x",7} {"int8 x",7} {"int8/ORT",8} {"bf16 err",9} {"int8 err",9}   (least times; medians below)");
        foreach (Case c in Cases(selected))
        {
            var runs = s_precisions.Select(p =>
            {
                var ours = new Ours(c);
                ours.Model.InferencePrecision = p;
                ours.Inference();
                return (Precision: p, Ours: ours, Output: (float[])ours.Y.Clone());
            }).ToList();
            float[] float32 = runs[0].Output;
            double Error(int i) => float32.Zip(runs[i].Output, (a, b) => Math.Abs((double)a - b)).Max();

            using var onnx = new OnnxPeer(c, runs[0].Ours.Model, threads);
            string? onnxWrong = Agreement.Disagreement(float32, onnx.InferenceOutput(), 2e-4);
            if (onnxWrong is not null) Console.WriteLine($"{c}: ONNX Runtime disagrees with ours, not timed: {onnxWrong}");

            var times = runs.Select(r => DevTimer.Time(r.Ours.Inference, seconds)).ToList();
            var ort = onnxWrong is null ? DevTimer.Time(onnx.Inference, seconds) : (Min: double.NaN, Median: double.NaN);
            string F(double v) => (v * 1e3).ToString("F3", CultureInfo.InvariantCulture);
            string R(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.ToString(),-18} {F(times[0].Min),9} {F(times[1].Min),9} {F(times[2].Min),9} {F(ort.Min),9} {R(times[0].Min / times[1].Min),7} {R(times[0].Min / times[2].Min),7} {R(ort.Min / times[2].Min),8} {Error(1),9:E2} {Error(2),9:E2}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"  median",-18} {F(times[0].Median),9} {F(times[1].Median),9} {F(times[2].Median),9} {F(ort.Median),9}"));
        }
    }
}
