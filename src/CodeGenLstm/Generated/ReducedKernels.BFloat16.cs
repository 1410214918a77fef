using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CodeGenLstm.Generated;

// The bfloat16 recurrent term: W_hh stored as the upper 16 bits of float32, in panels of 16 hidden units, computed as
// the float32 recurrence does (an outer product, no horizontal sum): each lane of a vector is one hidden unit of one
// gate, and every step of k multiplies a weight vector by a sequence's h[b, k] broadcast. In a panel, for each column
// k, the gates go in pairs: 32-bit lane j holds gate 2m's weight of unit j in its low half and gate 2m + 1's in its high
// half, so that one 512-bit load becomes the two gates' float vectors by a 16-bit shift (the low one) and a mask (the
// high one) (exact: every bfloat16 is a float32). Each weight vector is widened once for up to six sequences (512
// bits) or two (256 bits), as the float32 recurrence's 6 x 4 register block. Every unit's sum runs over k in order
// whatever the width, the blocking or the share of units, so a result does not depend on how a call was split.
internal static partial class ReducedKernels
{
    /// <summary>Hidden units per panel: one 512-bit vector of float32 sums.</summary>
    internal const int BFloat16PanelUnits = 16;

    /// <summary>The ushorts of the panels of a W_hh [gates * columns, columns]: per panel and column, (gates + 1) / 2 pairs of 16 lanes.</summary>
    internal static long BFloat16PanelLength(int gates, int columns) =>
        (long)((columns + BFloat16PanelUnits - 1) / BFloat16PanelUnits) * columns * ((gates + 1) / 2) * 32;

    /// <summary>The ushorts of one column of a panel: (gates + 1) / 2 pairs of gates by 16 units.</summary>
    private static int BFloat16Step(int gates) => (gates + 1) / 2 * 32;

    /// <summary>Where W_hh[g * columns + j, k] is stored in the panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long BFloat16At(int g, int j, int k, int gates, int columns) =>
        (((long)(j / BFloat16PanelUnits) * columns + k) * ((gates + 1) / 2) + g / 2) * 32 + 2 * (j % BFloat16PanelUnits) + (g & 1);

    /// <summary>
    /// float32 to bfloat16, rounded to nearest, ties to even (as PyTorch's and oneDNN's conversion): add 0x7FFF plus
    /// the lowest kept bit, then keep the upper 16 bits. A NaN stays a (quiet) NaN instead of rounding into infinity.
    /// </summary>
    internal static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    /// <summary>bfloat16 to float32: exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float FromBFloat16(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);

    /// <summary>
    /// Rounds row <paramref name="row"/> (= g * columns + j) of W_hh into the panels; no other row's values are written.
    /// Padding (units past the last, the high half of a last odd gate) stays 0.
    /// </summary>
    internal static void PackBFloat16PanelRow(ReadOnlySpan<float> weights, int row, int gates, int columns, Span<ushort> panels)
    {
        int g = row / columns, j = row % columns;
        if (g >= gates || weights.Length < columns || panels.Length < BFloat16PanelLength(gates, columns)) SharedKernels.ThrowExtent(nameof(PackBFloat16PanelRow));
        long step = BFloat16Step(gates), at = BFloat16At(g, j, 0, gates, columns);
        for (int k = 0; k < columns; k++) panels[(int)(at + k * step)] = ToBFloat16(weights[k]);
    }

