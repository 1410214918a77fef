using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CodeGenLstm.Generated;

// The int8 recurrent term on x64 with AVX-VNNI, with no horizontal sum: W_hh in panels of 8 hidden units, so that the
// 8 int32 lanes of one 256-bit vector are 8 hidden units of one gate (an outer product, as the float32 recurrence).
// A panel holds, for each group of 4 columns (k..k + 3), each gate's 8 units as 32 bytes: w[j, k..k + 3] for j = 0..7.
// vpdpbusd with the 4 bytes u[k..k + 3] of a sequence's quantized state broadcast to every lane adds
// sum_{i<4} u[k + i] w[j, k + i] into lane j, exactly, in int32. Each weight vector loaded is used for 2 sequences and
// the 2 x 4 sums stay in registers (with the 4 weight vectors and a broadcast: 13 of AVX2's 16), or for 4 sequences
// where AVX-512 gives the JIT 32 registers (4 x 4 sums, 4 weight vectors, a broadcast: 21). The sums are
// Int8Rows's sum_k u_k w_k, then finished as Int8Rows finishes them (minus 128 sum_k w_k), so the results are the same bits.
// Padding: units past the last and columns past the last are zero weights, which add nothing whatever u is.
internal static partial class ReducedKernels
{
    /// <summary>Hidden units per VNNI panel: one 256-bit vector of int32 sums.</summary>
    internal const int Int8VnniUnits = 8;

    /// <summary>Whether this machine may run <c>Int8VnniPanelRows</c> at some width (x64 with AVX-VNNI).</summary>
    internal static bool Int8VnniPanelsPossible => AvxVnni.IsSupported;

    /// <summary>Whether the int8 term at <paramref name="width"/> runs from the VNNI panels (the "AvxVnni" path).</summary>
    internal static bool UsesInt8VnniPanels(int width) => width > 0 && Int8VnniPanelsPossible;

    /// <summary>Groups of 4 columns of a W_hh with <paramref name="columns"/> columns (a last group padded with zeros).</summary>
    internal static int Int8VnniGroups(int columns) => (columns + 3) / 4;

    /// <summary>Bytes of the VNNI panels of a W_hh [gates * columns, columns].</summary>
    internal static long Int8VnniPanelLength(int gates, int columns) => Int8VnniPanelLength(gates, columns, columns);

    /// <summary>Bytes of the VNNI panels of a weight matrix [gates * units, columns].</summary>
    internal static long Int8VnniPanelLength(int gates, int units, int columns) =>
        (long)((units + Int8VnniUnits - 1) / Int8VnniUnits) * Int8VnniGroups(columns) * gates * 32;

    /// <summary>
    /// Stores quantized row <paramref name="row"/> (= g * columns + j) of W_hh into the VNNI panels: column k goes to byte
    /// 4 * (j % 8) + k % 4 of gate g's 32 bytes of group k / 4 in panel j / 8, and no other row's bytes are written.
    /// Padding (units past the last, columns of a last partial group) stays 0.
    /// </summary>
    internal static void PackInt8VnniPanelRow(ReadOnlySpan<sbyte> q, int row, int gates, int columns, Span<sbyte> panels) =>
        PackInt8VnniPanelRow(q, row, gates, columns, columns, panels);

    /// <summary>As the other overload, for row g * units + j of a weight matrix [gates * units, columns].</summary>
    internal static void PackInt8VnniPanelRow(ReadOnlySpan<sbyte> q, int row, int gates, int units, int columns, Span<sbyte> panels)
    {
        int g = row / units, j = row % units, groups = Int8VnniGroups(columns);
        int panel = j / Int8VnniUnits, lane = j % Int8VnniUnits;
        if (g >= gates || q.Length < columns || panels.Length < Int8VnniPanelLength(gates, units, columns)) SharedKernels.ThrowExtent(nameof(PackInt8VnniPanelRow));
        long start = ((long)panel * groups * gates + g) * 32 + 4 * lane;
        for (int k = 0; k < columns; k++)
            panels[(int)(start + (long)(k / 4) * gates * 32 + (k & 3))] = q[k];
    }

