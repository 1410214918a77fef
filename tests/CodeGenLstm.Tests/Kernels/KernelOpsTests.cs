using System;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The vector operations generated cell kernels are written in (<see cref="IKernelOps{TVec}"/>), at every width (a
/// width the CPU lacks runs in software, so every width is checked on every machine): each operation lane by lane
/// against float arithmetic done here, loads and stores at their offsets and nowhere else, and a body written once
/// over the operations against the same body written with the vector type, bit for bit; and the training kernels' half
/// (<see cref="IVectorOps{TVec, TDbl}"/>, implemented by the same structs) lane by lane, with its span loads and stores
/// checked against their spans' ends.
/// </summary>
[Trait("Category", "Numerical")]
public class KernelOpsTests
{
    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float)(random.NextDouble() * 8 - 4);
        return values;
    }

    private static float[] Lanes<TOps, TVec>(TVec value)
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        var lanes = new float[TOps.Count];
        TOps.Store(value, ref lanes[0], 0);
        return lanes;
    }

    private static void CountLoadAndStore<TOps, TVec>(int lanes)
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        Assert.Equal(lanes, TOps.Count);
        float[] source = Values(3 * lanes, 1);
        float[] destination = new float[3 * lanes];
        destination.AsSpan().Fill(-99f);
        TOps.Store(TOps.Load(ref source[0], lanes + 1), ref destination[0], 2);
        for (int i = 0; i < destination.Length; i++)
            Assert.Equal(i >= 2 && i < 2 + lanes ? source[i - 2 + lanes + 1] : -99f, destination[i]);
        Assert.All(Lanes<TOps, TVec>(TOps.Zero), x => Assert.Equal(0f, x));
        Assert.All(Lanes<TOps, TVec>(TOps.One), x => Assert.Equal(1f, x));
        Assert.All(Lanes<TOps, TVec>(TOps.Create(-2.5f)), x => Assert.Equal(-2.5f, x));
    }

    private static void Arithmetic<TOps, TVec>()
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        int n = TOps.Count;
        float[] a = Values(n, 2), b = Values(n, 3), c = Values(n, 4);
        a[0] = 0f;
        b[1] = -b[1];
        if (n > 2) a[2] = float.NaN;  // WherePositive: NaN > 0 is false
        TVec va = TOps.Load(ref a[0], 0), vb = TOps.Load(ref b[0], 0), vc = TOps.Load(ref c[0], 0);
        float[] sum = Lanes<TOps, TVec>(TOps.Add(va, vb)), difference = Lanes<TOps, TVec>(TOps.Subtract(va, vb));
        float[] product = Lanes<TOps, TVec>(TOps.Multiply(va, vb)), fused = Lanes<TOps, TVec>(TOps.MultiplyAdd(va, vb, vc));
        float[] max = Lanes<TOps, TVec>(TOps.Max(va, vb)), positive = Lanes<TOps, TVec>(TOps.WherePositive(va, vb));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(a[i] + b[i], sum[i]);
            Assert.Equal(a[i] - b[i], difference[i]);
            Assert.Equal(a[i] * b[i], product[i]);
            // MultiplyAddEstimate: fused where the hardware has FMA, a multiply then an add where not.
            float exact = MathF.FusedMultiplyAdd(a[i], b[i], c[i]), rounded = a[i] * b[i] + c[i];
            Assert.True(fused[i].Equals(exact) || fused[i].Equals(rounded), $"lane {i}: {fused[i]} is neither {exact} nor {rounded}");
            if (!float.IsNaN(a[i])) Assert.Equal(MathF.Max(a[i], b[i]), max[i]);
            Assert.Equal(a[i] > 0f ? b[i] : 0f, positive[i]);
        }
        float[] whole = new float[n];
        for (int i = 0; i < n; i++) whole[i] = i + 1;   // small integers: the sum is exact in any order
        Assert.Equal(n * (n + 1) / 2f, TOps.Sum(TOps.Load(ref whole[0], 0)));
    }

    private static void Activations<TOps, TVec>()
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        int n = TOps.Count;
        float[] x = Values(64 * n, 5);
        for (int i = 0; i < x.Length; i += n)
        {
            float[] tanh = Lanes<TOps, TVec>(TOps.FastTanh(TOps.Load(ref x[0], i)));
            float[] sigmoid = Lanes<TOps, TVec>(TOps.FastSigmoid(TOps.Load(ref x[0], i)));
            for (int q = 0; q < n; q++)
            {
                // The documented bounds without fused multiply-add (SharedKernels.Activations.cs), which hold with it too.
                Assert.InRange(Math.Abs(tanh[q] - Math.Tanh(x[i + q])), 0, 4.2e-7);
                Assert.InRange(Math.Abs(sigmoid[q] - 1 / (1 + Math.Exp(-x[i + q]))), 0, 2.3e-7);
            }
        }
    }

    private static void TrainingArithmetic<TOps, TVec, TDbl>()
        where TOps : struct, IVectorOps<TVec, TDbl>
        where TVec : struct
        where TDbl : struct
    {
        int n = TOps.Count;
        float[] a = Values(n, 9), b = Values(n, 10);
        b[0] = 0f;                               // a / 0 is an infinity
        a[n - 1] = -a[n - 1] - 5f;               // below the clamp's lower bound
        TVec va = TOps.Load(a, 0), vb = TOps.Load(b, 0);
        float[] quotient = Lanes<TOps, TVec>(TOps.Divide(va, vb)), root = Lanes<TOps, TVec>(TOps.Sqrt(TOps.Abs(va)));
        float[] magnitude = Lanes<TOps, TVec>(TOps.Abs(va)), clamped = Lanes<TOps, TVec>(TOps.Clamp(va, TOps.Create(-1.5f), TOps.Create(2f)));
        float[] exp = Lanes<TOps, TVec>(TOps.Exp(va));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(a[i] / b[i], quotient[i]);
            Assert.Equal(MathF.Sqrt(MathF.Abs(a[i])), root[i]);
            Assert.Equal(MathF.Abs(a[i]), magnitude[i]);
            Assert.Equal(Math.Clamp(a[i], -1.5f, 2f), clamped[i]);
            Assert.InRange(Math.Abs(exp[i] - Math.Exp(a[i])), 0, 4e-7 * Math.Exp(a[i]));
        }
        float largest = float.NegativeInfinity;
        foreach (float v in a) largest = MathF.Max(largest, v);
        Assert.Equal(largest, TOps.MaxAcross(va));
        for (int at = 0; at < n; at++)
        {
            float[] withNaN = (float[])a.Clone();
            withNaN[at] = float.NaN;
            Assert.True(float.IsNaN(TOps.MaxAcross(TOps.Load(withNaN, 0))), $"a NaN in lane {at} is lost");
        }
        // Squares of floats are exact in double, and these few sums of them too.
        double expected = 0;
        foreach (float v in a) expected += (double)v * v;
        TDbl low = TOps.ZeroDouble, high = TOps.ZeroDouble;
        TOps.AddSquares(va, ref low, ref high);
        Assert.Equal(expected, TOps.SumDouble(low, high), 12);
    }

    private static void SpanLoadAndStore<TOps, TVec, TDbl>()
        where TOps : struct, IVectorOps<TVec, TDbl>
        where TVec : struct
        where TDbl : struct
    {
        int n = TOps.Count;
        float[] source = Values(2 * n, 11), destination = new float[2 * n];
        TOps.Store(TOps.Load(source, n - 1), destination, 1);
        for (int i = 0; i < destination.Length; i++)
            Assert.Equal(i >= 1 && i < 1 + n ? source[i - 1 + n - 1] : 0f, destination[i]);
        Assert.ThrowsAny<ArgumentException>(() => TOps.Load(source, n + 1));
        Assert.ThrowsAny<ArgumentException>(() => TOps.Store(TOps.Zero, destination, n + 1));
    }

    // A cell-like body written once over the operations, as the generated kernels are ...
    private static float[] GenericBody<TOps, TVec>(float[] a, float[] b, float[] c)
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        var y = new float[a.Length];
        for (int j = 0; j + TOps.Count <= a.Length; j += TOps.Count)
        {
            TVec gate = TOps.FastSigmoid(TOps.Load(ref a[0], j));
            TVec candidate = TOps.FastTanh(TOps.Load(ref b[0], j));
            TVec cell = TOps.MultiplyAdd(gate, TOps.Load(ref c[0], j), TOps.Multiply(TOps.Subtract(TOps.One, gate), candidate));
            TOps.Store(TOps.Add(TOps.WherePositive(cell, TOps.FastTanh(cell)), TOps.Create(0.25f)), ref y[0], j);
        }
        return y;
    }

    // ... and the same body written with each vector type, as the generator wrote them before.
    private static float[] Body512(float[] a, float[] b, float[] c)
    {
        var y = new float[a.Length];
        for (int j = 0; j + 16 <= a.Length; j += 16)
        {
            Vector512<float> gate = SharedKernels.FastSigmoid(Vector512.LoadUnsafe(ref a[0], (nuint)j));
            Vector512<float> candidate = SharedKernels.FastTanh(Vector512.LoadUnsafe(ref b[0], (nuint)j));
            Vector512<float> cell = Vector512.MultiplyAddEstimate(gate, Vector512.LoadUnsafe(ref c[0], (nuint)j), (Vector512<float>.One - gate) * candidate);
            (Vector512.ConditionalSelect(Vector512.GreaterThan(cell, Vector512<float>.Zero), SharedKernels.FastTanh(cell), Vector512<float>.Zero)
                + Vector512.Create(0.25f)).StoreUnsafe(ref y[0], (nuint)j);
        }
        return y;
    }

    private static float[] Body256(float[] a, float[] b, float[] c)
    {
        var y = new float[a.Length];
        for (int j = 0; j + 8 <= a.Length; j += 8)
        {
            Vector256<float> gate = SharedKernels.FastSigmoid(Vector256.LoadUnsafe(ref a[0], (nuint)j));
            Vector256<float> candidate = SharedKernels.FastTanh(Vector256.LoadUnsafe(ref b[0], (nuint)j));
            Vector256<float> cell = Vector256.MultiplyAddEstimate(gate, Vector256.LoadUnsafe(ref c[0], (nuint)j), (Vector256<float>.One - gate) * candidate);
            (Vector256.ConditionalSelect(Vector256.GreaterThan(cell, Vector256<float>.Zero), SharedKernels.FastTanh(cell), Vector256<float>.Zero)
                + Vector256.Create(0.25f)).StoreUnsafe(ref y[0], (nuint)j);
        }
        return y;
    }

    private static float[] Body128(float[] a, float[] b, float[] c)
    {
        var y = new float[a.Length];
        for (int j = 0; j + 4 <= a.Length; j += 4)
        {
            Vector128<float> gate = SharedKernels.FastSigmoid(Vector128.LoadUnsafe(ref a[0], (nuint)j));
            Vector128<float> candidate = SharedKernels.FastTanh(Vector128.LoadUnsafe(ref b[0], (nuint)j));
            Vector128<float> cell = Vector128.MultiplyAddEstimate(gate, Vector128.LoadUnsafe(ref c[0], (nuint)j), (Vector128<float>.One - gate) * candidate);
            (Vector128.ConditionalSelect(Vector128.GreaterThan(cell, Vector128<float>.Zero), SharedKernels.FastTanh(cell), Vector128<float>.Zero)
                + Vector128.Create(0.25f)).StoreUnsafe(ref y[0], (nuint)j);
        }
        return y;
    }

    [Fact]
    public void CountLoadAndStoreTouchOnlyTheirLanes()
    {
        CountLoadAndStore<KernelOps512, Vector512<float>>(16);
        CountLoadAndStore<KernelOps256, Vector256<float>>(8);
        CountLoadAndStore<KernelOps128, Vector128<float>>(4);
    }

    [Fact]
    public void ArithmeticIsLaneByLaneFloatArithmetic()
    {
        Arithmetic<KernelOps512, Vector512<float>>();
        Arithmetic<KernelOps256, Vector256<float>>();
        Arithmetic<KernelOps128, Vector128<float>>();
    }

    [Fact]
    public void FastActivationsAreWithinTheirBounds()
    {
        Activations<KernelOps512, Vector512<float>>();
        Activations<KernelOps256, Vector256<float>>();
        Activations<KernelOps128, Vector128<float>>();
    }

    [Fact]
    public void TrainingOperationsAreLaneByLaneFloatArithmetic()
    {
        TrainingArithmetic<KernelOps512, Vector512<float>, Vector512<double>>();
        TrainingArithmetic<KernelOps256, Vector256<float>, Vector256<double>>();
        TrainingArithmetic<KernelOps128, Vector128<float>, Vector128<double>>();
    }

    [Fact]
    public void TrainingSpanLoadsAndStoresStayInsideTheirSpans()
    {
        SpanLoadAndStore<KernelOps512, Vector512<float>, Vector512<double>>();
        SpanLoadAndStore<KernelOps256, Vector256<float>, Vector256<double>>();
        SpanLoadAndStore<KernelOps128, Vector128<float>, Vector128<double>>();
    }

    [Fact]
    public void ABodyWrittenOnceGivesTheBitsOfTheBodyWrittenPerWidth()
    {
        const int n = 16 * 40;
        float[] a = Values(n, 6), b = Values(n, 7), c = Values(n, 8);
        Assert.Equal(Bits(Body512(a, b, c)), Bits(GenericBody<KernelOps512, Vector512<float>>(a, b, c)));
        Assert.Equal(Bits(Body256(a, b, c)), Bits(GenericBody<KernelOps256, Vector256<float>>(a, b, c)));
        Assert.Equal(Bits(Body128(a, b, c)), Bits(GenericBody<KernelOps128, Vector128<float>>(a, b, c)));
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
