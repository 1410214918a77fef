using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The row loop and the register-blocked micro-kernel of the recurrent term, written once over the shape (H, gates),
// the width (IKernelOps) and the rows at once (IConstant: Six, Four, Two, One). Every guard below tests one of
// those constants at its use, never a local, so that the JIT folds it while it inlines and nothing of a row or a
// vector that an instantiation does not have is left: each instantiation is the kernel written out for its sizes,
// with the same loads, multiply-adds and stores in the same order (docs/architecture.md). Private: the refs are
// unchecked, and AddRecurrentTerm has checked whole spans before it calls them.
public static partial class RecurrenceKernels
{
    /// <summary>
    /// The whole panels of units [j, unitEnd) at the width of TOps, for the rows [rowStart, rowEnd); returns the
    /// first unit left for the scalar code. AVX-512's 32 registers hold 6 rows x 4 vectors of accumulators + 4
    /// weight vectors + 1 broadcast (29); AVX2's and SSE's (and NEON's) 16 hold 2 rows (13). Rows left over go in
    /// blocks of 4, 2, 1; 8 or 9 rows left go as 4 + 4 (+ 1) rather than 6 + 2 (+ 1): the two-row kernel uses each
    /// weight vector it loads only twice and ran at 73% of the others' speed (LSTM H = 256, Vector512), so 6 + 2
    /// rows took 9% longer than 4 + 4 (a batch of 16 on two cores is 8 rows per core).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WholePanels<TShape, TOps, TVec>(ref float h0, ref float w0, ref float c0, int ldc, ref float bias0, bool fromBias,
        int rowStart, int rowEnd, int j, int unitEnd)
        where TShape : struct, IRecurrentShape
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        int units = PanelUnitVectors<TShape>() * TOps.Count;
        if (TShape.Hidden < units) return j;  // no whole panel at this width
        int end = Math.Min(unitEnd, TShape.Hidden / units * units);
        for (; j + units <= end; j += units)
        {
            ref float panel = ref Unsafe.Add(ref w0, j / units * (TShape.Hidden * PanelVectors<TShape>() * TOps.Count));
            ref float bias = ref Unsafe.Add(ref bias0, j);
            int b = rowStart;
            if (typeof(TVec) == typeof(Vector512<float>))
            {
                int bSixes = rowEnd - (rowEnd - rowStart) % 6;  // where the blocks of 6 stop
                if ((rowEnd - rowStart) % 6 is 2 or 3 && rowEnd - rowStart >= 8) bSixes -= 6;  // 6 + 2 (+ 1) rows go as 4 + 4 (+ 1)
                for (; b < bSixes; b += 6)
                    Rows<TShape, Six, TOps, TVec>(ref Unsafe.Add(ref h0, b * TShape.Hidden), ref panel, ref Unsafe.Add(ref c0, b * ldc + j), ldc, ref bias, fromBias);
                for (; b + 4 <= rowEnd; b += 4)
                    Rows<TShape, Four, TOps, TVec>(ref Unsafe.Add(ref h0, b * TShape.Hidden), ref panel, ref Unsafe.Add(ref c0, b * ldc + j), ldc, ref bias, fromBias);
                if (b + 2 <= rowEnd)
                {
                    Rows<TShape, Two, TOps, TVec>(ref Unsafe.Add(ref h0, b * TShape.Hidden), ref panel, ref Unsafe.Add(ref c0, b * ldc + j), ldc, ref bias, fromBias);
                    b += 2;
                }
            }
            else
            {
                for (; b + 2 <= rowEnd; b += 2)
                    Rows<TShape, Two, TOps, TVec>(ref Unsafe.Add(ref h0, b * TShape.Hidden), ref panel, ref Unsafe.Add(ref c0, b * ldc + j), ldc, ref bias, fromBias);
            }
            if (b < rowEnd)
                Rows<TShape, One, TOps, TVec>(ref Unsafe.Add(ref h0, b * TShape.Hidden), ref panel, ref Unsafe.Add(ref c0, b * ldc + j), ldc, ref bias, fromBias);
        }
        return j;
    }

    /// <summary>
    /// TRows sequences x one panel at the width of TOps: c = start + h . W_hh^T over the H terms, start c itself or
    /// the bias (<paramref name="fromBias"/>). A row's accumulators are one vector of units in each gate (H floats
    /// apart) or, for a one-gate cell, 4 vectors of consecutive units; TRows x 4 (or 3) of them stay in registers for
    /// the whole reduction, and each weight vector loaded is used TRows times. h: the first row's state, rows H
    /// apart; c: the first row's first unit, rows <paramref name="ldc"/> apart; bias: the first unit's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TShape, TRows, TOps, TVec>(ref float h, ref float panel, ref float c, int ldc, ref float bias, bool fromBias)
        where TShape : struct, IRecurrentShape
        where TRows : struct, IConstant
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct
    {
        ref float h1 = ref Unsafe.Add(ref h, TShape.Hidden);
        ref float h2 = ref Unsafe.Add(ref h, 2 * TShape.Hidden);
        ref float h3 = ref Unsafe.Add(ref h, 3 * TShape.Hidden);
        ref float h4 = ref Unsafe.Add(ref h, 4 * TShape.Hidden);
        ref float h5 = ref Unsafe.Add(ref h, 5 * TShape.Hidden);
        ref float c1 = ref Unsafe.Add(ref c, ldc);
        ref float c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c, 3 * ldc);
        ref float c4 = ref Unsafe.Add(ref c, 4 * ldc);
        ref float c5 = ref Unsafe.Add(ref c, 5 * ldc);

        // The accumulators start from c or the bias; a row or fourth vector the instantiation lacks is never read.
        TVec s03 = default, s10 = default, s11 = default, s12 = default, s13 = default, s20 = default, s21 = default, s22 = default, s23 = default;
        TVec s30 = default, s31 = default, s32 = default, s33 = default, s40 = default, s41 = default, s42 = default, s43 = default;
        TVec s50 = default, s51 = default, s52 = default, s53 = default;
        TVec s00 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c, 0);
        TVec s01 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c, 1);
        TVec s02 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c, 2);
        if (FourVectors<TShape>()) s03 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c, 3);
        if (TRows.Value > 1)
        {
            s10 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c1, 0);
            s11 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c1, 1);
            s12 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c1, 2);
            if (FourVectors<TShape>()) s13 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c1, 3);
        }
        if (TRows.Value > 2)
        {
            s20 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c2, 0);
            s21 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c2, 1);
            s22 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c2, 2);
            if (FourVectors<TShape>()) s23 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c2, 3);
        }
        if (TRows.Value > 3)
        {
            s30 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c3, 0);
            s31 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c3, 1);
            s32 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c3, 2);
            if (FourVectors<TShape>()) s33 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c3, 3);
        }
        if (TRows.Value > 4)
        {
            s40 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c4, 0);
            s41 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c4, 1);
            s42 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c4, 2);
            if (FourVectors<TShape>()) s43 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c4, 3);
        }
        if (TRows.Value > 5)
        {
            s50 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c5, 0);
            s51 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c5, 1);
            s52 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c5, 2);
            if (FourVectors<TShape>()) s53 = Start<TShape, TOps, TVec>(fromBias, ref bias, ref c5, 3);
        }

        for (int k = 0; k < TShape.Hidden; k++)
        {
            ref float wk = ref Unsafe.Add(ref panel, k * (PanelVectors<TShape>() * TOps.Count));
            TVec w0 = TOps.Load(ref wk, 0);
            TVec w1 = TOps.Load(ref wk, TOps.Count);
            TVec w2 = TOps.Load(ref wk, 2 * TOps.Count);
            TVec w3 = FourVectors<TShape>() ? TOps.Load(ref wk, 3 * TOps.Count) : default;
            TVec x = TOps.Create(Unsafe.Add(ref h, k));
            s00 = TOps.MultiplyAdd(x, w0, s00);
            s01 = TOps.MultiplyAdd(x, w1, s01);
            s02 = TOps.MultiplyAdd(x, w2, s02);
            if (FourVectors<TShape>()) s03 = TOps.MultiplyAdd(x, w3, s03);
            if (TRows.Value > 1)
            {
                x = TOps.Create(Unsafe.Add(ref h1, k));
                s10 = TOps.MultiplyAdd(x, w0, s10);
                s11 = TOps.MultiplyAdd(x, w1, s11);
                s12 = TOps.MultiplyAdd(x, w2, s12);
                if (FourVectors<TShape>()) s13 = TOps.MultiplyAdd(x, w3, s13);
            }
            if (TRows.Value > 2)
            {
                x = TOps.Create(Unsafe.Add(ref h2, k));
                s20 = TOps.MultiplyAdd(x, w0, s20);
                s21 = TOps.MultiplyAdd(x, w1, s21);
                s22 = TOps.MultiplyAdd(x, w2, s22);
                if (FourVectors<TShape>()) s23 = TOps.MultiplyAdd(x, w3, s23);
            }
            if (TRows.Value > 3)
            {
                x = TOps.Create(Unsafe.Add(ref h3, k));
                s30 = TOps.MultiplyAdd(x, w0, s30);
                s31 = TOps.MultiplyAdd(x, w1, s31);
                s32 = TOps.MultiplyAdd(x, w2, s32);
                if (FourVectors<TShape>()) s33 = TOps.MultiplyAdd(x, w3, s33);
            }
            if (TRows.Value > 4)
            {
                x = TOps.Create(Unsafe.Add(ref h4, k));
                s40 = TOps.MultiplyAdd(x, w0, s40);
                s41 = TOps.MultiplyAdd(x, w1, s41);
                s42 = TOps.MultiplyAdd(x, w2, s42);
                if (FourVectors<TShape>()) s43 = TOps.MultiplyAdd(x, w3, s43);
            }
            if (TRows.Value > 5)
            {
                x = TOps.Create(Unsafe.Add(ref h5, k));
                s50 = TOps.MultiplyAdd(x, w0, s50);
                s51 = TOps.MultiplyAdd(x, w1, s51);
                s52 = TOps.MultiplyAdd(x, w2, s52);
                if (FourVectors<TShape>()) s53 = TOps.MultiplyAdd(x, w3, s53);
            }
        }

        TOps.Store(s00, ref c, VectorOffset<TShape, TOps, TVec>(0));
        TOps.Store(s01, ref c, VectorOffset<TShape, TOps, TVec>(1));
        TOps.Store(s02, ref c, VectorOffset<TShape, TOps, TVec>(2));
        if (FourVectors<TShape>()) TOps.Store(s03, ref c, VectorOffset<TShape, TOps, TVec>(3));
        if (TRows.Value > 1)
        {
            TOps.Store(s10, ref c1, VectorOffset<TShape, TOps, TVec>(0));
            TOps.Store(s11, ref c1, VectorOffset<TShape, TOps, TVec>(1));
            TOps.Store(s12, ref c1, VectorOffset<TShape, TOps, TVec>(2));
            if (FourVectors<TShape>()) TOps.Store(s13, ref c1, VectorOffset<TShape, TOps, TVec>(3));
        }
        if (TRows.Value > 2)
        {
            TOps.Store(s20, ref c2, VectorOffset<TShape, TOps, TVec>(0));
            TOps.Store(s21, ref c2, VectorOffset<TShape, TOps, TVec>(1));
            TOps.Store(s22, ref c2, VectorOffset<TShape, TOps, TVec>(2));
            if (FourVectors<TShape>()) TOps.Store(s23, ref c2, VectorOffset<TShape, TOps, TVec>(3));
        }
        if (TRows.Value > 3)
        {
            TOps.Store(s30, ref c3, VectorOffset<TShape, TOps, TVec>(0));
            TOps.Store(s31, ref c3, VectorOffset<TShape, TOps, TVec>(1));
            TOps.Store(s32, ref c3, VectorOffset<TShape, TOps, TVec>(2));
            if (FourVectors<TShape>()) TOps.Store(s33, ref c3, VectorOffset<TShape, TOps, TVec>(3));
        }
        if (TRows.Value > 4)
        {
            TOps.Store(s40, ref c4, VectorOffset<TShape, TOps, TVec>(0));
            TOps.Store(s41, ref c4, VectorOffset<TShape, TOps, TVec>(1));
            TOps.Store(s42, ref c4, VectorOffset<TShape, TOps, TVec>(2));
            if (FourVectors<TShape>()) TOps.Store(s43, ref c4, VectorOffset<TShape, TOps, TVec>(3));
        }
        if (TRows.Value > 5)
        {
            TOps.Store(s50, ref c5, VectorOffset<TShape, TOps, TVec>(0));
            TOps.Store(s51, ref c5, VectorOffset<TShape, TOps, TVec>(1));
            TOps.Store(s52, ref c5, VectorOffset<TShape, TOps, TVec>(2));
            if (FourVectors<TShape>()) TOps.Store(s53, ref c5, VectorOffset<TShape, TOps, TVec>(3));
        }
    }

    /// <summary>Whether a row has a fourth vector of accumulators: every cell but the GRU's three gates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FourVectors<TShape>()
        where TShape : struct, IRecurrentShape =>
        PanelVectors<TShape>() > 3;

    /// <summary>
    /// Where accumulator vector <paramref name="i"/> of a row lies from the row's first unit, in floats: gate i's
    /// block, H apart, or for a one-gate cell the i-th vector of consecutive units.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VectorOffset<TShape, TOps, TVec>(int i)
        where TShape : struct, IRecurrentShape
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct =>
        TShape.Gates == 1 ? i * TOps.Count : i * TShape.Hidden;

    /// <summary>Accumulator vector <paramref name="i"/>'s start: the bias's, or the row's own values in c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Start<TShape, TOps, TVec>(bool fromBias, ref float bias, ref float c, int i)
        where TShape : struct, IRecurrentShape
        where TOps : struct, IKernelOps<TVec>
        where TVec : struct =>
        fromBias ? TOps.Load(ref bias, VectorOffset<TShape, TOps, TVec>(i)) : TOps.Load(ref c, VectorOffset<TShape, TOps, TVec>(i));
}