    /// <summary>
    /// c[b, g * columns + j] = start + W[g * columns + j, :] . h[b, :] for the units [unitStart, unitEnd) of every gate
    /// and the sequences [b0, b1), W in bfloat16 panels (<see cref="PackBFloat16PanelRow"/>); start is bias[row] when
    /// bias is not empty, else c itself. <paramref name="width"/> 0 runs the scalar reference (the terms in order).
    /// </summary>
    internal static void BFloat16PanelRows(int width, ReadOnlySpan<ushort> panels, int columns, int gates, ReadOnlySpan<float> h,
        ReadOnlySpan<float> bias, Span<float> c, int ldc, int unitStart, int unitEnd, int b0, int b1)
    {
        if (unitEnd <= unitStart || b1 <= b0 || gates <= 0) return;
        int rows = gates * columns;
        if (unitStart < 0 || unitEnd > columns || b0 < 0 || panels.Length < BFloat16PanelLength(gates, columns) || h.Length < (long)b1 * columns
            || ldc < rows || c.Length < (long)(b1 - 1) * ldc + rows || (!bias.IsEmpty && bias.Length < rows))
            SharedKernels.ThrowExtent(nameof(BFloat16PanelRows));
        var shape = new PanelShape(columns, gates, 0, ldc);
        int step = BFloat16Step(gates);
        bool wide = width == 512 && Vector512.IsHardwareAccelerated, half = width == 256 && Vector256.IsHardwareAccelerated;
        bool quarter = width == 128 && Vector128.IsHardwareAccelerated;
        if (!wide && !half && !quarter)
        {
            BFloat16Scalar(panels, shape, h, bias, c, unitStart, unitEnd, b0, b1);
            return;
        }
        for (int panel = unitStart / BFloat16PanelUnits; panel * BFloat16PanelUnits < unitEnd; panel++)
        {
            int lo = Math.Max(unitStart - panel * BFloat16PanelUnits, 0), hi = Math.Min(unitEnd - panel * BFloat16PanelUnits, BFloat16PanelUnits);
            ReadOnlySpan<ushort> weights = panels.Slice((int)((long)panel * columns * step), columns * step);
            var target = new PanelTarget(panel * BFloat16PanelUnits, lo, hi);
            for (int g0 = 0; g0 < gates; g0 += 4)
            {
                int n = Math.Min(4, gates - g0), b = b0;
                if (wide)
                {
                    for (; b + 6 <= b1; b += 6) BFloat16Gates<KernelOps512, Vector512<float>, Six>(n, weights, g0, 0, h, b, shape, target, bias, c);
                    if (b + 4 <= b1) { BFloat16Gates<KernelOps512, Vector512<float>, Four>(n, weights, g0, 0, h, b, shape, target, bias, c); b += 4; }
                    if (b + 2 <= b1) { BFloat16Gates<KernelOps512, Vector512<float>, Two>(n, weights, g0, 0, h, b, shape, target, bias, c); b += 2; }
                    if (b < b1) BFloat16Gates<KernelOps512, Vector512<float>, One>(n, weights, g0, 0, h, b, shape, target, bias, c);
                }
                else
                {
                    // 16 registers: a panel in parts of 8 (256 bits) or 4 units (128 bits), two sequences at a time.
                    int lanes = half ? 8 : 4;
                    for (int part = 0; part < BFloat16PanelUnits; part += lanes)
                    {
                        var share = target with { Unit = target.Unit + part, Lo = Math.Max(lo - part, 0), Hi = Math.Min(hi - part, lanes) };
                        if (share.Hi <= share.Lo) continue;
                        int q = b;
                        if (half)
                        {
                            for (; q + 2 <= b1; q += 2) BFloat16Gates<KernelOps256, Vector256<float>, Two>(n, weights, g0, part, h, q, shape, share, bias, c);
                            if (q < b1) BFloat16Gates<KernelOps256, Vector256<float>, One>(n, weights, g0, part, h, q, shape, share, bias, c);
                        }
                        else
                        {
                            for (; q + 2 <= b1; q += 2) BFloat16Gates<KernelOps128, Vector128<float>, Two>(n, weights, g0, part, h, q, shape, share, bias, c);
                            if (q < b1) BFloat16Gates<KernelOps128, Vector128<float>, One>(n, weights, g0, part, h, q, shape, share, bias, c);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The reference: each unit's terms in order, one float multiply and one add each.</summary>
    private static void BFloat16Scalar(ReadOnlySpan<ushort> panels, PanelShape shape, ReadOnlySpan<float> h, ReadOnlySpan<float> bias, Span<float> c,
        int unitStart, int unitEnd, int b0, int b1)
    {
        int columns = shape.Units, gates = shape.Gates;
        for (int b = b0; b < b1; b++)
            for (int g = 0; g < gates; g++)
                for (int j = unitStart; j < unitEnd; j++)
                {
                    long at = BFloat16At(g, j, 0, gates, columns), step = BFloat16Step(gates);
                    float sum = 0f;
                    for (int k = 0; k < columns; k++) sum += FromBFloat16(panels[(int)(at + k * step)]) * h[b * columns + k];
                    int row = g * columns + j;
                    c[b * shape.Ldc + row] = (bias.IsEmpty ? c[b * shape.Ldc + row] : bias[row]) + sum;
                }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BFloat16Gates<TOps, TVec, TSeq>(int n, ReadOnlySpan<ushort> weights, int g0, int part, ReadOnlySpan<float> h, int b,
        PanelShape shape, PanelTarget target, ReadOnlySpan<float> bias, Span<float> c)
        where TOps : struct, IBFloat16PanelOps<TVec> where TVec : struct where TSeq : struct, IConstant
    {
        switch (n)
        {
            case 4: BFloat16Block<TOps, TVec, TSeq, Four>(weights, g0, part, h, b, shape, target, bias, c); break;
            case 3: BFloat16Block<TOps, TVec, TSeq, Three>(weights, g0, part, h, b, shape, target, bias, c); break;
            case 2: BFloat16Block<TOps, TVec, TSeq, Two>(weights, g0, part, h, b, shape, target, bias, c); break;
            default: BFloat16Block<TOps, TVec, TSeq, One>(weights, g0, part, h, b, shape, target, bias, c); break;
        }
    }

    /// <summary>
    /// TSeq sequences (from b) by TGate gates (from g0, even) of units [part, part + TOps.Count) of one panel: per
    /// column k, each pair of gates loaded once, widened by a shift and a mask, and multiplied by every sequence's
    /// h[b, k]. Sums named a{sequence}{gate}. At 512 bits the block is the whole panel (part is 0) and takes up to six
    /// sequences; at 256 and 128 bits, with 16 registers, at most two. Every guard tests TSeq, TGate or TOps.Count,
    /// constants once the JIT has specialised the method, so each instantiation is the block written out for them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BFloat16Block<TOps, TVec, TSeq, TGate>(ReadOnlySpan<ushort> weights, int g0, int part, ReadOnlySpan<float> h, int b,
        PanelShape shape, PanelTarget target, ReadOnlySpan<float> bias, Span<float> c)
        where TOps : struct, IBFloat16PanelOps<TVec> where TVec : struct where TSeq : struct, IConstant where TGate : struct, IConstant
    {
        int columns = shape.Units, step = BFloat16Step(shape.Gates);
        if ((TOps.Count < BFloat16PanelUnits && TSeq.Value > 2) || weights.Length < columns * step || h.Length < (b + TSeq.Value) * columns
            || g0 + TGate.Value > shape.Gates) SharedKernels.ThrowExtent(nameof(BFloat16Block));
        // A pair of gates is 16 units of 32 bits wherever the vector starts in it; a 512-bit vector is all of them.
        ref uint w = ref Unsafe.As<ushort, uint>(ref Unsafe.Add(ref MemoryMarshal.GetReference(weights),
            g0 * BFloat16PanelUnits + (TOps.Count < BFloat16PanelUnits ? 2 * part : 0)));
        int wStep = step / 2;
        ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(h), b * columns);
        ref float x1 = ref Unsafe.Add(ref x0, TSeq.Value > 1 ? columns : 0), x2 = ref Unsafe.Add(ref x0, TSeq.Value > 2 ? 2 * columns : 0);
        ref float x3 = ref Unsafe.Add(ref x0, TSeq.Value > 3 ? 3 * columns : 0), x4 = ref Unsafe.Add(ref x0, TSeq.Value > 4 ? 4 * columns : 0);
        ref float x5 = ref Unsafe.Add(ref x0, TSeq.Value > 5 ? 5 * columns : 0);
        TVec mask = TOps.HighHalves;
        TVec a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        TVec a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        TVec a40 = default, a41 = default, a42 = default, a43 = default, a50 = default, a51 = default, a52 = default, a53 = default;
        for (int k = 0; k < columns; k++)
        {
            ref uint wk = ref Unsafe.Add(ref w, k * wStep);
            TVec p01 = TOps.LoadPairs(ref wk, 0);
            TVec w0 = TOps.LowGate(p01);
            TVec w1 = TGate.Value > 1 ? TOps.HighGate(p01, mask) : default;
            TVec p23 = TGate.Value > 2 ? TOps.LoadPairs(ref wk, BFloat16PanelUnits) : default;
            TVec w2 = TGate.Value > 2 ? TOps.LowGate(p23) : default;
            TVec w3 = TGate.Value > 3 ? TOps.HighGate(p23, mask) : default;
            TVec x = TOps.Create(Unsafe.Add(ref x0, k));
            a00 = TOps.MultiplyAdd(w0, x, a00);
            if (TGate.Value > 1) a01 = TOps.MultiplyAdd(w1, x, a01);
            if (TGate.Value > 2) a02 = TOps.MultiplyAdd(w2, x, a02);
            if (TGate.Value > 3) a03 = TOps.MultiplyAdd(w3, x, a03);
            if (TSeq.Value > 1)
            {
                x = TOps.Create(Unsafe.Add(ref x1, k));
                a10 = TOps.MultiplyAdd(w0, x, a10);
                if (TGate.Value > 1) a11 = TOps.MultiplyAdd(w1, x, a11);
                if (TGate.Value > 2) a12 = TOps.MultiplyAdd(w2, x, a12);
                if (TGate.Value > 3) a13 = TOps.MultiplyAdd(w3, x, a13);
            }
            if (TSeq.Value > 2)
            {
                x = TOps.Create(Unsafe.Add(ref x2, k));
                a20 = TOps.MultiplyAdd(w0, x, a20);
                if (TGate.Value > 1) a21 = TOps.MultiplyAdd(w1, x, a21);
                if (TGate.Value > 2) a22 = TOps.MultiplyAdd(w2, x, a22);
                if (TGate.Value > 3) a23 = TOps.MultiplyAdd(w3, x, a23);
            }
            if (TSeq.Value > 3)
            {
                x = TOps.Create(Unsafe.Add(ref x3, k));
                a30 = TOps.MultiplyAdd(w0, x, a30);
                if (TGate.Value > 1) a31 = TOps.MultiplyAdd(w1, x, a31);
                if (TGate.Value > 2) a32 = TOps.MultiplyAdd(w2, x, a32);
                if (TGate.Value > 3) a33 = TOps.MultiplyAdd(w3, x, a33);
            }
            if (TSeq.Value > 4)
            {
                x = TOps.Create(Unsafe.Add(ref x4, k));
                a40 = TOps.MultiplyAdd(w0, x, a40);
                if (TGate.Value > 1) a41 = TOps.MultiplyAdd(w1, x, a41);
                if (TGate.Value > 2) a42 = TOps.MultiplyAdd(w2, x, a42);
                if (TGate.Value > 3) a43 = TOps.MultiplyAdd(w3, x, a43);
            }
            if (TSeq.Value > 5)
            {
                x = TOps.Create(Unsafe.Add(ref x5, k));
                a50 = TOps.MultiplyAdd(w0, x, a50);
                if (TGate.Value > 1) a51 = TOps.MultiplyAdd(w1, x, a51);
                if (TGate.Value > 2) a52 = TOps.MultiplyAdd(w2, x, a52);
                if (TGate.Value > 3) a53 = TOps.MultiplyAdd(w3, x, a53);
            }
        }
        // The sums to memory before anything is called: every vector register is volatile across a call on x64 Unix,
        // so a sum still live at a call would be spilled inside the loop (at each definition).
        Unsafe.SkipInit(out Sums24<TVec> sums);
        { sums[0] = a00; sums[1] = a01; sums[2] = a02; sums[3] = a03; }
        if (TSeq.Value > 1) { sums[4] = a10; sums[5] = a11; sums[6] = a12; sums[7] = a13; }
        if (TSeq.Value > 2) { sums[8] = a20; sums[9] = a21; sums[10] = a22; sums[11] = a23; }
        if (TSeq.Value > 3) { sums[12] = a30; sums[13] = a31; sums[14] = a32; sums[15] = a33; }
        if (TSeq.Value > 4) { sums[16] = a40; sums[17] = a41; sums[18] = a42; sums[19] = a43; }
        if (TSeq.Value > 5) { sums[20] = a50; sums[21] = a51; sums[22] = a52; sums[23] = a53; }
        BFloat16Store<TOps, TVec, TGate>(sums[0], sums[1], sums[2], sums[3], g0, b * shape.Ldc, shape, target, bias, c);
        if (TSeq.Value > 1) BFloat16Store<TOps, TVec, TGate>(sums[4], sums[5], sums[6], sums[7], g0, (b + 1) * shape.Ldc, shape, target, bias, c);
        if (TSeq.Value > 2) BFloat16Store<TOps, TVec, TGate>(sums[8], sums[9], sums[10], sums[11], g0, (b + 2) * shape.Ldc, shape, target, bias, c);
        if (TSeq.Value > 3) BFloat16Store<TOps, TVec, TGate>(sums[12], sums[13], sums[14], sums[15], g0, (b + 3) * shape.Ldc, shape, target, bias, c);
        if (TSeq.Value > 4) BFloat16Store<TOps, TVec, TGate>(sums[16], sums[17], sums[18], sums[19], g0, (b + 4) * shape.Ldc, shape, target, bias, c);
        if (TSeq.Value > 5) BFloat16Store<TOps, TVec, TGate>(sums[20], sums[21], sums[22], sums[23], g0, (b + 5) * shape.Ldc, shape, target, bias, c);
    }

    /// <summary>One sequence's sums of TGate gates (one vector per gate) added to their start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BFloat16Store<TOps, TVec, TGate>(TVec s0, TVec s1, TVec s2, TVec s3, int g0, int at, PanelShape shape, PanelTarget target,
        ReadOnlySpan<float> bias, Span<float> c)
        where TOps : struct, IBFloat16PanelOps<TVec> where TVec : struct where TGate : struct, IConstant
    {
        int row = g0 * shape.Units + target.Unit;
        AddStart<TOps, TVec>(s0, at, row, target, bias, c);
        if (TGate.Value > 1) AddStart<TOps, TVec>(s1, at, row + shape.Units, target, bias, c);
        if (TGate.Value > 2) AddStart<TOps, TVec>(s2, at, row + 2 * shape.Units, target, bias, c);
        if (TGate.Value > 3) AddStart<TOps, TVec>(s3, at, row + 3 * shape.Units, target, bias, c);
    }

    // c[at + row + i] = start + sums[i] for the lanes [Lo, Hi), start being bias[row + i] or c itself; whole vectors at once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddStart<TOps, TVec>(TVec sums, int at, int row, PanelTarget target, ReadOnlySpan<float> bias, Span<float> c)
        where TOps : struct, IBFloat16PanelOps<TVec> where TVec : struct
    {
        if (target.Lo == 0 && target.Hi == TOps.Count)
            TOps.ToSpan(TOps.Add(bias.IsEmpty ? TOps.FromSpan(c.Slice(at + row, TOps.Count)) : TOps.FromSpan(bias.Slice(row, TOps.Count)), sums),
                c.Slice(at + row, TOps.Count));
        else
            for (int i = target.Lo; i < target.Hi; i++) c[at + row + i] = (bias.IsEmpty ? c[at + row + i] : bias[row + i]) + TOps.GetElement(sums, i);
    }
}
