using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The vector tanh and sigmoid of the cell kernels, one pair per vector width.
public static partial class SharedKernels
{
    /// <summary>
    /// tanh(x), 16 lanes, as a rational function: an odd degree-13 polynomial over an even degree-6 one
    /// (Eigen's fast tanh), x clamped to +-7.90531 where tanh(x) rounds to +-1, and tanh(x) = x below
    /// |x| = 0.0004. Largest error, absolute and relative, measured over every float: 2.92e-7 with fused
    /// multiply-add, 4.10e-7 without (FastActivationTests checks 3e-7 and 4.2e-7). NaN stays NaN. Two to six
    /// times faster than 1 - 2 / (e^2x + 1) with the runtime's vector exponential, which works in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FastTanh(Vector512<float> a)
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

    /// <summary>sigmoid(x) = 1 / (1 + e^-x) = 0.5 + 0.5 tanh(x / 2), 16 lanes, with <see cref="FastTanh(Vector512{float})"/>: largest absolute error over every float 1.69e-7 with fused multiply-add, 2.27e-7 without.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FastSigmoid(Vector512<float> x) =>
        Vector512.MultiplyAddEstimate(Vector512.Create(0.5f), FastTanh(x * 0.5f), Vector512.Create(0.5f));

    /// <summary>
    /// tanh(x), 8 lanes, as a rational function: an odd degree-13 polynomial over an even degree-6 one
    /// (Eigen's fast tanh), x clamped to +-7.90531 where tanh(x) rounds to +-1, and tanh(x) = x below
    /// |x| = 0.0004. Largest error, absolute and relative, measured over every float: 2.92e-7 with fused
    /// multiply-add, 4.10e-7 without (FastActivationTests checks 3e-7 and 4.2e-7). NaN stays NaN. Two to six
    /// times faster than 1 - 2 / (e^2x + 1) with the runtime's vector exponential, which works in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FastTanh(Vector256<float> a)
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

    /// <summary>sigmoid(x) = 1 / (1 + e^-x) = 0.5 + 0.5 tanh(x / 2), 8 lanes, with <see cref="FastTanh(Vector256{float})"/>: largest absolute error over every float 1.69e-7 with fused multiply-add, 2.27e-7 without.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FastSigmoid(Vector256<float> x) =>
        Vector256.MultiplyAddEstimate(Vector256.Create(0.5f), FastTanh(x * 0.5f), Vector256.Create(0.5f));

    /// <summary>
    /// tanh(x), 4 lanes, as a rational function: an odd degree-13 polynomial over an even degree-6 one
    /// (Eigen's fast tanh), x clamped to +-7.90531 where tanh(x) rounds to +-1, and tanh(x) = x below
    /// |x| = 0.0004. Largest error, absolute and relative, measured over every float: 2.92e-7 with fused
    /// multiply-add, 4.10e-7 without (FastActivationTests checks 3e-7 and 4.2e-7). NaN stays NaN. Two to six
    /// times faster than 1 - 2 / (e^2x + 1) with the runtime's vector exponential, which works in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FastTanh(Vector128<float> a)
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

    /// <summary>sigmoid(x) = 1 / (1 + e^-x) = 0.5 + 0.5 tanh(x / 2), 4 lanes, with <see cref="FastTanh(Vector128{float})"/>: largest absolute error over every float 1.69e-7 with fused multiply-add, 2.27e-7 without.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FastSigmoid(Vector128<float> x) =>
        Vector128.MultiplyAddEstimate(Vector128.Create(0.5f), FastTanh(x * 0.5f), Vector128.Create(0.5f));
}
