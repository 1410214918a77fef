using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CodeGenLstm.Generated;

// The int8 recurrent term without VNNI on x64 (AVX-512BW, AVX2), with no horizontal sum: W_hh in panels of 16 hidden
// units, so that the integer lanes of one vector are 16 hidden units of one gate (an outer product, as the float32
// recurrence). A panel holds, for each pair of columns (k, k + 1), each gate's 16 units as 32 bytes: w[j, k], w[j, k + 1]
// for j = 0..15. Widened to 16 bits, vpmaddwd with the pair (q_k, q_k+1) of a sequence's quantized state broadcast to
// every lane gives w[j, k] q_k + w[j, k + 1] q_k+1 in lane j, exactly, in int32. Each weight vector is widened once for
// up to six sequences (AVX-512) or two (AVX2), as the float32 recurrence's 6 x 4 register block. The int32 sums are
// exactly Int8Rows's (sum_k q_k w_k, which is its sum_k u_k w_k - 128 sum_k w_k), so the results are the same bits.
internal static partial class ReducedKernels
{
    /// <summary>Hidden units per panel: one 512-bit vector of int32 sums.</summary>
    internal const int Int8PanelUnits = 16;

    /// <summary>Whether this machine may run <c>Int8PanelRows</c> at some width (x64 with AVX2, without AVX-VNNI).</summary>
    internal static bool Int8PanelsPossible => !AvxVnni.IsSupported && Avx2.IsSupported;

    /// <summary>Whether the int8 term at <paramref name="width"/> runs from the panels (the "Avx512BW" and "Avx2" paths).</summary>
    internal static bool UsesInt8Panels(int width) => width > 0 && Int8PanelsPossible;

    /// <summary>Bytes of the panels of a W_hh [gates * columns, columns].</summary>
    internal static long Int8PanelLength(int gates, int columns) => Int8PanelLength(gates, columns, columns);

    /// <summary>Bytes of the panels of a weight matrix [gates * units, columns].</summary>
    internal static long Int8PanelLength(int gates, int units, int columns) =>
        (long)((units + Int8PanelUnits - 1) / Int8PanelUnits) * ((columns + 1) / 2) * gates * 32;

    /// <summary>
    /// Stores quantized row <paramref name="row"/> (= g * columns + j) of W_hh into the panels: its bytes are those of
    /// lane j % 16 of gate g in panel j / 16, and no other row's. Padding (units past the last, a last odd column) stays 0.
    /// </summary>
    internal static void PackInt8PanelRow(ReadOnlySpan<sbyte> q, int row, int gates, int columns, Span<sbyte> panels) =>
        PackInt8PanelRow(q, row, gates, columns, columns, panels);

    /// <summary>As the other overload, for row g * units + j of a weight matrix [gates * units, columns].</summary>
    internal static void PackInt8PanelRow(ReadOnlySpan<sbyte> q, int row, int gates, int units, int columns, Span<sbyte> panels)
    {
        int g = row / units, j = row % units, pairs = (columns + 1) / 2;
        int panel = j / Int8PanelUnits, lane = j % Int8PanelUnits;
        if (g >= gates || q.Length < columns || panels.Length < Int8PanelLength(gates, units, columns)) SharedKernels.ThrowExtent(nameof(PackInt8PanelRow));
        long start = ((long)panel * pairs * gates + g) * 32 + 2 * lane;
        for (int k = 0; k < columns; k++)
            panels[(int)(start + (long)(k / 2) * gates * 32 + (k & 1))] = q[k];
    }

    /// <summary>
    /// The int8 term from the panels, as <c>Int8Rows</c> (same arguments, same bits): c[b, g * columns + j] =
    /// start + scales[row] * hScale_b * sum_k qw[row, k] qh[b, k] for the units [unitStart, unitEnd) of every gate and
    /// the sequences [b0, b1).
    /// </summary>
    internal static void Int8PanelRows(int width, ReadOnlySpan<sbyte> panels, ReadOnlySpan<float> scales, int columns, int gates,
        ReadOnlySpan<float> h, ReadOnlySpan<float> bias, Span<float> c, int ldc, int unitStart, int unitEnd, int b0, int b1) =>
        Int8PanelRows(width, panels, scales, columns, columns, gates, h, bias, c, ldc, unitStart, unitEnd, b0, b1);

