using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The vector tanh and sigmoid of the cell kernels: written once over IActivationOps, public once per vector width.
public static partial class SharedKernels
{
    /// <summary>The rational tanh of the public overloads below, at the width of <typeparamref name="TOps"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec FastTanh<TOps, TVec>(TVec a)
        where TOps : struct, IActivationOps<TVec>
        where TVec : struct
    {
        TVec x = TOps.Clamp(a, TOps.Create(-7.90531110763549805f), TOps.Create(7.90531110763549805f));
        TVec x2 = TOps.Multiply(x, x);
        TVec p = TOps.MultiplyAdd(x2, TOps.Create(-2.76076847742355e-16f), TOps.Create(2.00018790482477e-13f));
        p = TOps.MultiplyAdd(x2, p, TOps.Create(-8.60467152213735e-11f));
        p = TOps.MultiplyAdd(x2, p, TOps.Create(5.12229709037114e-08f));
        p = TOps.MultiplyAdd(x2, p, TOps.Create(1.48572235717979e-05f));
        p = TOps.MultiplyAdd(x2, p, TOps.Create(6.37261928875436e-04f));
        p = TOps.Multiply(TOps.MultiplyAdd(x2, p, TOps.Create(4.89352455891786e-03f)), x);
        TVec q = TOps.MultiplyAdd(x2, TOps.Create(1.19825839466702e-06f), TOps.Create(1.18534705686654e-04f));
        q = TOps.MultiplyAdd(x2, q, TOps.Create(2.26843463243900e-03f));
        q = TOps.MultiplyAdd(x2, q, TOps.Create(4.89352518554385e-03f));
        return TOps.WhereLess(TOps.Abs(a), TOps.Create(0.0004f), a, TOps.Divide(p, q));
    }

    /// <summary>0.5 + 0.5 tanh(x / 2) with <see cref="FastTanh{TOps, TVec}"/>, at the width of <typeparamref name="TOps"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec FastSigmoid<TOps, TVec>(TVec x)
        where TOps : struct, IActivationOps<TVec>
        where TVec : struct =>
        TOps.MultiplyAdd(TOps.Create(0.5f), FastTanh<TOps, TVec>(TOps.Multiply(x, TOps.Create(0.5f))), TOps.Create(0.5f));

    /// <summary>
    /// tanh(x), 16 lanes, as a rational function: an odd degree-13 polynomial over an even degree-6 one
    /// (Eigen's fast tanh), x clamped to +-7.90531 where tanh(x) rounds to +-1, and tanh(x) = x below
    /// |x| = 0.0004. Largest error, absolute and relative, measured over every float: 2.92e-7 with fused
    /// multiply-add, 4.10e-7 without (FastActivationTests checks 3e-7 and 4.2e-7). NaN stays NaN. Two to six
    /// times faster than 1 - 2 / (e^2x + 1) with the runtime's vector exponential, which works in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FastTanh(Vector512<float> a) => FastTanh<KernelOps512, Vector512<float>>(a);

    /// <summary>sigmoid(x) = 1 / (1 + e^-x) = 0.5 + 0.5 tanh(x / 2), 16 lanes, with <see cref="FastTanh(Vector512{float})"/>: largest absolute error over every float 1.69e-7 with fused multiply-add, 2.27e-7 without.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FastSigmoid(Vector512<float> x) => FastSigmoid<KernelOps512, Vector512<float>>(x);

    /// <summary>
    /// tanh(x), 8 lanes, as a rational function: an odd degree-13 polynomial over an even degree-6 one
    /// (Eigen's fast tanh), x clamped to +-7.90531 where tanh(x) rounds to +-1, and tanh(x) = x below
    /// |x| = 0.0004. Largest error, absolute and relative, measured over every float: 2.92e-7 with fused
    /// multiply-add, 4.10e-7 without (FastActivationTests checks 3e-7 and 4.2e-7). NaN stays NaN. Two to six
    /// times faster than 1 - 2 / (e^2x + 1) with the runtime's vector exponential, which works in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FastTanh(Vector256<float> a) => FastTanh<KernelOps256, Vector256<float>>(a);

    /// <summary>sigmoid(x) = 1 / (1 + e^-x) = 0.5 + 0.5 tanh(x / 2), 8 lanes, with <see cref="FastTanh(Vector256{float})"/>: largest absolute error over every float 1.69e-7 with fused multiply-add, 2.27e-7 without.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FastSigmoid(Vector256<float> x) => FastSigmoid<KernelOps256, Vector256<float>>(x);

    /// <summary>
    /// tanh(x), 4 lanes, as a rational function: an odd degree-13 polynomial over an even degree-6 one
    /// (Eigen's fast tanh), x clamped to +-7.90531 where tanh(x) rounds to +-1, and tanh(x) = x below
    /// |x| = 0.0004. Largest error, absolute and relative, measured over every float: 2.92e-7 with fused
    /// multiply-add, 4.10e-7 without (FastActivationTests checks 3e-7 and 4.2e-7). NaN stays NaN. Two to six
    /// times faster than 1 - 2 / (e^2x + 1) with the runtime's vector exponential, which works in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FastTanh(Vector128<float> a) => FastTanh<KernelOps128, Vector128<float>>(a);

    /// <summary>sigmoid(x) = 1 / (1 + e^-x) = 0.5 + 0.5 tanh(x / 2), 4 lanes, with <see cref="FastTanh(Vector128{float})"/>: largest absolute error over every float 1.69e-7 with fused multiply-add, 2.27e-7 without.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FastSigmoid(Vector128<float> x) => FastSigmoid<KernelOps128, Vector128<float>>(x);
}