    /// <summary>
    /// The int8 term from the VNNI panels, as <c>Int8Rows</c> (same arguments, the panels for the rows, same bits):
    /// c[b, g * columns + j] = start + scales[row] * hScale_b * (sum_k u[b, k] qw[row, k] - 128 sums[row]) for the units
    /// [unitStart, unitEnd) of every gate and the sequences [b0, b1).
    /// </summary>
    internal static void Int8VnniPanelRows(int width, ReadOnlySpan<sbyte> panels, ReadOnlySpan<float> scales, ReadOnlySpan<int> sums, int columns, int gates,
        ReadOnlySpan<float> h, ReadOnlySpan<float> bias, Span<float> c, int ldc, int unitStart, int unitEnd, int b0, int b1) =>
        Int8VnniPanelRows(width, panels, scales, sums, columns, columns, gates, h, bias, c, ldc, unitStart, unitEnd, b0, b1);

    /// <summary>As the other overload, for a weight matrix [gates * units, columns] (h[b, :]: columns values from b * columns).</summary>
    internal static void Int8VnniPanelRows(int width, ReadOnlySpan<sbyte> panels, ReadOnlySpan<float> scales, ReadOnlySpan<int> sums, int units, int columns, int gates,
        ReadOnlySpan<float> h, ReadOnlySpan<float> bias, Span<float> c, int ldc, int unitStart, int unitEnd, int b0, int b1)
    {
        if (unitEnd <= unitStart || b1 <= b0 || gates <= 0) return;
        int rows = gates * units, groups = Int8VnniGroups(columns);
        if (!UsesInt8VnniPanels(width) || columns <= 0 || columns > Int8MaxColumns || unitStart < 0 || unitEnd > units || b0 < 0
            || panels.Length < Int8VnniPanelLength(gates, units, columns)
            || scales.Length < rows || sums.Length < rows || h.Length < (long)b1 * columns || ldc < rows || c.Length < (long)(b1 - 1) * ldc + rows
            || (!bias.IsEmpty && bias.Length < rows))
            SharedKernels.ThrowExtent(nameof(Int8VnniPanelRows));
        // The sequences in blocks whose states (4 bytes a group) fit in 32 KiB of stack: every panel is read once per block.
        int block = Math.Max(1, 32768 / (4 * groups));
        Span<int> states = stackalloc int[Math.Min(block, b1 - b0) * groups];
        Span<float> stateScales = stackalloc float[Math.Min(block, b1 - b0)];
        var shape = new PanelShape(units, gates, groups, ldc);
        // With AVX-512 the JIT has 32 vector registers: 4 sequences x 4 gates of sums, 4 weight vectors and a broadcast fit.
        bool wide = Avx512F.VL.IsSupported;
        for (int first = b0; first < b1; first += block)
        {
            int count = Math.Min(block, b1 - first);
            // Int8Rows's quantization, bytes u = q + 128; columns past h get 128, which meet zero weights.
            for (int b = 0; b < count; b++)
                stateScales[b] = QuantizeState(h.Slice((first + b) * columns, columns), MemoryMarshal.AsBytes(states.Slice(b * groups, groups)), width);
            for (int panel = unitStart / Int8VnniUnits; panel * Int8VnniUnits < unitEnd; panel++)
            {
                // Lanes [lo, hi) of this panel are the share's units.
                int lo = Math.Max(unitStart - panel * Int8VnniUnits, 0), hi = Math.Min(unitEnd - panel * Int8VnniUnits, Int8VnniUnits);
                ReadOnlySpan<sbyte> weights = panels.Slice((int)((long)panel * groups * gates * 32), groups * gates * 32);
                var target = new PanelTarget(panel * Int8VnniUnits, lo, hi);
                for (int g0 = 0; g0 < gates; g0 += 4)
                {
                    int n = Math.Min(4, gates - g0);
                    int b = 0;
                    if (wide)
                        for (; b + 4 <= count; b += 4) GatesVnni<Four>(n, weights, g0, states, stateScales, b, first, shape, target, scales, sums, bias, c);
                    for (; b + 2 <= count; b += 2) GatesVnni<Two>(n, weights, g0, states, stateScales, b, first, shape, target, scales, sums, bias, c);
                    if (b < count) GatesVnni<One>(n, weights, g0, states, stateScales, b, first, shape, target, scales, sums, bias, c);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GatesVnni<TSeq>(int n, ReadOnlySpan<sbyte> weights, int g0, ReadOnlySpan<int> states, ReadOnlySpan<float> stateScales, int b,
        int first, PanelShape shape, PanelTarget target, ReadOnlySpan<float> scales, ReadOnlySpan<int> sums, ReadOnlySpan<float> bias, Span<float> c)
        where TSeq : struct, IConstant
    {
        switch (n)
        {
            case 4: BlockVnni<TSeq, Four>(weights, g0, states, stateScales, b, first, shape, target, scales, sums, bias, c); break;
            case 3: BlockVnni<TSeq, Three>(weights, g0, states, stateScales, b, first, shape, target, scales, sums, bias, c); break;
            case 2: BlockVnni<TSeq, Two>(weights, g0, states, stateScales, b, first, shape, target, scales, sums, bias, c); break;
            default: BlockVnni<TSeq, One>(weights, g0, states, stateScales, b, first, shape, target, scales, sums, bias, c); break;
        }
    }

    /// <summary>
    /// TSeq (1, 2 or 4) sequences (from b) by TGate gates (from g0) of one panel: per group of 4 columns, each gate's 32
    /// weight bytes loaded once and multiplied by every sequence's broadcast 4 state bytes. Sums named a{sequence}{gate}.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BlockVnni<TSeq, TGate>(ReadOnlySpan<sbyte> weights, int g0, ReadOnlySpan<int> states, ReadOnlySpan<float> stateScales, int b,
        int first, PanelShape shape, PanelTarget target, ReadOnlySpan<float> scales, ReadOnlySpan<int> sums, ReadOnlySpan<float> bias, Span<float> c)
        where TSeq : struct, IConstant where TGate : struct, IConstant
    {
        int groups = shape.Pairs, step = shape.Gates * 32;
        if (TSeq.Value > 4 || weights.Length < groups * step || states.Length < (b + TSeq.Value) * groups || g0 + TGate.Value > shape.Gates)
            SharedKernels.ThrowExtent(nameof(BlockVnni));
        ref sbyte w = ref Unsafe.Add(ref MemoryMarshal.GetReference(weights), g0 * 32);
        ref int s0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(states), b * groups);
        ref int s1 = ref Unsafe.Add(ref s0, TSeq.Value > 1 ? groups : 0), s2 = ref Unsafe.Add(ref s0, TSeq.Value > 2 ? 2 * groups : 0);
        ref int s3 = ref Unsafe.Add(ref s0, TSeq.Value > 3 ? 3 * groups : 0);
        Vector256<int> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<int> a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        for (int p = 0; p < groups; p++)
        {
            ref sbyte wp = ref Unsafe.Add(ref w, p * step);
            Vector256<sbyte> w0 = Vector256.LoadUnsafe(ref wp);
            Vector256<sbyte> w1 = TGate.Value > 1 ? Vector256.LoadUnsafe(ref wp, 32) : default;
            Vector256<sbyte> w2 = TGate.Value > 2 ? Vector256.LoadUnsafe(ref wp, 64) : default;
            Vector256<sbyte> w3 = TGate.Value > 3 ? Vector256.LoadUnsafe(ref wp, 96) : default;
            Vector256<byte> x = Vector256.Create(Unsafe.Add(ref s0, p)).AsByte();
            a00 = AvxVnni.MultiplyWideningAndAdd(a00, x, w0);
            if (TGate.Value > 1) a01 = AvxVnni.MultiplyWideningAndAdd(a01, x, w1);
            if (TGate.Value > 2) a02 = AvxVnni.MultiplyWideningAndAdd(a02, x, w2);
            if (TGate.Value > 3) a03 = AvxVnni.MultiplyWideningAndAdd(a03, x, w3);
            if (TSeq.Value > 1)
            {
                x = Vector256.Create(Unsafe.Add(ref s1, p)).AsByte();
                a10 = AvxVnni.MultiplyWideningAndAdd(a10, x, w0);
                if (TGate.Value > 1) a11 = AvxVnni.MultiplyWideningAndAdd(a11, x, w1);
                if (TGate.Value > 2) a12 = AvxVnni.MultiplyWideningAndAdd(a12, x, w2);
                if (TGate.Value > 3) a13 = AvxVnni.MultiplyWideningAndAdd(a13, x, w3);
            }
            if (TSeq.Value > 2)
            {
                x = Vector256.Create(Unsafe.Add(ref s2, p)).AsByte();
                a20 = AvxVnni.MultiplyWideningAndAdd(a20, x, w0);
                if (TGate.Value > 1) a21 = AvxVnni.MultiplyWideningAndAdd(a21, x, w1);
                if (TGate.Value > 2) a22 = AvxVnni.MultiplyWideningAndAdd(a22, x, w2);
                if (TGate.Value > 3) a23 = AvxVnni.MultiplyWideningAndAdd(a23, x, w3);
            }
            if (TSeq.Value > 3)
            {
                x = Vector256.Create(Unsafe.Add(ref s3, p)).AsByte();
                a30 = AvxVnni.MultiplyWideningAndAdd(a30, x, w0);
                if (TGate.Value > 1) a31 = AvxVnni.MultiplyWideningAndAdd(a31, x, w1);
                if (TGate.Value > 2) a32 = AvxVnni.MultiplyWideningAndAdd(a32, x, w2);
                if (TGate.Value > 3) a33 = AvxVnni.MultiplyWideningAndAdd(a33, x, w3);
            }
        }
        // The sums to memory before anything is called: every vector register is volatile across a call on x64 Unix,
        // so a sum still live at a call would be spilled inside the loop (at each definition).
        Unsafe.SkipInit(out Sums24<Vector256<int>> dots);
        { dots[0] = a00; dots[1] = a01; dots[2] = a02; dots[3] = a03; }
        if (TSeq.Value > 1) { dots[4] = a10; dots[5] = a11; dots[6] = a12; dots[7] = a13; }
        if (TSeq.Value > 2) { dots[8] = a20; dots[9] = a21; dots[10] = a22; dots[11] = a23; }
        if (TSeq.Value > 3) { dots[12] = a30; dots[13] = a31; dots[14] = a32; dots[15] = a33; }
        for (int q = 0; q < TSeq.Value; q++)
        {
            float stateScale = stateScales[b + q];
            int at = (first + b + q) * shape.Ldc, row = g0 * shape.Units + target.Unit;
            for (int g = 0; g < TGate.Value; g++)
                FinishVnni(dots[4 * q + g], stateScale, at, row + g * shape.Units, target, scales, sums, bias, c);
        }
    }

    /// <summary>
    /// The lanes [Lo, Hi) of one gate's sums finished as Int8Rows's Finish: the int32 u . w minus 128 times the row's sum
    /// (exact), then start + exact * (scale * stateScale), a multiply and an add, never fused, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishVnni(Vector256<int> dots, float stateScale, int at, int row, PanelTarget target, ReadOnlySpan<float> scales,
        ReadOnlySpan<int> sums, ReadOnlySpan<float> bias, Span<float> c)
    {
        if (target.Lo == 0 && target.Hi == Int8VnniUnits)
        {
            // Whole panel: the 8 rows are real (a panel past the last unit is never whole), so 8 sums and scales can be read.
            Finish256(dots - Vector256.Create(sums.Slice(row, 8)) * 128, stateScale, at, row, target, scales, bias, c);
            return;
        }
        for (int i = target.Lo; i < target.Hi; i++) FinishOne(dots.GetElement(i) - 128 * sums[row + i], stateScale, at, row + i, scales, bias, c);
    }
}
