using System;
using System.Linq;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The reduced-precision recurrent term (InferencePrecision): bfloat16 rounding checked bit by bit by hand, each
/// kernel against a double-precision dot product within the error its format allows, and every vector path against
/// the scalar reference (int8 exactly, since its sums are integers; bfloat16 within float32 rounding).
/// CI runs these again under DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0; the int8
/// widening paths without VNNI run under DOTNET_EnableAVXVNNI=0 (AVX-512BW at width 512, AVX2 at 256). The int8 tests
/// call the kernels at every accelerated width, so that each path this machine has runs in one process.
/// </summary>
[Trait("Category", "Numerical")]
public class ReducedKernelTests
{
    [Theory]
    [InlineData(0x3F800000u, 0x3F80)]  // 1: exact
    [InlineData(0x3F808000u, 0x3F80)]  // 1 + 2^-8, halfway: to even (down)
    [InlineData(0x3F818000u, 0x3F82)]  // 1 + 3 * 2^-8, halfway: to even (up)
    [InlineData(0x3F808001u, 0x3F81)]  // just above halfway: up
    [InlineData(0x3F807FFFu, 0x3F80)]  // just below halfway: down
    [InlineData(0xBF818000u, 0xBF82)]  // negative, halfway: to even, by magnitude
    [InlineData(0x7F7FFFFFu, 0x7F80)]  // the largest float rounds to infinity, as IEEE rounding to nearest does
    [InlineData(0x00000001u, 0x0000)]  // the smallest subnormal rounds to zero
    [InlineData(0xFF800000u, 0xFF80)]  // -infinity stays
    public void BFloat16RoundsToNearestEven(uint bits, int expected)
    {
        Assert.Equal((ushort)expected, ReducedKernels.ToBFloat16(BitConverter.UInt32BitsToSingle(bits)));
    }

