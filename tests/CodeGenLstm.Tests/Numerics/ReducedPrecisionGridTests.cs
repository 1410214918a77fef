using System;
using System.Collections.Generic;
using System.Linq;
using CodeGenLstm.Tests.Reference;
using Xunit.Abstractions;

namespace CodeGenLstm.Tests.Numerics;

// Every model kind of the benchmark grid (benchmarks/CodeGenLstm.Benchmarks/Models.cs), at the grid's sizes.
[Lstm(inputSize: 256, hiddenSize: 256)] public partial class ReducedGridLstm256;
[Gru(inputSize: 256, hiddenSize: 256)] public partial class ReducedGridGru256;
[Rnn(inputSize: 256, hiddenSize: 256)] public partial class ReducedGridRnn256;
[Lstm(inputSize: 256, hiddenSize: 256, layers: 2, bidirectional: true)] public partial class ReducedGridBiLstm256x2;

/// <summary>
/// Reduced-precision inference on the benchmark grid's model kinds, 64 steps as the grid runs them, against two
/// references: our float32 output, and the double-precision reference (Reference/) on the same float32 weights.
/// BFloat16 is also checked against the double-precision reference given the weights rounded to bfloat16 here: that
/// is exactly the model BFloat16 computes, so the two agree to float32's own rounding.
/// </summary>
[Trait("Category", "Numerical")]
public class ReducedPrecisionGridTests(ITestOutputHelper output)
{
    private const int Steps = 64;
    private const int Hidden = 256;

    // Our float32 output against the double reference, same weights: float32 arithmetic only. NumericalCheck's 2e-6
    // is for its small models; here every dot product has 512 terms and 64 steps feed each other, so allow 1e-5.
    private const double Float32Tolerance = 1e-5;

    private static (IFloatSequenceModel Model, RefCell Cell, string Name, int Layers, bool Bidirectional) Create(string kind) => kind switch
    {
        "LSTM" => (new ReducedGridLstm256(seed: 1), RefCell.Lstm, "lstm", 1, false),
        "GRU" => (new ReducedGridGru256(seed: 1), RefCell.Gru, "gru", 1, false),
        "RNN" => (new ReducedGridRnn256(seed: 1), RefCell.Rnn, "rnn", 1, false),
        "BiLSTM 2x" => (new ReducedGridBiLstm256x2(seed: 1), RefCell.Lstm, "lstm", 2, true),
        _ => throw new ArgumentException(kind),
    };

