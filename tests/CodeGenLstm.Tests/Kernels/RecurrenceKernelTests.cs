using System;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The runtime's recurrent term (<see cref="RecurrenceKernels"/>) on its own: W_hh packed at each width, then
/// c = start + W_hh h for 1 to 13 sequences, with a one-gate (RNN), three-gate (GRU) and four-gate (LSTM) shape and
/// hidden sizes that are multiples of no vector width or of some only (so that units outside whole panels take the
/// scalar code beside the micro-kernels), from c or from a bias, on a row stride wider than the gates, on all units or
/// a thread's chunk. Each result is checked against the sum computed here in double, with a bound on float rounding,
/// and bit for bit against the same terms added here in float in order (fused where the process has FMA, for units
/// the micro-kernels compute; plain for the scalar code's), which pins the order of the multiply-adds; cells outside
/// the range must keep their values. A width the process does not accelerate runs the scalar code: CI reruns this
/// class under each vector path.
/// </summary>
[Trait("Category", "Numerical")]
public class RecurrenceKernelTests
{
    private static readonly int[] Widths = { 512, 256, 128, 0 };

    private readonly struct Shape<THidden, TGates> : IRecurrentShape
        where THidden : struct, IConstant
        where TGates : struct, IConstant
    {
        public static int Hidden => THidden.Value;
        public static int Gates => TGates.Value;
    }

