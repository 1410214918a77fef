using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CodeGenLstm.Generated;

// What the int8 panel block (ReducedKernels.Int8Panels.cs) needs at each width, so that its one generic body,
// specialised per struct by the JIT, is the block once written out for AVX-512BW and for AVX2: each member is the
// intrinsic that body used. The int16 and int32 vectors travel as one int vector type (a reinterpretation, no instruction).
internal static partial class ReducedKernels
{
    private interface IInt8PanelOps<TVec>
        where TVec : struct
    {
        /// <summary>int32 sums per vector: 16 units (a whole panel) or 8 (half of one).</summary>
        static abstract int Lanes { get; }

        /// <summary>The Lanes * 2 weight bytes at <paramref name="source"/> + <paramref name="offset"/>, unchecked, widened to int16.</summary>
        static abstract TVec Widen(ref sbyte source, int offset);

        /// <summary>A sequence's pair of int16 levels in every 32-bit lane.</summary>
        static abstract TVec Broadcast(int pair);

        /// <summary>vpmaddwd: per 32-bit lane, the sum of the products of its two int16 halves.</summary>
        static abstract TVec MultiplyAddAdjacent(TVec weights, TVec pairs);

        static abstract TVec Add(TVec left, TVec right);

        /// <summary>The lanes [Lo, Hi) of <paramref name="dots"/> scaled and added to their start (Finish512, Finish256).</summary>
        static abstract void Finish(TVec dots, float stateScale, int at, int row, PanelTarget target, ReadOnlySpan<float> scales,
            ReadOnlySpan<float> bias, Span<float> c);
    }

    private readonly struct Int8PanelOps512 : IInt8PanelOps<Vector512<int>>
    {
        public static int Lanes => 16;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<int> Widen(ref sbyte source, int offset) =>
            Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref source, (nuint)offset)).AsInt32();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<int> Broadcast(int pair) => Vector512.Create(pair);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<int> MultiplyAddAdjacent(Vector512<int> weights, Vector512<int> pairs) =>
            Avx512BW.MultiplyAddAdjacent(weights.AsInt16(), pairs.AsInt16());

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<int> Add(Vector512<int> left, Vector512<int> right) => left + right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Finish(Vector512<int> dots, float stateScale, int at, int row, PanelTarget target, ReadOnlySpan<float> scales,
            ReadOnlySpan<float> bias, Span<float> c) => Finish512(dots, stateScale, at, row, target, scales, bias, c);
    }

    private readonly struct Int8PanelOps256 : IInt8PanelOps<Vector256<int>>
    {
        public static int Lanes => 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Widen(ref sbyte source, int offset) =>
            Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref source, (nuint)offset)).AsInt32();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Broadcast(int pair) => Vector256.Create(pair);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> MultiplyAddAdjacent(Vector256<int> weights, Vector256<int> pairs) =>
            Avx2.MultiplyAddAdjacent(weights.AsInt16(), pairs.AsInt16());

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Add(Vector256<int> left, Vector256<int> right) => Avx2.Add(left, right);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Finish(Vector256<int> dots, float stateScale, int at, int row, PanelTarget target, ReadOnlySpan<float> scales,
            ReadOnlySpan<float> bias, Span<float> c) => Finish256(dots, stateScale, at, row, target, scales, bias, c);
    }
}