    // The bound, derived from the rounding of each weight (and, for int8, of the state), for the weights and states
    // of this very run:
    // - BFloat16 rounds each weight to 8 significant bits, to nearest: |dW| <= 2^-8 |W| (u = 2^-8: bfloat16's 7 stored
    //   bits and the implicit one; half a unit in the last place of a value in [1, 2) is 2^-8).
    // - Int8 gives row i the scale s_i = max_j |W_ij| / 127 and rounds to nearest: |dW_ij| <= s_i / 2 = max_j |W_ij| / 254.
    //   It quantizes the state h the same way, with its largest magnitude: |dh_j| <= max_j |h_j| / 254. And it does the
    //   same for the input projection: W_ih by rows, each step's input x(t) with its own largest magnitude.
    // A step's recurrent product W h then carries, in row i, the error sum_j dW_ij h_j (+ W_ij dh_j for int8): a sum of
    // independent rounding errors, each uniform within its bound d, of variance d^2 / 3; int8's input projection adds
    // sum_j (dWih_ij x_j)^2 / 3 + (Wih_ij dx_j)^2 / 3 to the same row. Its standard deviation at step t
    // is sigma_i(t) = sqrt(sum_j (d_ij h_j(t))^2 / 3) (int8 adds sum_j (W_ij d_h(t))^2 / 3), h(t) taken from the double
    // reference. A cell turns an error e in each gate row into at most 2e in h (RNN: tanh' <= 1; GRU: z' <= 1/4 times
    // |h_prev - n| <= 2, plus (1 - z) tanh' <= 1; LSTM: sigmoid' <= 1/4 on i, f, o times |g|, |c|, |tanh c|, plus i tanh' on g).
    // The state's own error is not amplified from one step to the next (every cell here contracts: gated paths by their
    // gates, the RNN by tanh' < 1 against the norm ~1.15 of W_hh at PyTorch's initialisation), so the errors of the steps,
    // of both directions and of both layers of a stack add as a random walk: variance sum over steps and layers of
    // (2 max_i sigma_i(t))^2. The largest of the outputs stays within 6 of those standard deviations (a chance of ~1e-9
    // for each output, were the errors normal), plus the float32 tolerance above.
    [Theory]
    [InlineData("LSTM", InferencePrecision.BFloat16, 1)]
    [InlineData("LSTM", InferencePrecision.Int8, 1)]
    [InlineData("LSTM", InferencePrecision.BFloat16, 4)]
    [InlineData("LSTM", InferencePrecision.Int8, 4)]
    [InlineData("GRU", InferencePrecision.BFloat16, 1)]
    [InlineData("GRU", InferencePrecision.Int8, 1)]
    [InlineData("GRU", InferencePrecision.BFloat16, 4)]
    [InlineData("GRU", InferencePrecision.Int8, 4)]
    [InlineData("RNN", InferencePrecision.BFloat16, 1)]
    [InlineData("RNN", InferencePrecision.Int8, 1)]
    [InlineData("RNN", InferencePrecision.BFloat16, 4)]
    [InlineData("RNN", InferencePrecision.Int8, 4)]
    [InlineData("BiLSTM 2x", InferencePrecision.BFloat16, 1)]
    [InlineData("BiLSTM 2x", InferencePrecision.Int8, 1)]
    [InlineData("BiLSTM 2x", InferencePrecision.BFloat16, 4)]
    [InlineData("BiLSTM 2x", InferencePrecision.Int8, 4)]
    public void LargestErrorStaysWithinTheDerivedBound(string kind, InferencePrecision precision, int batch)
    {
        var (model, cell, name, layers, bidirectional) = Create(kind);
        float[] x = NumericalCheck.RandomFloats(new Random(7), batch * Steps * Hidden, 1);   // the grid's inputs: uniform in (-1, 1)
        float[] float32 = Infer(model, x, batch);
        model.InferencePrecision = precision;
        float[] reduced = Infer(model, x, batch);

        var reference = new ReferenceModel(new RefRecurrent(cell, Hidden, Hidden, layers, bidirectional, Name: name));
        double[] p = reference.ParametersFrom(model.ExportParameters());
        double[] exact = reference.Forward(p, ReferenceMath.ToDouble(x), null, batch, Steps).Output;
        NumericalCheck.AssertClose("float32 against the double reference", float32, exact, Float32Tolerance);

        double againstFloat32 = Largest(reduced, float32), againstDouble = Largest(reduced, exact);
        double bound = 6 * Math.Sqrt(InjectedVariance(cell, name, layers, bidirectional, p, x, batch, precision)) + Float32Tolerance;
        output.WriteLine($"{kind} {precision} batch {batch}: largest |error| {againstFloat32:E2} against float32, {againstDouble:E2} against the double reference, "
                         + $"bound {bound:E2} (outputs up to {float32.Max(Math.Abs):F3}), kernels {model.KernelPath}, {Simd.ActivePath}");
        Assert.True(againstFloat32 > 0, "the reduced path did not run: the output is float32's to the bit");
        Assert.True(againstFloat32 <= bound, $"largest error against float32 {againstFloat32:E2} > {bound:E2}");
        Assert.True(againstDouble <= bound, $"largest error against the double reference {againstDouble:E2} > {bound:E2}");

        if (precision == InferencePrecision.BFloat16)
        {
            // The double reference on the weights rounded to bfloat16 (weight_hh only, as docs/api.md says): the model
            // BFloat16 computes, so only float32's rounding separates them.
            double[] rounded = (double[])p.Clone();
            foreach (RefTensor t in reference.Tensors.Where(t => t.Name.Contains(".weight_hh_", StringComparison.Ordinal)))
                for (int i = t.Offset; i < t.Offset + t.Length; i++) rounded[i] = ToBFloat16((float)p[i]);
            double[] bf16Model = reference.Forward(rounded, ReferenceMath.ToDouble(x), null, batch, Steps).Output;
            output.WriteLine($"  against the double reference on bfloat16 weights: largest |error| {Largest(reduced, bf16Model):E2}");
            NumericalCheck.AssertClose("bfloat16 against the double reference on bfloat16 weights", reduced, bf16Model, Float32Tolerance);
        }
    }

    private static float[] Infer(IFloatSequenceModel model, float[] x, int batch)
    {
        float[] y = new float[batch * Steps * model.OutputSize];
        model.Forward(x, batch, Steps, y);
        return y;
    }

    private static double Largest(float[] actual, float[] expected) => actual.Zip(expected, (a, b) => Math.Abs((double)a - b)).Max();
    private static double Largest(float[] actual, double[] expected) => actual.Zip(expected, (a, b) => Math.Abs(a - b)).Max();

