using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm;

/// <summary>
/// The handful of vector operations the training kernels need, over one vector width.
/// <see cref="TrainingKernels"/> writes each loop once, generic over an implementation of this
/// interface, and the JIT (or the NativeAOT compiler) specialises it for each struct below with every
/// call inlined, so the three widths share one source without a runtime cost. (The BCL's own
/// ISimdVector is internal in .NET 10, hence this small copy.)
/// </summary>
/// <typeparam name="TVec">The float vector type.</typeparam>
/// <typeparam name="TDbl">The double vector type of the same width, for accurate sums of squares.</typeparam>
/// <remarks>
/// Loads and stores go through bounds-checked span slices, so no kernel can read or write outside its
/// spans even if a loop bound were wrong; the checks are a few predictable branches per vector in
/// loops that are bound by memory bandwidth.
/// </remarks>
internal interface IVectorOps<TVec, TDbl>
    where TVec : struct
    where TDbl : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Create(float value);
    static abstract TVec Load(ReadOnlySpan<float> source, int index);
    static abstract void Store(TVec value, Span<float> destination, int index);
    static abstract TVec Add(TVec left, TVec right);
    static abstract TVec Subtract(TVec left, TVec right);
    static abstract TVec Multiply(TVec left, TVec right);
    static abstract TVec Divide(TVec left, TVec right);

    /// <summary>left * right + addend, fused where the hardware has FMA (MultiplyAddEstimate).</summary>
    static abstract TVec MultiplyAdd(TVec left, TVec right, TVec addend);
    static abstract TVec Sqrt(TVec value);
    static abstract TVec Abs(TVec value);

    /// <summary>IEEE maximum: NaN in either operand gives NaN, as <see cref="MathF.Max(float, float)"/>.</summary>
    static abstract TVec Max(TVec left, TVec right);

    /// <summary>Clamp to [min, max]; NaN stays NaN, as <see cref="Math.Clamp(float, float, float)"/>.</summary>
    static abstract TVec Clamp(TVec value, TVec min, TVec max);
    static abstract TVec Exp(TVec value);

    /// <summary>The sum of the lanes.</summary>
    static abstract float Sum(TVec value);

    /// <summary>The largest lane; NaN if any lane is NaN.</summary>
    static abstract float MaxAcross(TVec value);

    static abstract TDbl ZeroDouble { get; }

    /// <summary>Widens <paramref name="value"/> to double and adds its squares to two accumulators.</summary>
    static abstract void AddSquares(TVec value, ref TDbl low, ref TDbl high);

    /// <summary>The sum of the lanes of two double accumulators.</summary>
    static abstract double SumDouble(TDbl low, TDbl high);
}

/// <summary>16 floats (AVX-512).</summary>
internal readonly struct Ops512 : IVectorOps<Vector512<float>, Vector512<double>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ReadOnlySpan<float> source, int index) => Vector512.Create(source.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, Span<float> destination, int index) => value.CopyTo(destination.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> left, Vector512<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) =>
        Vector512.MultiplyAddEstimate(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> value) => Vector512.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> value) => Vector512.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> left, Vector512<float> right) => Vector512.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Clamp(Vector512<float> value, Vector512<float> min, Vector512<float> max) =>
        Vector512.Clamp(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> value) => Vector512.Exp(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> value) =>
        Ops256.MaxAcross(Vector256.Max(value.GetLower(), value.GetUpper()));

    public static Vector512<double> ZeroDouble => Vector512<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSquares(Vector512<float> value, ref Vector512<double> low, ref Vector512<double> high)
    {
        Vector512<double> lo = Vector512.WidenLower(value);
        Vector512<double> hi = Vector512.WidenUpper(value);
        low = Vector512.MultiplyAddEstimate(lo, lo, low);
        high = Vector512.MultiplyAddEstimate(hi, hi, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumDouble(Vector512<double> low, Vector512<double> high) => Vector512.Sum(low + high);
}

/// <summary>8 floats (AVX).</summary>
internal readonly struct Ops256 : IVectorOps<Vector256<float>, Vector256<double>>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ReadOnlySpan<float> source, int index) => Vector256.Create(source.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, Span<float> destination, int index) => value.CopyTo(destination.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> left, Vector256<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) =>
        Vector256.MultiplyAddEstimate(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> value) => Vector256.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> value) => Vector256.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> left, Vector256<float> right) => Vector256.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Clamp(Vector256<float> value, Vector256<float> min, Vector256<float> max) =>
        Vector256.Clamp(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> value) => Vector256.Exp(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> value) =>
        Ops128.MaxAcross(Vector128.Max(value.GetLower(), value.GetUpper()));

    public static Vector256<double> ZeroDouble => Vector256<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSquares(Vector256<float> value, ref Vector256<double> low, ref Vector256<double> high)
    {
        Vector256<double> lo = Vector256.WidenLower(value);
        Vector256<double> hi = Vector256.WidenUpper(value);
        low = Vector256.MultiplyAddEstimate(lo, lo, low);
        high = Vector256.MultiplyAddEstimate(hi, hi, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumDouble(Vector256<double> low, Vector256<double> high) => Vector256.Sum(low + high);
}

/// <summary>4 floats (SSE, AdvSimd).</summary>
internal readonly struct Ops128 : IVectorOps<Vector128<float>, Vector128<double>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ReadOnlySpan<float> source, int index) => Vector128.Create(source.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, Span<float> destination, int index) => value.CopyTo(destination.Slice(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> left, Vector128<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend) =>
        Vector128.MultiplyAddEstimate(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> value) => Vector128.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> value) => Vector128.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> left, Vector128<float> right) => Vector128.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Clamp(Vector128<float> value, Vector128<float> min, Vector128<float> max) =>
        Vector128.Clamp(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> value) => Vector128.Exp(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector128<float> value) =>
        MathF.Max(MathF.Max(value.GetElement(0), value.GetElement(1)), MathF.Max(value.GetElement(2), value.GetElement(3)));

    public static Vector128<double> ZeroDouble => Vector128<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSquares(Vector128<float> value, ref Vector128<double> low, ref Vector128<double> high)
    {
        Vector128<double> lo = Vector128.WidenLower(value);
        Vector128<double> hi = Vector128.WidenUpper(value);
        low = Vector128.MultiplyAddEstimate(lo, lo, low);
        high = Vector128.MultiplyAddEstimate(hi, hi, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumDouble(Vector128<double> low, Vector128<double> high) => Vector128.Sum(low + high);
}
