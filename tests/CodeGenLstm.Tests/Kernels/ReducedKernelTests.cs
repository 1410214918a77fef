using System;
using System.Linq;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The reduced-precision recurrent term (InferencePrecision): bfloat16 rounding checked bit by bit by hand, each
/// kernel against a double-precision dot product within the error its format allows, and every vector path against
/// the scalar reference (int8 exactly, since its sums are integers; bfloat16 within float32 rounding).
/// CI runs these again under DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0; the int8
/// widening path without VNNI runs under DOTNET_EnableAVXVNNI=0.
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

    [Theory]
    [MemberData(nameof(Shapes))]
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
        // AVX-VNNI needs AVX2: DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 leave the scalar path.
        string path = ReducedKernels.Int8Path(Simd.ActiveWidth);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0" || Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
            Assert.Equal("Scalar", path);
        else if (Environment.GetEnvironmentVariable("DOTNET_EnableAVXVNNI") == "0" && System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            Assert.Equal("Avx2", path);
        else if (System.Runtime.Intrinsics.X86.AvxVnni.IsSupported)
            Assert.Equal("AvxVnni", path);
        Assert.Equal("Scalar", ReducedKernels.Int8Path(0));
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