    /// <summary>
    /// The variance of the output error the bound above derives: for every stacked layer and direction, every sequence's
    /// sum over steps of (2 max_i sigma_i(t))^2, the largest sequence's, summed over layers and directions.
    /// </summary>
    private static double InjectedVariance(RefCell cell, string name, int layers, bool bidirectional, double[] p, float[] x, int batch, InferencePrecision precision)
    {
        int directions = bidirectional ? 2 : 1, gates = cell switch { RefCell.Lstm => 4, RefCell.Gru => 3, _ => 1 };
        var full = new ReferenceModel(new RefRecurrent(cell, Hidden, Hidden, layers, bidirectional, Name: name));
        double[] input = ReferenceMath.ToDouble(x);
        double total = 0;
        for (int k = 0; k < layers; k++)
        {
            // This layer alone, in double: its tensors are contiguous in the stack's parameter vector, in the same order.
            int inputSize = k == 0 ? Hidden : directions * Hidden;
            var single = new ReferenceModel(new RefRecurrent(cell, inputSize, Hidden, 1, bidirectional, Name: name));
            int start = full.Tensor($"{name}.weight_ih_l{k}").Offset;
            double[] h = single.Forward(p[start..(start + single.ParameterCount)], input, null, batch, Steps).Output;
            for (int d = 0; d < directions; d++)
            {
                RefTensor hh = full.Tensor($"{name}.weight_hh_l{k}{(d == 0 ? "" : "_reverse")}");
                RefTensor ih = full.Tensor($"{name}.weight_ih_l{k}{(d == 0 ? "" : "_reverse")}");
                double largest = 0;
                for (int b = 0; b < batch; b++)
                {
                    double sum = 0;
                    for (int t = 0; t < Steps; t++)
                    {
                        // The state this direction multiplied by W_hh at some step (taking every step's h covers them all).
                        ReadOnlySpan<double> state = h.AsSpan(((b * Steps) + t) * directions * Hidden + d * Hidden, Hidden);
                        double stateMax = 0;
                        foreach (double v in state) stateMax = Math.Max(stateMax, Math.Abs(v));
                        // The input of step t, whose int8 projection error enters the gate rows of step t.
                        ReadOnlySpan<double> inputRow = input.AsSpan(((b * Steps) + t) * inputSize, inputSize);
                        double inputMax = 0;
                        foreach (double v in inputRow) inputMax = Math.Max(inputMax, Math.Abs(v));
                        double worstRow = 0;
                        for (int i = 0; i < gates * Hidden; i++)
                        {
                            ReadOnlySpan<double> row = p.AsSpan(hh.Offset + i * Hidden, Hidden);
                            double rowMax = 0;
                            foreach (double w in row) rowMax = Math.Max(rowMax, Math.Abs(w));
                            double variance = 0;
                            for (int j = 0; j < Hidden; j++)
                            {
                                double dw = precision == InferencePrecision.BFloat16 ? Math.Abs(row[j]) / 256 : rowMax / 254;
                                variance += dw * dw * state[j] * state[j];
                                if (precision == InferencePrecision.Int8)
                                {
                                    double dh = stateMax / 254;
                                    variance += row[j] * row[j] * dh * dh;
                                }
                            }
                            if (precision == InferencePrecision.Int8)
                            {
                                ReadOnlySpan<double> rowIh = p.AsSpan(ih.Offset + i * inputSize, inputSize);
                                double rowIhMax = 0;
                                foreach (double w in rowIh) rowIhMax = Math.Max(rowIhMax, Math.Abs(w));
                                double dw = rowIhMax / 254, dx = inputMax / 254;
                                for (int j = 0; j < inputSize; j++)
                                    variance += dw * dw * inputRow[j] * inputRow[j] + rowIh[j] * rowIh[j] * dx * dx;
                            }
                            worstRow = Math.Max(worstRow, variance / 3);
                        }
                        sum += 4 * worstRow;   // (2 sigma)^2
                    }
                    largest = Math.Max(largest, sum);
                }
                total += largest;
            }
            input = h;
        }
        return total;
    }

    /// <summary>
    /// The bfloat16 nearest to <paramref name="value"/> (ties to the even one), as a double: the two bfloat16 values
    /// around it are its float32 bits with the low 16 cleared, and that plus one bfloat16 step.
    /// </summary>
    private static double ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint down = bits & 0xFFFF0000u, up = down + 0x10000u;
        double below = BitConverter.UInt32BitsToSingle(down), above = BitConverter.UInt32BitsToSingle(up);
        double toBelow = Math.Abs(value - below), toAbove = Math.Abs(above - value);
        if (toBelow != toAbove) return toBelow < toAbove ? below : above;
        return (down & 0x10000u) == 0 ? below : above;
    }
}
