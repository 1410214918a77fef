using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The training half of each width's operations (IVectorOps, Training/VectorOps.cs; the kernel half, IKernelOps, is in
// KernelOps.cs): implemented explicitly, so that these internal operations stay out of the public structs' surface.

public readonly partial struct KernelOps512 : IVectorOps<Vector512<float>, Vector512<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, Vector512<double>>.Load(ReadOnlySpan<float> source, int index) =>
        Vector512.Create(source.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector512<float>, Vector512<double>>.Store(Vector512<float> value, Span<float> destination, int index) =>
        value.CopyTo(destination.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, Vector512<double>>.Divide(Vector512<float> left, Vector512<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, Vector512<double>>.Sqrt(Vector512<float> value) => Vector512.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, Vector512<double>>.Abs(Vector512<float> value) => Vector512.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, Vector512<double>>.Clamp(Vector512<float> value, Vector512<float> min, Vector512<float> max) =>
        Vector512.Clamp(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> IVectorOps<Vector512<float>, Vector512<double>>.Exp(Vector512<float> value) => Vector512.Exp(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float IVectorOps<Vector512<float>, Vector512<double>>.MaxAcross(Vector512<float> value) =>
        VectorOps.MaxAcross<KernelOps256, Vector256<float>, Vector256<double>>(Vector256.Max(value.GetLower(), value.GetUpper()));

    static Vector512<double> IVectorOps<Vector512<float>, Vector512<double>>.ZeroDouble => Vector512<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector512<float>, Vector512<double>>.AddSquares(Vector512<float> value, ref Vector512<double> low, ref Vector512<double> high)
    {
        Vector512<double> lo = Vector512.WidenLower(value);
        Vector512<double> hi = Vector512.WidenUpper(value);
        low = Vector512.MultiplyAddEstimate(lo, lo, low);
        high = Vector512.MultiplyAddEstimate(hi, hi, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double IVectorOps<Vector512<float>, Vector512<double>>.SumDouble(Vector512<double> low, Vector512<double> high) => Vector512.Sum(low + high);
}

public readonly partial struct KernelOps256 : IVectorOps<Vector256<float>, Vector256<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, Vector256<double>>.Load(ReadOnlySpan<float> source, int index) =>
        Vector256.Create(source.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector256<float>, Vector256<double>>.Store(Vector256<float> value, Span<float> destination, int index) =>
        value.CopyTo(destination.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, Vector256<double>>.Divide(Vector256<float> left, Vector256<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, Vector256<double>>.Sqrt(Vector256<float> value) => Vector256.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, Vector256<double>>.Abs(Vector256<float> value) => Vector256.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, Vector256<double>>.Clamp(Vector256<float> value, Vector256<float> min, Vector256<float> max) =>
        Vector256.Clamp(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> IVectorOps<Vector256<float>, Vector256<double>>.Exp(Vector256<float> value) => Vector256.Exp(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float IVectorOps<Vector256<float>, Vector256<double>>.MaxAcross(Vector256<float> value) =>
        VectorOps.MaxAcross<KernelOps128, Vector128<float>, Vector128<double>>(Vector128.Max(value.GetLower(), value.GetUpper()));

    static Vector256<double> IVectorOps<Vector256<float>, Vector256<double>>.ZeroDouble => Vector256<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector256<float>, Vector256<double>>.AddSquares(Vector256<float> value, ref Vector256<double> low, ref Vector256<double> high)
    {
        Vector256<double> lo = Vector256.WidenLower(value);
        Vector256<double> hi = Vector256.WidenUpper(value);
        low = Vector256.MultiplyAddEstimate(lo, lo, low);
        high = Vector256.MultiplyAddEstimate(hi, hi, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double IVectorOps<Vector256<float>, Vector256<double>>.SumDouble(Vector256<double> low, Vector256<double> high) => Vector256.Sum(low + high);
}

public readonly partial struct KernelOps128 : IVectorOps<Vector128<float>, Vector128<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, Vector128<double>>.Load(ReadOnlySpan<float> source, int index) =>
        Vector128.Create(source.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector128<float>, Vector128<double>>.Store(Vector128<float> value, Span<float> destination, int index) =>
        value.CopyTo(destination.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, Vector128<double>>.Divide(Vector128<float> left, Vector128<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, Vector128<double>>.Sqrt(Vector128<float> value) => Vector128.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, Vector128<double>>.Abs(Vector128<float> value) => Vector128.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, Vector128<double>>.Clamp(Vector128<float> value, Vector128<float> min, Vector128<float> max) =>
        Vector128.Clamp(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> IVectorOps<Vector128<float>, Vector128<double>>.Exp(Vector128<float> value) => Vector128.Exp(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float IVectorOps<Vector128<float>, Vector128<double>>.MaxAcross(Vector128<float> value) =>
        MathF.Max(MathF.Max(value.GetElement(0), value.GetElement(1)), MathF.Max(value.GetElement(2), value.GetElement(3)));

    static Vector128<double> IVectorOps<Vector128<float>, Vector128<double>>.ZeroDouble => Vector128<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void IVectorOps<Vector128<float>, Vector128<double>>.AddSquares(Vector128<float> value, ref Vector128<double> low, ref Vector128<double> high)
    {
        Vector128<double> lo = Vector128.WidenLower(value);
        Vector128<double> hi = Vector128.WidenUpper(value);
        low = Vector128.MultiplyAddEstimate(lo, lo, low);
        high = Vector128.MultiplyAddEstimate(hi, hi, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double IVectorOps<Vector128<float>, Vector128<double>>.SumDouble(Vector128<double> low, Vector128<double> high) => Vector128.Sum(low + high);
}
