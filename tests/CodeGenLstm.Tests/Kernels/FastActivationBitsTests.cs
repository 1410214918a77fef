using System;
using System.Runtime.Intrinsics;
using CodeGenLstm.Generated;

namespace CodeGenLstm.Tests.Kernels;

/// <summary>
/// The vector tanh and sigmoid, written once over the width's ops, give the bits of the bodies once written out for
/// each width: those bodies are kept here as the reference, and both are run on a sweep of every float's bit patterns
/// (a stride through all 2^32, so signs, subnormals, the clamp, the small-x branch, infinities and NaNs all occur), at
/// every width (a width the CPU lacks runs in software, on every machine).
/// </summary>
[Trait("Category", "Numerical")]
public class FastActivationBitsTests
{
    // A prime stride: about 1.3 million patterns, spread over all exponents and both signs.
    private const uint Stride = 3259;

    private static float[] Sweep()
    {
        var values = new float[(int)(uint.MaxValue / Stride) / 16 * 16];
        for (int i = 0; i < values.Length; i++) values[i] = BitConverter.UInt32BitsToSingle((uint)i * Stride);
        return values;
    }

    private static void Same(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToUInt32Bits(expected[i]) != BitConverter.SingleToUInt32Bits(actual[i]))
                Assert.Fail($"{what}({BitConverter.UInt32BitsToSingle((uint)i * Stride):R}): {actual[i]:R}, the written-out body gives {expected[i]:R}");
        }
    }

    [Fact]
    public void Width512()
    {
        float[] x = Sweep();
        float[] tanh = new float[x.Length], sigmoid = new float[x.Length], refTanh = new float[x.Length], refSigmoid = new float[x.Length];
        for (int i = 0; i < x.Length; i += 16)
        {
            Vector512<float> v = Vector512.Create(x.AsSpan(i, 16));
            SharedKernels.FastTanh(v).CopyTo(tanh.AsSpan(i));
            SharedKernels.FastSigmoid(v).CopyTo(sigmoid.AsSpan(i));
            Tanh(v).CopyTo(refTanh.AsSpan(i));
            Sigmoid(v).CopyTo(refSigmoid.AsSpan(i));
        }
        Same(refTanh, tanh, "FastTanh 512");
        Same(refSigmoid, sigmoid, "FastSigmoid 512");
    }

    [Fact]
    public void Width256()
    {
        float[] x = Sweep();
        float[] tanh = new float[x.Length], sigmoid = new float[x.Length], refTanh = new float[x.Length], refSigmoid = new float[x.Length];
        for (int i = 0; i < x.Length; i += 8)
        {
            Vector256<float> v = Vector256.Create(x.AsSpan(i, 8));
            SharedKernels.FastTanh(v).CopyTo(tanh.AsSpan(i));
            SharedKernels.FastSigmoid(v).CopyTo(sigmoid.AsSpan(i));
            Tanh(v).CopyTo(refTanh.AsSpan(i));
            Sigmoid(v).CopyTo(refSigmoid.AsSpan(i));
        }
        Same(refTanh, tanh, "FastTanh 256");
        Same(refSigmoid, sigmoid, "FastSigmoid 256");
    }

    [Fact]
    public void Width128()
    {
        float[] x = Sweep();
        float[] tanh = new float[x.Length], sigmoid = new float[x.Length], refTanh = new float[x.Length], refSigmoid = new float[x.Length];
        for (int i = 0; i < x.Length; i += 4)
        {
            Vector128<float> v = Vector128.Create(x.AsSpan(i, 4));
            SharedKernels.FastTanh(v).CopyTo(tanh.AsSpan(i));
            SharedKernels.FastSigmoid(v).CopyTo(sigmoid.AsSpan(i));
            Tanh(v).CopyTo(refTanh.AsSpan(i));
            Sigmoid(v).CopyTo(refSigmoid.AsSpan(i));
        }
        Same(refTanh, tanh, "FastTanh 128");
        Same(refSigmoid, sigmoid, "FastSigmoid 128");
    }

    // ---- The reference: the bodies as they were written for each width ----

    private static Vector512<float> Tanh(Vector512<float> a)
    {
        Vector512<float> x = Vector512.Clamp(a, Vector512.Create(-7.90531110763549805f), Vector512.Create(7.90531110763549805f));
        Vector512<float> x2 = x * x;
        Vector512<float> p = Vector512.MultiplyAddEstimate(x2, Vector512.Create(-2.76076847742355e-16f), Vector512.Create(2.00018790482477e-13f));
        p = Vector512.MultiplyAddEstimate(x2, p, Vector512.Create(-8.60467152213735e-11f));
        p = Vector512.MultiplyAddEstimate(x2, p, Vector512.Create(5.12229709037114e-08f));
        p = Vector512.MultiplyAddEstimate(x2, p, Vector512.Create(1.48572235717979e-05f));
        p = Vector512.MultiplyAddEstimate(x2, p, Vector512.Create(6.37261928875436e-04f));
        p = Vector512.MultiplyAddEstimate(x2, p, Vector512.Create(4.89352455891786e-03f)) * x;
        Vector512<float> q = Vector512.MultiplyAddEstimate(x2, Vector512.Create(1.19825839466702e-06f), Vector512.Create(1.18534705686654e-04f));
        q = Vector512.MultiplyAddEstimate(x2, q, Vector512.Create(2.26843463243900e-03f));
        q = Vector512.MultiplyAddEstimate(x2, q, Vector512.Create(4.89352518554385e-03f));
        return Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(a), Vector512.Create(0.0004f)), a, p / q);
    }

    private static Vector512<float> Sigmoid(Vector512<float> x) =>
        Vector512.MultiplyAddEstimate(Vector512.Create(0.5f), Tanh(x * 0.5f), Vector512.Create(0.5f));

    private static Vector256<float> Tanh(Vector256<float> a)
    {
        Vector256<float> x = Vector256.Clamp(a, Vector256.Create(-7.90531110763549805f), Vector256.Create(7.90531110763549805f));
        Vector256<float> x2 = x * x;
        Vector256<float> p = Vector256.MultiplyAddEstimate(x2, Vector256.Create(-2.76076847742355e-16f), Vector256.Create(2.00018790482477e-13f));
        p = Vector256.MultiplyAddEstimate(x2, p, Vector256.Create(-8.60467152213735e-11f));
        p = Vector256.MultiplyAddEstimate(x2, p, Vector256.Create(5.12229709037114e-08f));
        p = Vector256.MultiplyAddEstimate(x2, p, Vector256.Create(1.48572235717979e-05f));
        p = Vector256.MultiplyAddEstimate(x2, p, Vector256.Create(6.37261928875436e-04f));
        p = Vector256.MultiplyAddEstimate(x2, p, Vector256.Create(4.89352455891786e-03f)) * x;
        Vector256<float> q = Vector256.MultiplyAddEstimate(x2, Vector256.Create(1.19825839466702e-06f), Vector256.Create(1.18534705686654e-04f));
        q = Vector256.MultiplyAddEstimate(x2, q, Vector256.Create(2.26843463243900e-03f));
        q = Vector256.MultiplyAddEstimate(x2, q, Vector256.Create(4.89352518554385e-03f));
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(a), Vector256.Create(0.0004f)), a, p / q);
    }

    private static Vector256<float> Sigmoid(Vector256<float> x) =>
        Vector256.MultiplyAddEstimate(Vector256.Create(0.5f), Tanh(x * 0.5f), Vector256.Create(0.5f));

    private static Vector128<float> Tanh(Vector128<float> a)
    {
        Vector128<float> x = Vector128.Clamp(a, Vector128.Create(-7.90531110763549805f), Vector128.Create(7.90531110763549805f));
        Vector128<float> x2 = x * x;
        Vector128<float> p = Vector128.MultiplyAddEstimate(x2, Vector128.Create(-2.76076847742355e-16f), Vector128.Create(2.00018790482477e-13f));
        p = Vector128.MultiplyAddEstimate(x2, p, Vector128.Create(-8.60467152213735e-11f));
        p = Vector128.MultiplyAddEstimate(x2, p, Vector128.Create(5.12229709037114e-08f));
        p = Vector128.MultiplyAddEstimate(x2, p, Vector128.Create(1.48572235717979e-05f));
        p = Vector128.MultiplyAddEstimate(x2, p, Vector128.Create(6.37261928875436e-04f));
        p = Vector128.MultiplyAddEstimate(x2, p, Vector128.Create(4.89352455891786e-03f)) * x;
        Vector128<float> q = Vector128.MultiplyAddEstimate(x2, Vector128.Create(1.19825839466702e-06f), Vector128.Create(1.18534705686654e-04f));
        q = Vector128.MultiplyAddEstimate(x2, q, Vector128.Create(2.26843463243900e-03f));
        q = Vector128.MultiplyAddEstimate(x2, q, Vector128.Create(4.89352518554385e-03f));
        return Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(a), Vector128.Create(0.0004f)), a, p / q);
    }

    private static Vector128<float> Sigmoid(Vector128<float> x) =>
        Vector128.MultiplyAddEstimate(Vector128.Create(0.5f), Tanh(x * 0.5f), Vector128.Create(0.5f));
}
