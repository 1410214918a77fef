using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;

namespace CodeGenLstm.PortabilityCheck;

/// <summary>
/// InferencePrecision's kernels on this machine: the int8 and bfloat16 recurrent terms (ReducedRecurrentWeights) at
/// every accelerated width against the scalar path (int8 bit for bit: its sums are exact integers; bfloat16 within
/// float32 rounding) and against a double-precision product of the float32 weights (within what each format's
/// rounding allows); then generated models' inference in Int8 and BFloat16 against their own float32 inference and
/// against their scalar twins. Each comparison reports worst |difference| / bound (above 100 %: a mismatch).
/// </summary>
internal static class ReducedPrecisionCheck
{
    // Rows not a multiple of 4, columns below, across and not a multiple of 16 and 32 bytes, batches around the 4 x 4 block.
    private static readonly (int Gates, int Hidden, int Batch)[] Shapes = [(4, 37, 5), (3, 70, 3), (1, 16, 1), (4, 33, 6), (3, 100, 2)];

    // Whole models: inference in a reduced precision against the same model's float32 inference. These bounds are
    // empirical, not derived: the worst differences measured over the catalogue were 6.6e-4 (int8) and 2.7e-4
    // (bfloat16) on x64, and the bounds leave a factor of about four to eight, so that a wrong product (a weight off by
    // 0.05 under --perturb, a lost row, a wrong scale) fails while the formats' own rounding passes. Against the scalar
    // twin in the same precision: the recurrent terms are the same (int8: the same bits), so only float32 rounding of
    // the rest differs (measured at most 1e-7), plus, rarely, one int8 level of h flipped by it.
    public const double Int8ModelBound = 5e-3, BFloat16ModelBound = 1e-3, TwinBound = 1e-4;

    /// <summary>The int8 path the kernels must take here: ARM64 sdot where the CPU has it, else NEON's widening multiply.</summary>
    public static string ExpectedInt8Path(string kernels)
    {
        if (kernels == "Scalar") return "Scalar";
        if (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported) return System.Runtime.Intrinsics.Arm.Dp.IsSupported ? "Dp" : "AdvSimd";
        return ReducedRecurrentWeights.Int8Path(Simd.ActiveWidth);  // x64: checked against the CPU by the unit tests
    }

    public static IEnumerable<int> Widths() =>
        new[] { (512, Vector512.IsHardwareAccelerated), (256, Vector256.IsHardwareAccelerated), (128, Vector128.IsHardwareAccelerated) }
            .Where(w => w.Item2).Select(w => w.Item1);

    /// <summary>The kernels alone; returns one line per width and precision for the log, and adds failures through <paramref name="fail"/>.</summary>
    public static List<string> CheckKernels(Action<string> fail, Action count)
    {
        var lines = new List<string>();
        foreach (int width in Widths().Append(0))
        {
            double int8Exact = 0, int8Twin = 0, bf16Exact = 0, bf16Twin = 0;
            foreach (var (gates, hidden, batch) in Shapes)
            {
                var random = new Random(gates * 1000 + hidden * 10 + batch);
                float bound = 1f / MathF.Sqrt(hidden);
                float[] w = Enumerable.Range(0, gates * hidden * hidden).Select(_ => (float)(random.NextDouble() * 2 - 1) * bound).ToArray();
                float[] h = Enumerable.Range(0, batch * hidden).Select(_ => (float)(random.NextDouble() * 1.6 - 0.8)).ToArray();
                float[] c = Enumerable.Range(0, batch * gates * hidden).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                // The extremes: every row holds +-its largest magnitude (int8 levels 127 and -127), every state +-its largest and 0.
                for (int r = 0; r < gates * hidden; r++) { w[r * hidden] = bound; w[r * hidden + hidden - 1] = -bound; }
                for (int b = 0; b < batch; b++) { h[b * hidden] = 0.8f; h[b * hidden + hidden / 2] = -0.8f; h[b * hidden + hidden - 1] = 0f; }
                int rows = gates * hidden;
                foreach (InferencePrecision precision in new[] { InferencePrecision.Int8, InferencePrecision.BFloat16 })
                {
                    var reduced = new ReducedRecurrentWeights();
                    reduced.Prepare(precision, rows, hidden);
                    reduced.Build(precision, w, 0, 1);
                    reduced.Record(1, precision);
                    float[] actual = (float[])c.Clone(), scalar = (float[])c.Clone();
                    reduced.AddRecurrentTerm(precision, width, h, default, actual, rows, 0, batch, 0, hidden);
                    reduced.AddRecurrentTerm(precision, 0, h, default, scalar, rows, 0, batch, 0, hidden);
                    for (int b = 0; b < batch; b++)
                    {
                        double hScale = Enumerable.Range(0, hidden).Max(k => Math.Abs((double)h[b * hidden + k])) / 127;
                        for (int r = 0; r < rows; r++)
                        {
                            int at = b * rows + r;
                            double wScale = Enumerable.Range(0, hidden).Max(k => Math.Abs((double)w[r * hidden + k])) / 127;
                            double sum = c[at], magnitude = Math.Abs(c[at]), allowed = 0;
                            for (int k = 0; k < hidden; k++)
                            {
                                double wk = w[r * hidden + k], xk = h[b * hidden + k];
                                sum += wk * xk;
                                magnitude += Math.Abs(wk * xk);
                                // int8: rounding w and h each to the nearest level (see ReducedKernelTests).
                                allowed += Math.Abs(wk) * hScale / 2 + Math.Abs(xk) * wScale / 2 + wScale * hScale / 4;
                            }
                            double floatRounding = (hidden + 2) * Math.Pow(2, -24) * magnitude;
                            double error = Math.Abs(actual[at] - sum), twin = Math.Abs(actual[at] - scalar[at]);
                            if (precision == InferencePrecision.Int8)
                            {
                                int8Exact = Math.Max(int8Exact, error / (allowed + floatRounding));
                                if (BitConverter.SingleToInt32Bits(actual[at]) != BitConverter.SingleToInt32Bits(scalar[at]))
                                    int8Twin = double.PositiveInfinity;
                            }
                            else
                            {
                                // bfloat16 keeps 8 significant bits: each weight moves by at most 2^-9 of itself.
                                bf16Exact = Math.Max(bf16Exact, error / (Math.Pow(2, -9) * magnitude + floatRounding));
                                bf16Twin = Math.Max(bf16Twin, twin / (2 * floatRounding + 1e-30));
                            }
                        }
                    }
                }
            }
            string path = ReducedRecurrentWeights.Int8Path(width);
            foreach ((string what, double ratio) in new[] { ("int8 against the exact product", int8Exact), ("int8 against the scalar path (bits)", int8Twin),
                                                             ("bfloat16 against the exact product", bf16Exact), ("bfloat16 against the scalar path", bf16Twin) })
            {
                count();
                if (!(ratio <= 1)) fail($"reduced kernels at width {width} ({path}): {what}, worst |difference| / bound {ratio:0.###}");
            }
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"reduced kernels, width {width} (int8 path {path}), {Shapes.Length} shapes, worst |difference| / bound: int8 vs exact {int8Exact * 100:0.#}%, int8 vs scalar path {(int8Twin == 0 ? "same bits" : "DIFFERENT BITS")}, bfloat16 vs exact {bf16Exact * 100:0.#}%, bfloat16 vs scalar path {bf16Twin * 100:0.#}%"));
        }
        return lines;
    }
}