    [Fact]
    public void BFloat16KeepsNaNANaN()
    {
        // 0x7F80_0001: a NaN whose payload is in the low bits only; truncating would give infinity.
        ushort b = ReducedKernels.ToBFloat16(BitConverter.UInt32BitsToSingle(0x7F800001u));
        Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle((uint)b << 16)));
    }

    // Sizes with tails of every kind: columns not a multiple of 8, 16, 32; rows not a multiple of 4; several sequences.
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 4, 256, 1 }, { 4, 1024, 1 }, { 3, 37, 5 }, { 1, 70, 3 }, { 4, 33, 16 }, { 3, 100, 2 },
    };

    // Every batch from 1 to 13: each way the register blocks split it (6, 4, 2 and 1 sequences at 512 bits; 2 and 1 at
    // 256 and 128), with 1 to 4 gates, hidden sizes that end inside a panel of 16 units, and odd ones (a last column alone).
    public static TheoryData<int, int, int> BlockShapes()
    {
        var shapes = new TheoryData<int, int, int>();
        int[] gates = { 4, 3, 1, 2 }, hidden = { 16, 37, 21, 48, 33 };
        for (int batch = 1; batch <= 13; batch++) shapes.Add(gates[batch % 4], hidden[batch % 5], batch);
        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    [MemberData(nameof(BlockShapes))]
    public void BFloat16TermIsTheDotProductOfTheRoundedWeights(int gates, int hidden, int batch)
    {
        var (weights, h, c) = Problem(gates, hidden, batch, seed: hidden + gates);
        foreach (int width in new[] { 0, Simd.ActiveWidth })
        {
            var reduced = Build(InferencePrecision.BFloat16, weights, gates, hidden);
            float[] actual = (float[])c.Clone();
            reduced.AddRecurrentTerm(InferencePrecision.BFloat16, width, h, default, actual, gates * hidden, 0, batch, 0, hidden);
            for (int b = 0; b < batch; b++)
                for (int r = 0; r < gates * hidden; r++)
                {
                    // The weights rounded to bfloat16 independently of the kernel: the nearest of the two bfloat16
                    // neighbours (truncated, and one up), ties to the even one.
                    double sum = c[b * gates * hidden + r], magnitude = 0;
                    for (int k = 0; k < hidden; k++)
                    {
                        double w = NearestBFloat16(weights[r * hidden + k]);
                        sum += w * h[b * hidden + k];
                        magnitude += Math.Abs(w * h[b * hidden + k]);
                    }
                    // float32 sums of `hidden` terms: at most hidden * 2^-24 of the sum of magnitudes (plus the start).
                    double allowed = (hidden + 2) * Math.Pow(2, -24) * (magnitude + Math.Abs(c[b * gates * hidden + r]));
                    double error = Math.Abs(actual[b * gates * hidden + r] - sum);
                    Assert.True(error <= allowed, $"width {width}, b {b}, row {r}: {actual[b * gates * hidden + r]} against {sum}, error {error:E2} > {allowed:E2}");
                }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8TermIsWithinTheQuantizationErrorOfTheExactDotProduct(int gates, int hidden, int batch)
    {
        var (weights, h, c) = Problem(gates, hidden, batch, seed: 3 * hidden + gates);
        float[] bias = Enumerable.Range(0, gates * hidden).Select(i => 0.01f * (i % 7)).ToArray();
        var reduced = Build(InferencePrecision.Int8, weights, gates, hidden);
        float[] actual = (float[])c.Clone();
        reduced.AddRecurrentTerm(InferencePrecision.Int8, Simd.ActiveWidth, h, bias, actual, gates * hidden, 0, batch, 0, hidden);
        for (int b = 0; b < batch; b++)
        {
            double hScale = Enumerable.Range(0, hidden).Max(k => Math.Abs((double)h[b * hidden + k])) / 127;
            for (int r = 0; r < gates * hidden; r++)
            {
                double wScale = Enumerable.Range(0, hidden).Max(k => Math.Abs((double)weights[r * hidden + k])) / 127;
                double sum = bias[r], allowed = 1e-5;
                for (int k = 0; k < hidden; k++)
                {
                    double w = weights[r * hidden + k], x = h[b * hidden + k];
                    sum += w * x;
                    // Rounding each to the nearest level moves w by at most wScale / 2 and x by hScale / 2:
                    // |w x - w' x'| <= |w| hScale / 2 + |x| wScale / 2 + wScale hScale / 4.
                    allowed += Math.Abs(w) * hScale / 2 + Math.Abs(x) * wScale / 2 + wScale * hScale / 4;
                }
                double error = Math.Abs(actual[b * gates * hidden + r] - sum);
                Assert.True(error <= allowed, $"b {b}, row {r}: {actual[b * gates * hidden + r]} against {sum}, error {error:E2} > {allowed:E2}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    [MemberData(nameof(BlockShapes))]
    public void Int8VectorPathGivesTheScalarPathsBits(int gates, int hidden, int batch)
    {
        var (weights, h, c) = Problem(gates, hidden, batch, seed: 5 * hidden + gates);
        var reduced = Build(InferencePrecision.Int8, weights, gates, hidden);
        float[] scalar = (float[])c.Clone(), vector = (float[])c.Clone();
        reduced.AddRecurrentTerm(InferencePrecision.Int8, 0, h, default, scalar, gates * hidden, 0, batch, 0, hidden);
        reduced.AddRecurrentTerm(InferencePrecision.Int8, Simd.ActiveWidth, h, default, vector, gates * hidden, 0, batch, 0, hidden);
        Assert.Equal(scalar, vector);
    }

    [Fact]
    public void Int8PathIsTheOneTheMachineAndEnvironmentAllow()
    {
        // AVX-VNNI needs AVX2: DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 leave the scalar path. AVX-512BW only
        // at width 512 (DOTNET_EnableAVX512=0 makes the width 256), and only where AVX-VNNI is absent.
        string path = ReducedKernels.Int8Path(Simd.ActiveWidth);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0" || Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
            Assert.Equal("Scalar", path);
        else if (System.Runtime.Intrinsics.X86.AvxVnni.IsSupported)
            Assert.Equal("AvxVnni", path);
        else if (Simd.ActiveWidth == 512 && System.Runtime.Intrinsics.X86.Avx512BW.IsSupported)
            Assert.Equal("Avx512BW", path);
        else if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            Assert.Equal("Avx2", path);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0") Assert.NotEqual("Avx512BW", path);
        Assert.NotEqual("Avx512BW", ReducedKernels.Int8Path(256));
        Assert.Equal("Scalar", ReducedKernels.Int8Path(0));
    }

    // Every width this process accelerates, and 0 (the scalar path): each names an int8 path (Int8Path), so together
    // they run every path the machine has (on Zen 4: Avx512BW at 512, Avx2 at 256 and 128).
    private static int[] Widths() =>
        new[] { (512, Vector512.IsHardwareAccelerated), (256, Vector256.IsHardwareAccelerated), (128, Vector128.IsHardwareAccelerated), (0, true) }
            .Where(w => w.Item2).Select(w => w.Item1).ToArray();

    // Strides of one, two and three 32-byte blocks (a 64-byte path has a 32-byte tail at 32 and 96), 1 to 4 rows.
    public static TheoryData<int, int> DotShapes => new() { { 32, 1 }, { 32, 4 }, { 64, 3 }, { 96, 4 }, { 96, 2 }, { 160, 4 } };

    [Theory]
    [MemberData(nameof(DotShapes))]
    public void Int8DotIsTheExactIntegerSumOnEveryPathAtTheExtremes(int stride, int rows)
    {
        // The byte ranges' corners: u in {0, 1, 128, 254, 255}, w in {-128, -127, 0, 126, 127}, in runs long enough that
        // a pair, a quadruple and a whole vector of largest products meet (where vpmaddubsw would saturate), and mixed.
        byte[] us = { 0, 1, 128, 254, 255 };
        sbyte[] ws = { -128, -127, 0, 126, 127 };
        var random = new Random(stride * 7 + rows);
        foreach (int pattern in Enumerable.Range(0, 6))
        {
            byte[] u = new byte[stride];
            sbyte[] w = new sbyte[rows * stride];
            for (int k = 0; k < stride; k++)
                u[k] = pattern switch { 0 => 255, 1 => 0, 2 => (byte)(k % 2 == 0 ? 255 : 1), _ => us[random.Next(us.Length)] };
            for (int i = 0; i < w.Length; i++)
                w[i] = pattern switch { 0 => (sbyte)(i / stride % 2 == 0 ? 127 : -128), 1 => -128, 2 => 127, 3 => ws[random.Next(ws.Length)], _ => (sbyte)random.Next(-128, 128) };
            int[] sums = new int[rows];
            long[] expected = new long[rows];
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < stride; k++)
                {
                    sums[r] += w[r * stride + k];
                    expected[r] += (long)u[k] * w[r * stride + k];
                }
            foreach (int width in Widths())
            {
                int[] dots = new int[rows];
                ReducedKernels.Dot(width, w, stride, rows, u, sums, dots);
                for (int r = 0; r < rows; r++)
                    Assert.True(expected[r] == dots[r], $"{ReducedKernels.Int8Path(width)} (width {width}), pattern {pattern}, row {r}: {dots[r]}, exact {expected[r]}");
            }
        }
    }

    // Rows of a share not a multiple of 4, columns not of 32 or 64, one to six sequences (the 4 x 4 block and its tail).
    public static TheoryData<int, int, int, int> AwkwardShapes => new()
    {
        { 4, 37, 5, 1 }, { 3, 70, 3, 0 }, { 4, 33, 6, 3 }, { 1, 65, 1, 2 }, { 3, 100, 4, 1 }, { 4, 130, 2, 0 }, { 2, 31, 3, 1 },
    };

    // The panel blocks: every batch from 1 to 13 (6, 4, 2 and 1 sequences at 512 bits, 2 and 1 at 256), 1 to 4 gates,
    // shares that start inside a panel of 16 units or at a panel's start, hidden sizes that end inside one, odd and even.
    public static TheoryData<int, int, int, int> BlockAwkwardShapes()
    {
        var shapes = new TheoryData<int, int, int, int>();
        int[] gates = { 4, 3, 1, 2 }, hidden = { 37, 16, 21, 50, 33 }, starts = { 0, 5, 16, 1 };
        for (int batch = 1; batch <= 13; batch++) shapes.Add(gates[batch % 4], hidden[batch % 5], batch, Math.Min(starts[batch % 4], hidden[batch % 5] - 1));
        return shapes;
    }

    [Theory]
    [MemberData(nameof(AwkwardShapes))]
    [MemberData(nameof(BlockAwkwardShapes))]
    public void Int8EveryPathGivesTheScalarPathsBitsAtTheExtremes(int gates, int hidden, int batch, int unitStart)
    {
        // Extreme levels: each weight row holds its largest magnitude with both signs (q = 127 and -127), each state its
        // largest with both signs and zeros (u = 255, 1 and 128); the rest random.
        var (weights, h, c) = Problem(gates, hidden, batch, seed: 13 * hidden + gates);
        for (int r = 0; r < gates * hidden; r++)
        {
            weights[r * hidden] = 0.5f;
            weights[r * hidden + hidden - 1] = -0.5f;
            for (int k = 1 + r % 3; k < hidden - 1; k += 5) weights[r * hidden + k] = k % 2 == 0 ? 0.5f : -0.5f;
        }
        float[] levels = { 0.9f, -0.9f, 0f };
        for (int b = 0; b < batch; b++)
            for (int k = b % 2; k < hidden; k += 3) h[b * hidden + k] = levels[(k + b) % 3];
        float[] bias = Enumerable.Range(0, gates * hidden).Select(i => 0.01f * (i % 7)).ToArray();
        var reduced = Build(InferencePrecision.Int8, weights, gates, hidden);
        float[] scalar = (float[])c.Clone();
        reduced.AddRecurrentTerm(InferencePrecision.Int8, 0, h, bias, scalar, gates * hidden, 0, batch, unitStart, hidden);
        foreach (int width in Widths())
        {
            float[] vector = (float[])c.Clone();
            reduced.AddRecurrentTerm(InferencePrecision.Int8, width, h, bias, vector, gates * hidden, 0, batch, unitStart, hidden);
            for (int i = 0; i < c.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(scalar[i]) == BitConverter.SingleToInt32Bits(vector[i]),
                    $"{ReducedKernels.Int8Path(width)} (width {width}), c[{i}]: {vector[i]:R}, scalar path {scalar[i]:R}");
        }
    }

    [Fact]
    public void StateQuantizationRoundsHalvesToEvenOnEveryPath()
    {
        // max |h| = 127, so h / scale = h: the halves are ties, rounded to even (0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> 0).
        float[] h = { 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 127f, -127f, 3.49f, 0f, 126.5f, -2.5f };
        byte[] expected = { 128, 130, 130, 128, 126, 255, 1, 131, 128, 254, 126, 128, 128 };  // then 2 columns of padding (q = 0)
        foreach (int width in new[] { 0, Simd.ActiveWidth })
        {
            byte[] q = new byte[h.Length + 2];
            Assert.Equal(1f, ReducedKernels.QuantizeState(h, q, width));
            Assert.Equal(expected, q);
        }
    }

    [Fact]
    public void AStateWithANaNGivesANaNScaleOnEveryPath()
    {
        float[] h = Enumerable.Range(0, 37).Select(i => 0.01f * i).ToArray();
        h[20] = float.NaN;
        foreach (int width in new[] { 0, Simd.ActiveWidth })
            Assert.True(float.IsNaN(ReducedKernels.QuantizeState(h, new byte[64], width)));
    }

    [Fact]
    public void AShareOfUnitsAndSequencesWritesOnlyItsShare()
    {
        // The parts of a call each take hidden units (every gate) or sequences: the rest of c is left alone.
        const int gates = 4, hidden = 40, batch = 3;
        var (weights, h, c) = Problem(gates, hidden, batch, seed: 11);
        foreach (InferencePrecision precision in new[] { InferencePrecision.BFloat16, InferencePrecision.Int8 })
        {
            var reduced = Build(precision, weights, gates, hidden);
            float[] whole = (float[])c.Clone(), share = (float[])c.Clone();
            reduced.AddRecurrentTerm(precision, Simd.ActiveWidth, h, default, whole, gates * hidden, 0, batch, 0, hidden);
            reduced.AddRecurrentTerm(precision, Simd.ActiveWidth, h, default, share, gates * hidden, 1, 3, 16, 32);
            for (int b = 0; b < batch; b++)
                for (int r = 0; r < gates * hidden; r++)
                {
                    int j = r % hidden, at = b * gates * hidden + r;
                    bool inside = b >= 1 && j >= 16 && j < 32;
                    Assert.Equal(inside ? whole[at] : c[at], share[at]);
                }
        }
    }

    [Fact]
    public void AStampIsStaleUntilRecordedAndAgainForAnotherVersionOrPrecision()
    {
        var reduced = new ReducedRecurrentWeights();
        Assert.True(reduced.IsStale(0, InferencePrecision.Int8));
        reduced.Record(4, InferencePrecision.Int8);
        Assert.False(reduced.IsStale(4, InferencePrecision.Int8));
        Assert.True(reduced.IsStale(5, InferencePrecision.Int8));
        Assert.True(reduced.IsStale(4, InferencePrecision.BFloat16));
    }

    private static ReducedRecurrentWeights Build(InferencePrecision precision, float[] weights, int gates, int hidden)
    {
        var reduced = new ReducedRecurrentWeights();
        reduced.Prepare(precision, gates * hidden, hidden);
        for (int part = 0; part < 3; part++) reduced.Build(precision, weights, part, 3);  // in three shares, as three parts would
        reduced.Record(1, precision);
        return reduced;
    }

    // Weights as PyTorch initialises W_hh (uniform +-1/sqrt(H)), h in (-1, 1) as an LSTM's, c the input projection.
    private static (float[] Weights, float[] H, float[] C) Problem(int gates, int hidden, int batch, int seed)
    {
        var random = new Random(seed);
        float bound = 1f / MathF.Sqrt(hidden);
        float[] weights = Enumerable.Range(0, gates * hidden * hidden).Select(_ => (float)(random.NextDouble() * 2 - 1) * bound).ToArray();
        float[] h = Enumerable.Range(0, batch * hidden).Select(_ => (float)(random.NextDouble() * 1.6 - 0.8)).ToArray();
        float[] c = Enumerable.Range(0, batch * gates * hidden).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return (weights, h, c);
    }

    private static double NearestBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        float down = BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);
        float up = BitConverter.UInt32BitsToSingle((bits & 0xFFFF0000u) + 0x10000u);
        double dDown = Math.Abs((double)value - down), dUp = Math.Abs((double)up - value);
        if (dDown != dUp) return dDown < dUp ? down : up;
        return ((bits >> 16) & 1u) == 0 ? down : up;
    }
}