    /// <summary>As the other overload, for a weight matrix [gates * units, columns] (h[b, :]: columns values from b * columns).</summary>
    internal static void Int8PanelRows(int width, ReadOnlySpan<sbyte> panels, ReadOnlySpan<float> scales, int units, int columns, int gates,
        ReadOnlySpan<float> h, ReadOnlySpan<float> bias, Span<float> c, int ldc, int unitStart, int unitEnd, int b0, int b1)
    {
        if (unitEnd <= unitStart || b1 <= b0 || gates <= 0) return;
        int rows = gates * units, pairs = (columns + 1) / 2, stride = Int8Stride(columns);
        if (!UsesInt8Panels(width) || columns <= 0 || columns > Int8MaxColumns || unitStart < 0 || unitEnd > units || b0 < 0
            || panels.Length < Int8PanelLength(gates, units, columns)
            || scales.Length < rows || h.Length < (long)b1 * columns || ldc < rows || c.Length < (long)(b1 - 1) * ldc + rows
            || (!bias.IsEmpty && bias.Length < rows))
            SharedKernels.ThrowExtent(nameof(Int8PanelRows));
        bool wide = UsesAvx512BW(width);
        // The sequences in blocks whose states (pairs of int16 levels) fit in 32 KiB of stack: every panel is read once
        // per block, so a batch of up to 16 sequences of H = 1024 reads W_hh once.
        int block = Math.Max(1, 32768 / (4 * pairs));
        Span<int> states = stackalloc int[Math.Min(block, b1 - b0) * pairs];
        Span<float> stateScales = stackalloc float[Math.Min(block, b1 - b0)];
        Span<byte> levels = stackalloc byte[stride];
        var shape = new PanelShape(units, gates, pairs, ldc);
        for (int first = b0; first < b1; first += block)
        {
            int count = Math.Min(block, b1 - first);
            for (int b = 0; b < count; b++)
            {
                // The levels of QuantizeState (Int8Rows's), as signed int16 pairs: q = u - 128, two to an int32.
                stateScales[b] = QuantizeState(h.Slice((first + b) * columns, columns), levels, width);
                ToSignedLevels(levels, MemoryMarshal.Cast<int, short>(states.Slice(b * pairs, pairs)));
            }
            for (int panel = unitStart / Int8PanelUnits; panel * Int8PanelUnits < unitEnd; panel++)
            {
                // Lanes [lo, hi) of this panel are the share's units.
                int lo = Math.Max(unitStart - panel * Int8PanelUnits, 0), hi = Math.Min(unitEnd - panel * Int8PanelUnits, Int8PanelUnits);
                ReadOnlySpan<sbyte> weights = panels.Slice((int)((long)panel * pairs * gates * 32), pairs * gates * 32);
                var target = new PanelTarget(panel * Int8PanelUnits, lo, hi);
                for (int g0 = 0; g0 < gates; g0 += 4)
                {
                    int n = Math.Min(4, gates - g0);
                    int b = 0;
                    if (wide)
                    {
                        for (; b + 6 <= count; b += 6) Gates512<Six>(n, weights, g0, states, stateScales, b, first, shape, target, scales, bias, c);
                        if (b + 4 <= count) { Gates512<Four>(n, weights, g0, states, stateScales, b, first, shape, target, scales, bias, c); b += 4; }
                        if (b + 2 <= count) { Gates512<Two>(n, weights, g0, states, stateScales, b, first, shape, target, scales, bias, c); b += 2; }
                        if (b < count) Gates512<One>(n, weights, g0, states, stateScales, b, first, shape, target, scales, bias, c);
                    }
                    else
                    {
                        for (; b + 2 <= count; b += 2) Gates256<Two>(n, weights, g0, states, stateScales, b, first, shape, target, scales, bias, c);
                        if (b < count) Gates256<One>(n, weights, g0, states, stateScales, b, first, shape, target, scales, bias, c);
                    }
                }
            }
        }
    }

