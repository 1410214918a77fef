using System;
using System.Runtime.CompilerServices;
using CodeGenLstm.Generated;

namespace CodeGenLstm;

/// <summary>
/// What the training kernels need beyond <see cref="IKernelOps{TVec}"/>, the vector layer the generated cells and
/// the matrix products are written in: <see cref="TrainingKernels"/> writes each loop once, generic over
/// <c>TOps : struct, IVectorOps&lt;TVec, TDbl&gt;</c>, and calls it with <see cref="KernelOps512"/>,
/// <see cref="KernelOps256"/> or <see cref="KernelOps128"/>, which implement both; the JIT (or the NativeAOT
/// compiler) specialises each struct with every call inlined, so the three widths share one source without a
/// runtime cost. (The BCL's own ISimdVector is internal in .NET 10, hence this small layer.) Count, Create, Add,
/// Subtract, Multiply, MultiplyAdd, Max and Sum come from <see cref="IKernelOps{TVec}"/>.
/// </summary>
/// <typeparam name="TVec">The float vector type.</typeparam>
/// <typeparam name="TDbl">The double vector type of the same width, for accurate sums of squares.</typeparam>
/// <remarks>
/// The loads and stores here go through bounds-checked span slices, so no training kernel can read or write
/// outside its spans even if a loop bound were wrong (the checks are a few predictable branches per vector in
/// loops that are bound by memory bandwidth); <see cref="IKernelOps{TVec}"/>' own, unchecked, take refs. Internal,
/// and implemented explicitly by the public structs, so that none of it is part of their public surface.
/// </remarks>
internal interface IVectorOps<TVec, TDbl> : IKernelOps<TVec>
    where TVec : struct
    where TDbl : struct
{
    /// <summary>The vector at <paramref name="source"/>[<paramref name="index"/>..], bounds-checked.</summary>
    static abstract TVec Load(ReadOnlySpan<float> source, int index);

    /// <summary>Writes <paramref name="value"/> at <paramref name="destination"/>[<paramref name="index"/>..], bounds-checked.</summary>
    static abstract void Store(TVec value, Span<float> destination, int index);

    static abstract TVec Divide(TVec left, TVec right);
    static abstract TVec Sqrt(TVec value);
    static abstract TVec Abs(TVec value);

    /// <summary>Clamp to [min, max]; NaN stays NaN, as <see cref="Math.Clamp(float, float, float)"/>.</summary>
    static abstract TVec Clamp(TVec value, TVec min, TVec max);
    static abstract TVec Exp(TVec value);

    /// <summary>The largest lane; NaN if any lane is NaN.</summary>
    static abstract float MaxAcross(TVec value);

    static abstract TDbl ZeroDouble { get; }

    /// <summary>Widens <paramref name="value"/> to double and adds its squares to two accumulators.</summary>
    static abstract void AddSquares(TVec value, ref TDbl low, ref TDbl high);

    /// <summary>The sum of the lanes of two double accumulators.</summary>
    static abstract double SumDouble(TDbl low, TDbl high);
}

/// <summary>Calls on <see cref="IVectorOps{TVec, TDbl}"/> for code outside a generic kernel, which cannot name an explicitly implemented member.</summary>
internal static class VectorOps
{
    /// <summary>The largest lane of <paramref name="value"/> by <typeparamref name="TOps"/>' own MaxAcross.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float MaxAcross<TOps, TVec, TDbl>(TVec value)
        where TOps : struct, IVectorOps<TVec, TDbl>
        where TVec : struct
        where TDbl : struct =>
        TOps.MaxAcross(value);
}
