using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm;

/// <summary>
/// The gate nonlinearities, scalar and vectorized. The generated kernels call the scalar forms on their
/// scalar path; their vector paths use the faster rational approximations of the shared kernels
/// (FastTanh, FastSigmoid; FastActivationTests bounds their error against the exact functions). The scalar
/// forms use <see cref="MathF"/> and are the reference. The vector forms here, for callers of the runtime, use the BCL's
/// vectorized exponential: sigmoid(x) = 1 / (1 + e^-x), tanh(x) = 1 - 2 / (e^2x + 1). Both saturate
/// exactly at ±inf (e^x overflows to +inf, 1/inf = 0). Their largest absolute difference from the
/// scalar forms is below 1e-6 over the whole float range (Runtime/ActivationsTests checks it on a dense grid);
/// the error is absolute, not relative, near 0 for tanh.
/// </summary>
public static class Activations
{
    /// <summary>The logistic function 1 / (1 + e^-x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>The hyperbolic tangent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => MathF.Tanh(x);

    /// <summary>The logistic function, 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) =>
        Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));

    /// <summary>The logistic function, 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) =>
        Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

    /// <summary>The logistic function, 4 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) =>
        Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));

    /// <summary>The hyperbolic tangent, 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x) =>
        Vector512<float>.One - Vector512.Create(2f) / (Vector512.Exp(x + x) + Vector512<float>.One);

    /// <summary>The hyperbolic tangent, 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x) =>
        Vector256<float>.One - Vector256.Create(2f) / (Vector256.Exp(x + x) + Vector256<float>.One);

    /// <summary>The hyperbolic tangent, 4 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x) =>
        Vector128<float>.One - Vector128.Create(2f) / (Vector128.Exp(x + x) + Vector128<float>.One);
}