    /// <summary>
    /// q[k] = u[k] - 128 as int16 for k below q's length: column 2p in the low half of pair p's int32 (x64 is little-endian).
    /// </summary>
    private static void ToSignedLevels(ReadOnlySpan<byte> u, Span<short> q)
    {
        int n = q.Length, k = 0;
        if (u.Length < n) SharedKernels.ThrowExtent(nameof(ToSignedLevels));
        ref byte from = ref MemoryMarshal.GetReference(u);
        ref short to = ref MemoryMarshal.GetReference(q);
        Vector256<short> offset = Vector256.Create((short)128);
        for (; k + 32 <= n; k += 32)
        {
            (Vector256<ushort> lower, Vector256<ushort> upper) = Vector256.Widen(Vector256.LoadUnsafe(ref from, (nuint)k));
            (lower.AsInt16() - offset).StoreUnsafe(ref to, (nuint)k);
            (upper.AsInt16() - offset).StoreUnsafe(ref to, (nuint)(k + 16));
        }
        for (; k < n; k++) Unsafe.Add(ref to, k) = (short)(Unsafe.Add(ref from, k) - 128);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gates512<TSeq>(int n, ReadOnlySpan<sbyte> weights, int g0, ReadOnlySpan<int> states, ReadOnlySpan<float> stateScales, int b,
        int first, PanelShape shape, PanelTarget target, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias, Span<float> c) where TSeq : struct, IConstant
    {
        switch (n)
        {
            case 4: Block<Int8PanelOps512, Vector512<int>, TSeq, Four>(weights, g0, 0, states, stateScales, b, first, shape, target, scales, bias, c); break;
            case 3: Block<Int8PanelOps512, Vector512<int>, TSeq, Three>(weights, g0, 0, states, stateScales, b, first, shape, target, scales, bias, c); break;
            case 2: Block<Int8PanelOps512, Vector512<int>, TSeq, Two>(weights, g0, 0, states, stateScales, b, first, shape, target, scales, bias, c); break;
            default: Block<Int8PanelOps512, Vector512<int>, TSeq, One>(weights, g0, 0, states, stateScales, b, first, shape, target, scales, bias, c); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gates256<TSeq>(int n, ReadOnlySpan<sbyte> weights, int g0, ReadOnlySpan<int> states, ReadOnlySpan<float> stateScales, int b,
        int first, PanelShape shape, PanelTarget target, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias, Span<float> c) where TSeq : struct, IConstant
    {
        // AVX2 has 16 registers: each half of a panel (8 units) on its own, 2 sequences x 4 gates of sums.
        for (int half = 0; half < 2; half++)
            switch (n)
            {
                case 4: Block<Int8PanelOps256, Vector256<int>, TSeq, Four>(weights, g0, half, states, stateScales, b, first, shape, target, scales, bias, c); break;
                case 3: Block<Int8PanelOps256, Vector256<int>, TSeq, Three>(weights, g0, half, states, stateScales, b, first, shape, target, scales, bias, c); break;
                case 2: Block<Int8PanelOps256, Vector256<int>, TSeq, Two>(weights, g0, half, states, stateScales, b, first, shape, target, scales, bias, c); break;
                default: Block<Int8PanelOps256, Vector256<int>, TSeq, One>(weights, g0, half, states, stateScales, b, first, shape, target, scales, bias, c); break;
            }
    }

    /// <summary>
    /// TSeq sequences (from b) by TGate gates (from g0) of one panel, or of its half <paramref name="half"/> (units
    /// 8 * half..) at 256 bits: per pair of columns, each gate's weight bytes widened once and multiplied by every
    /// sequence's broadcast pair of levels. Sums named a{sequence}{gate}. AVX-512's 32 registers take up to six
    /// sequences, AVX2's 16 two. Every guard tests TSeq, TGate or TOps.Lanes, constants once the JIT has specialised
    /// the method, so each instantiation is the block written out for them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TOps, TVec, TSeq, TGate>(ReadOnlySpan<sbyte> weights, int g0, int half, ReadOnlySpan<int> states, ReadOnlySpan<float> stateScales,
        int b, int first, PanelShape shape, PanelTarget target, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias, Span<float> c)
        where TOps : struct, IInt8PanelOps<TVec> where TVec : struct where TSeq : struct, IConstant where TGate : struct, IConstant
    {
        int pairs = shape.Pairs, step = shape.Gates * 32;
        if ((TOps.Lanes < Int8PanelUnits && TSeq.Value > 2) || weights.Length < pairs * step || states.Length < (b + TSeq.Value) * pairs
            || g0 + TGate.Value > shape.Gates) SharedKernels.ThrowExtent(nameof(Block));
        // A gate's 16 units are 32 bytes; a 512-bit block takes all of them.
        ref sbyte w = ref Unsafe.Add(ref MemoryMarshal.GetReference(weights), g0 * 32 + (TOps.Lanes < Int8PanelUnits ? 16 * half : 0));
        ref int s0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(states), b * pairs);
        ref int s1 = ref Unsafe.Add(ref s0, TSeq.Value > 1 ? pairs : 0), s2 = ref Unsafe.Add(ref s0, TSeq.Value > 2 ? 2 * pairs : 0);
        ref int s3 = ref Unsafe.Add(ref s0, TSeq.Value > 3 ? 3 * pairs : 0), s4 = ref Unsafe.Add(ref s0, TSeq.Value > 4 ? 4 * pairs : 0);
        ref int s5 = ref Unsafe.Add(ref s0, TSeq.Value > 5 ? 5 * pairs : 0);
        TVec a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        TVec a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        TVec a40 = default, a41 = default, a42 = default, a43 = default, a50 = default, a51 = default, a52 = default, a53 = default;
        for (int p = 0; p < pairs; p++)
        {
            ref sbyte wp = ref Unsafe.Add(ref w, p * step);
            TVec w0 = TOps.Widen(ref wp, 0);
            TVec w1 = TGate.Value > 1 ? TOps.Widen(ref wp, 32) : default;
            TVec w2 = TGate.Value > 2 ? TOps.Widen(ref wp, 64) : default;
            TVec w3 = TGate.Value > 3 ? TOps.Widen(ref wp, 96) : default;
            TVec x = TOps.Broadcast(Unsafe.Add(ref s0, p));
            a00 = TOps.Add(a00, TOps.MultiplyAddAdjacent(w0, x));
            if (TGate.Value > 1) a01 = TOps.Add(a01, TOps.MultiplyAddAdjacent(w1, x));
            if (TGate.Value > 2) a02 = TOps.Add(a02, TOps.MultiplyAddAdjacent(w2, x));
            if (TGate.Value > 3) a03 = TOps.Add(a03, TOps.MultiplyAddAdjacent(w3, x));
            if (TSeq.Value > 1)
            {
                x = TOps.Broadcast(Unsafe.Add(ref s1, p));
                a10 = TOps.Add(a10, TOps.MultiplyAddAdjacent(w0, x));
                if (TGate.Value > 1) a11 = TOps.Add(a11, TOps.MultiplyAddAdjacent(w1, x));
                if (TGate.Value > 2) a12 = TOps.Add(a12, TOps.MultiplyAddAdjacent(w2, x));
                if (TGate.Value > 3) a13 = TOps.Add(a13, TOps.MultiplyAddAdjacent(w3, x));
            }
            if (TSeq.Value > 2)
            {
                x = TOps.Broadcast(Unsafe.Add(ref s2, p));
                a20 = TOps.Add(a20, TOps.MultiplyAddAdjacent(w0, x));
                if (TGate.Value > 1) a21 = TOps.Add(a21, TOps.MultiplyAddAdjacent(w1, x));
                if (TGate.Value > 2) a22 = TOps.Add(a22, TOps.MultiplyAddAdjacent(w2, x));
                if (TGate.Value > 3) a23 = TOps.Add(a23, TOps.MultiplyAddAdjacent(w3, x));
            }
            if (TSeq.Value > 3)
            {
                x = TOps.Broadcast(Unsafe.Add(ref s3, p));
                a30 = TOps.Add(a30, TOps.MultiplyAddAdjacent(w0, x));
                if (TGate.Value > 1) a31 = TOps.Add(a31, TOps.MultiplyAddAdjacent(w1, x));
                if (TGate.Value > 2) a32 = TOps.Add(a32, TOps.MultiplyAddAdjacent(w2, x));
                if (TGate.Value > 3) a33 = TOps.Add(a33, TOps.MultiplyAddAdjacent(w3, x));
            }
            if (TSeq.Value > 4)
            {
                x = TOps.Broadcast(Unsafe.Add(ref s4, p));
                a40 = TOps.Add(a40, TOps.MultiplyAddAdjacent(w0, x));
                if (TGate.Value > 1) a41 = TOps.Add(a41, TOps.MultiplyAddAdjacent(w1, x));
                if (TGate.Value > 2) a42 = TOps.Add(a42, TOps.MultiplyAddAdjacent(w2, x));
                if (TGate.Value > 3) a43 = TOps.Add(a43, TOps.MultiplyAddAdjacent(w3, x));
            }
            if (TSeq.Value > 5)
            {
                x = TOps.Broadcast(Unsafe.Add(ref s5, p));
                a50 = TOps.Add(a50, TOps.MultiplyAddAdjacent(w0, x));
                if (TGate.Value > 1) a51 = TOps.Add(a51, TOps.MultiplyAddAdjacent(w1, x));
                if (TGate.Value > 2) a52 = TOps.Add(a52, TOps.MultiplyAddAdjacent(w2, x));
                if (TGate.Value > 3) a53 = TOps.Add(a53, TOps.MultiplyAddAdjacent(w3, x));
            }
        }
        if (TOps.Lanes < Int8PanelUnits)
        {
            // Half a panel: its share of the lanes, perhaps none.
            target = target with { Unit = target.Unit + 8 * half, Lo = Math.Max(target.Lo - 8 * half, 0), Hi = Math.Min(target.Hi - 8 * half, 8) };
            if (target.Hi <= target.Lo) return;
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
        Store<TOps, TVec, TGate>(sums[0], sums[1], sums[2], sums[3], g0, stateScales[b], (first + b) * shape.Ldc, shape, target, scales, bias, c);
        if (TSeq.Value > 1) Store<TOps, TVec, TGate>(sums[4], sums[5], sums[6], sums[7], g0, stateScales[b + 1], (first + b + 1) * shape.Ldc, shape, target, scales, bias, c);
        if (TSeq.Value > 2) Store<TOps, TVec, TGate>(sums[8], sums[9], sums[10], sums[11], g0, stateScales[b + 2], (first + b + 2) * shape.Ldc, shape, target, scales, bias, c);
        if (TSeq.Value > 3) Store<TOps, TVec, TGate>(sums[12], sums[13], sums[14], sums[15], g0, stateScales[b + 3], (first + b + 3) * shape.Ldc, shape, target, scales, bias, c);
        if (TSeq.Value > 4) Store<TOps, TVec, TGate>(sums[16], sums[17], sums[18], sums[19], g0, stateScales[b + 4], (first + b + 4) * shape.Ldc, shape, target, scales, bias, c);
        if (TSeq.Value > 5) Store<TOps, TVec, TGate>(sums[20], sums[21], sums[22], sums[23], g0, stateScales[b + 5], (first + b + 5) * shape.Ldc, shape, target, scales, bias, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TOps, TVec, TGate>(TVec d0, TVec d1, TVec d2, TVec d3, int g0, float stateScale, int at,
        PanelShape shape, PanelTarget target, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias, Span<float> c)
        where TOps : struct, IInt8PanelOps<TVec> where TVec : struct where TGate : struct, IConstant
    {
        int row = g0 * shape.Units + target.Unit;
        TOps.Finish(d0, stateScale, at, row, target, scales, bias, c);
        if (TGate.Value > 1) TOps.Finish(d1, stateScale, at, row + shape.Units, target, scales, bias, c);
        if (TGate.Value > 2) TOps.Finish(d2, stateScale, at, row + 2 * shape.Units, target, scales, bias, c);
        if (TGate.Value > 3) TOps.Finish(d3, stateScale, at, row + 3 * shape.Units, target, scales, bias, c);
    }

    /// <summary>
    /// c[at + row + i] = start + dots[i] * (scales[row + i] * stateScale) for the lanes [Lo, Hi): Finish's operations in
    /// its order (a multiply, then an add, never fused), so the same bits; a whole panel as one vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish512(Vector512<int> dots, float stateScale, int at, int row, PanelTarget target, ReadOnlySpan<float> scales,
        ReadOnlySpan<float> bias, Span<float> c)
    {
        if (target.Lo == 0 && target.Hi == 16)
        {
            Vector512<float> start = bias.IsEmpty ? Vector512.Create<float>(c.Slice(at + row, 16)) : Vector512.Create(bias.Slice(row, 16));
            Vector512<float> scale = Vector512.Create(scales.Slice(row, 16)) * Vector512.Create(stateScale);
            (start + Vector512.ConvertToSingle(dots) * scale).CopyTo(c.Slice(at + row, 16));
            return;
        }
        for (int i = target.Lo; i < target.Hi; i++) FinishOne(dots.GetElement(i), stateScale, at, row + i, scales, bias, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish256(Vector256<int> dots, float stateScale, int at, int row, PanelTarget target, ReadOnlySpan<float> scales,
        ReadOnlySpan<float> bias, Span<float> c)
    {
        if (target.Lo == 0 && target.Hi == 8)
        {
            Vector256<float> start = bias.IsEmpty ? Vector256.Create<float>(c.Slice(at + row, 8)) : Vector256.Create(bias.Slice(row, 8));
            Vector256<float> scale = Vector256.Create(scales.Slice(row, 8)) * Vector256.Create(stateScale);
            (start + Vector256.ConvertToSingle(dots) * scale).CopyTo(c.Slice(at + row, 8));
            return;
        }
        for (int i = target.Lo; i < target.Hi; i++) FinishOne(dots.GetElement(i), stateScale, at, row + i, scales, bias, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishOne(int exact, float stateScale, int at, int w, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias, Span<float> c)
    {
        float start = bias.IsEmpty ? c[at + w] : bias[w];
        c[at + w] = start + exact * (scales[w] * stateScale);
    }
}