    private readonly struct Three : IConstant { public static int Value => 3; }
    private readonly struct H5 : IConstant { public static int Value => 5; }
    private readonly struct H16 : IConstant { public static int Value => 16; }
    private readonly struct H37 : IConstant { public static int Value => 37; }
    private readonly struct H70 : IConstant { public static int Value => 70; }

    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int gates in new[] { 1, 3, 4 })
            foreach (int hidden in new[] { 1, 5, 16, 37, 70 })
                data.Add(gates, hidden);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AddsTheRecurrentTermOfEveryRowCountAtEveryWidth(int gates, int hidden) =>
        Run(gates, hidden, new Checks());

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PackingInPartsGivesThePanelsOfOneCall(int gates, int hidden) =>
        Run(gates, hidden, new PartChecks());

    [Fact]
    public void ShortSpansAndBadRangesAreRejectedBeforeAnythingIsWritten()
    {
        const int H = 5, G = 4 * H, batch = 3;
        float[] weights = Random(G * H, 1), packed = new float[G * H], h = Random(batch * H, 2), bias = Random(G, 3);
        RecurrenceKernels.Pack<Shape<H5, Four>>(Simd.ActiveWidth, weights, packed, 0, 1);
        void Call(float[] hh, float[] p, float[] w, float[] b, float[] c, int ldc, int r0, int r1, int u0, int u1) =>
            RecurrenceKernels.AddRecurrentTerm<Shape<H5, Four>>(Simd.ActiveWidth, hh, p, w, b, c, ldc, r0, r1, u0, u1);
        var cases = new (string What, Action<float[]> Call)[]
        {
            ("c one short", c => Call(h, packed, weights, bias, c.AsSpan(0, c.Length - 1).ToArray(), G, 0, batch, 0, H)),
            ("h one short", c => Call(h.AsSpan(0, batch * H - 1).ToArray(), packed, weights, bias, c, G, 0, batch, 0, H)),
            ("packed one short", c => Call(h, packed.AsSpan(1).ToArray(), weights, bias, c, G, 0, batch, 0, H)),
            ("weights one short", c => Call(h, packed, weights.AsSpan(1).ToArray(), bias, c, G, 0, batch, 0, H)),
            ("bias one short", c => Call(h, packed, weights, bias.AsSpan(1).ToArray(), c, G, 0, batch, 0, H)),
            ("row stride below the gates", c => Call(h, packed, weights, bias, c, G - 1, 0, batch, 0, H)),
            ("units past H", c => Call(h, packed, weights, bias, c, G, 0, batch, 0, H + 1)),
            ("negative first row", c => Call(h, packed, weights, bias, c, G, -1, batch, 0, H)),
        };
        foreach (var (what, call) in cases)
        {
            float[] c = Random(batch * G, 4), before = (float[])c.Clone();
            Assert.True(Throws(() => call(c)), what);
            Assert.Equal(before, c);
        }
        Assert.True(Throws(() => RecurrenceKernels.Pack<Shape<H5, Four>>(Simd.ActiveWidth, weights.AsSpan(1).ToArray(), packed, 0, 1)), "Pack: weights one short");
        Assert.True(Throws(() => RecurrenceKernels.Pack<Shape<H5, Four>>(Simd.ActiveWidth, weights, new float[G * H - 1], 0, 1)), "Pack: panels one short");
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    // From the test's numbers to the shape's type: the kernels take H and the gates as type arguments.
    private static void Run(int gates, int hidden, IShapeCheck check)
    {
        switch ((gates, hidden))
        {
            case (1, 1): check.Run<Shape<One, One>>(); break;
            case (1, 5): check.Run<Shape<H5, One>>(); break;
            case (1, 16): check.Run<Shape<H16, One>>(); break;
            case (1, 37): check.Run<Shape<H37, One>>(); break;
            case (1, 70): check.Run<Shape<H70, One>>(); break;
            case (3, 1): check.Run<Shape<One, Three>>(); break;
            case (3, 5): check.Run<Shape<H5, Three>>(); break;
            case (3, 16): check.Run<Shape<H16, Three>>(); break;
            case (3, 37): check.Run<Shape<H37, Three>>(); break;
            case (3, 70): check.Run<Shape<H70, Three>>(); break;
            case (4, 1): check.Run<Shape<One, Four>>(); break;
            case (4, 5): check.Run<Shape<H5, Four>>(); break;
            case (4, 16): check.Run<Shape<H16, Four>>(); break;
            case (4, 37): check.Run<Shape<H37, Four>>(); break;
            case (4, 70): check.Run<Shape<H70, Four>>(); break;
            default: throw new ArgumentOutOfRangeException(nameof(hidden));
        }
    }

    private interface IShapeCheck
    {
        void Run<TShape>() where TShape : struct, IRecurrentShape;
    }

    private sealed class Checks : IShapeCheck
    {
        public void Run<TShape>() where TShape : struct, IRecurrentShape
        {
            int H = TShape.Hidden, G = TShape.Gates * H, ldc = G + 3;
            float[] weights = Random(G * H, 10 + H), bias = Random(G, 20 + H);
            foreach (int width in Widths)
            {
                float[] packed = new float[G * H];
                Array.Fill(packed, float.NaN);  // a panel entry the packing left out would poison the sums
                RecurrenceKernels.Pack<TShape>(width, weights, packed, 0, 1);
                for (int rows = 1; rows <= 13; rows++)
                {
                    // All rows and units; then rows from the middle and, when H has two chunks of 64, the second chunk only.
                    CheckRange<TShape>(width, weights, packed, bias, ldc, rows, 0, rows, 0, H);
                    CheckRange<TShape>(width, weights, packed, default, ldc, rows + 3, 2, rows + 2, H > 64 ? 64 : 0, H);
                    CheckRange<TShape>(width, weights, packed, bias, ldc, rows + 3, 1, rows + 1, 0, Math.Min(H, 64));
                }
            }
        }
    }

    private static void CheckRange<TShape>(int width, float[] weights, float[] packed, float[]? bias, int ldc, int batch, int rowStart, int rowEnd, int unitStart, int unitEnd)
        where TShape : struct, IRecurrentShape
    {
        int H = TShape.Hidden, G = TShape.Gates * H;
        float[] h = Random(batch * H, 30 + batch), before = Random(batch * ldc, 40 + batch), c = (float[])before.Clone();
        RecurrenceKernels.AddRecurrentTerm<TShape>(width, h, packed, weights, bias, c, ldc, rowStart, rowEnd, unitStart, unitEnd);
        int vectorUnits = VectorUnits(width, TShape.Gates, H);
        bool fromBias = bias is not null && bias.Length > 0;
        string where = $"gates {TShape.Gates}, H {H}, width {width}, rows [{rowStart}, {rowEnd}), units [{unitStart}, {unitEnd}), {(fromBias ? "from the bias" : "from c")}";
        for (int b = 0; b < batch; b++)
            for (int column = 0; column < ldc; column++)
            {
                float got = c[b * ldc + column];
                int unit = column % H;
                if (b < rowStart || b >= rowEnd || column >= G || unit < unitStart || unit >= unitEnd)
                {
                    Assert.True(InOrderProducts.SameBits(got, before[b * ldc + column]), $"{where}: c[{b}, {column}] outside the range was written");
                    continue;
                }
                float start = fromBias ? bias![column] : before[b * ldc + column];
                double expected = start, scale = Math.Abs(expected);
                float inOrder = start;
                for (int k = 0; k < H; k++)
                {
                    float x = h[b * H + k], w = weights[column * H + k];
                    double term = (double)x * w;
                    expected += term;
                    scale += Math.Abs(term);
                    // Units in whole panels: the micro-kernels' multiply-adds; the others: the scalar code's product then sum.
                    inOrder = unit < vectorUnits ? InOrderProducts.MultiplyAdd(x, w, inOrder) : x * w + inOrder;
                }
                double error = Math.Abs(got - expected);
                Assert.True(error <= (H + 2) * Math.Pow(2, -24) * scale,
                    $"{where}: c[{b}, {column}] = {got}, expected {expected} (error {error:e2}, sum of |terms| {scale:g4})");
                Assert.True(InOrderProducts.SameBits(got, inOrder), $"{where}: c[{b}, {column}] = {got:R}, in-order terms {inOrder:R}");
            }
    }

    private sealed class PartChecks : IShapeCheck
    {
        public void Run<TShape>() where TShape : struct, IRecurrentShape
        {
            int H = TShape.Hidden, G = TShape.Gates * H;
            float[] weights = Random(G * H, 50 + H);
            foreach (int width in Widths)
            {
                float[] whole = new float[G * H], split = new float[G * H];
                RecurrenceKernels.Pack<TShape>(width, weights, whole, 0, 1);
                for (int part = 0; part < 3; part++) RecurrenceKernels.Pack<TShape>(width, weights, split, part, 3);
                Assert.Equal(whole, split);
                // Every whole panel holds W_hh where the layout says: panel u, step k, vector i, lane q.
                int lanes = Lanes(width), vectors = TShape.Gates == 1 ? 4 : TShape.Gates, units = lanes * (TShape.Gates == 1 ? 4 : 1);
                for (int u = 0; lanes > 0 && u < H / units; u++)
                    for (int k = 0; k < H; k++)
                        for (int i = 0; i < vectors; i++)
                            for (int q = 0; q < lanes; q++)
                            {
                                int row = TShape.Gates == 1 ? u * units + i * lanes + q : i * H + u * units + q;
                                Assert.Equal(weights[row * H + k], whole[((u * H + k) * vectors + i) * lanes + q]);
                            }
            }
        }
    }

    /// <summary>Floats per vector of a width the process accelerates, else 0 (the scalar code runs).</summary>
    private static int Lanes(int width) =>
        width == 512 && Vector512.IsHardwareAccelerated ? 16 :
        width == 256 && Vector256.IsHardwareAccelerated ? 8 :
        width == 128 && Vector128.IsHardwareAccelerated ? 4 : 0;

    /// <summary>The units in whole panels at this width: a vector of units per gate, or 4 vectors for a one-gate cell.</summary>
    private static int VectorUnits(int width, int gates, int hidden)
    {
        int lanes = Lanes(width);
        if (lanes == 0) return 0;
        int units = lanes * (gates == 1 ? 4 : 1);
        return hidden / units * units;
    }

    private static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
